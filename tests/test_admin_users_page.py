"""Admin page, Users tab (AppTest): list, add, change a role, disable/enable, reset a
password; audited; no lockout; refused to anyone but an admin."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PASSWORDS, ROOT, add_role_users
from vigie import admin_users as actions
from vigie import auth
from vigie.auth import User
from vigie.store import LastAdmin, Store


@pytest.fixture
def app_db(db_path, monkeypatch):
    monkeypatch.setenv("VIGIE_DB", str(db_path))
    store = Store(db_path)
    add_role_users(store)
    yield store
    store.close()


def admin_page(role: str = "admin") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["vigie_user"] = role
    at.run()
    at.switch_page("pages/admin.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def texts(at: AppTest, kind: str) -> str:
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in getattr(at, kind)))


def users_table(at: AppTest):
    return next((d.value for d in at.dataframe if "Identifiant" in d.value.columns), None)


def actions_on(store: Store, username: str) -> list[tuple[str, str]]:
    return [(e["actor"], e["action"]) for e in store.audit_entries(entity="users",
                                                                   entity_id=username)]


def test_admin_sees_every_account_without_secrets(app_db) -> None:
    table = users_table(admin_page())
    assert set(table["Identifiant"]) == set(auth.ROLES)
    assert set(table["Rôle"]) == {"lecture (écran mural)", "bénévole", "coordination",
                                  "administration"}
    assert not any("argon2" in str(v) for v in table.to_numpy().ravel())


def test_a_coordinator_gets_no_users_tab(app_db) -> None:
    at = admin_page("coordinator")
    assert users_table(at) is None
    assert not [b for b in at.button if b.label == "Créer le compte"]


def test_the_tab_refuses_a_volunteer_when_rendered_anyway(app_db) -> None:
    def script() -> None:
        from vigie.auth import User
        from vigie.ui import admin_users

        admin_users.render(User("volunteer", "volunteer"))

    at = AppTest.from_function(script, default_timeout=30).run()
    assert "réservé aux administrateurs" in texts(at, "error")
    assert not at.button


def test_adding_an_account(app_db) -> None:
    at = admin_page()
    at.text_input(key="usr_new_name").input("alice")
    at.selectbox(key="usr_new_role").set_value("volunteer")
    at.text_input(key="usr_new_pw").input("un-long-mot-de-passe")
    at.text_input(key="usr_new_pw2").input("un-long-mot-de-passe")
    button(at, "Créer le compte").click().run()
    assert "Compte « alice » créé" in texts(at, "success")
    assert auth.authenticate(app_db, "alice", "un-long-mot-de-passe").role == "volunteer"
    assert actions_on(app_db, "alice") == [("admin", "create")]
    assert "alice" in set(users_table(at)["Identifiant"])


@pytest.mark.parametrize(("name", "pw", "pw2", "says"), [
    ("bob", "court", "court", "au moins 8"),
    ("bob", "un-long-mot-de-passe", "un-autre-mot-de-passe", "diffèrent"),
    ("bob bob", "un-long-mot-de-passe", "un-long-mot-de-passe", "Identifiant"),
    ("volunteer", "un-long-mot-de-passe", "un-long-mot-de-passe", "existe déjà"),
])
def test_invalid_accounts_are_refused_and_nothing_saved(app_db, name, pw, pw2, says) -> None:
    at = admin_page()
    before = (len(app_db.list_accounts()), len(app_db.audit_entries()))
    at.text_input(key="usr_new_name").input(name)
    at.text_input(key="usr_new_pw").input(pw)
    at.text_input(key="usr_new_pw2").input(pw2)
    button(at, "Créer le compte").click().run()
    assert "Rien n'a été enregistré" in texts(at, "error") and says in texts(at, "error")
    assert (len(app_db.list_accounts()), len(app_db.audit_entries())) == before
    assert app_db.get_user("volunteer")["role"] == "volunteer"


def test_changing_a_role(app_db) -> None:
    at = admin_page()
    at.selectbox(key="usr_pick").set_value("volunteer").run()
    at.selectbox(key="usr_role_volunteer").set_value("coordinator")
    at.button(key="usr_set_role").click().run()
    assert app_db.get_user("volunteer")["role"] == "coordinator"
    [entry] = app_db.audit_entries(entity="users", entity_id="volunteer")
    assert (entry["actor"], entry["action"], entry["before"], entry["after"]) == (
        "admin", "set_role", {"role": "volunteer"}, {"role": "coordinator"})


def test_disabling_ends_the_sessions_and_enabling_does_not_revive_them(app_db) -> None:
    token = auth.make_session_token(app_db, "viewer")
    at = admin_page()
    at.selectbox(key="usr_pick").set_value("viewer").run()
    at.button(key="usr_toggle").click().run()
    assert "désactivé" in texts(at, "success")
    assert not app_db.get_user("viewer")["active"]
    assert auth.user_from_token(app_db, token) is None
    at.button(key="usr_toggle").click().run()
    assert app_db.get_user("viewer")["active"]
    assert auth.user_from_token(app_db, token) is None
    assert [a for _, a in actions_on(app_db, "viewer")] == ["enable", "disable"]


def test_resetting_a_password_ends_the_sessions_and_audits_no_hash(app_db) -> None:
    token = auth.make_session_token(app_db, "volunteer")
    at = admin_page()
    at.selectbox(key="usr_pick").set_value("volunteer").run()
    at.text_input(key="usr_reset_pw_volunteer").input("nouveau-mot-de-passe")
    at.text_input(key="usr_reset_pw2_volunteer").input("nouveau-mot-de-passe")
    button(at, "Remplacer le mot de passe").click().run()
    assert "remplacé" in texts(at, "success")
    assert auth.user_from_token(app_db, token) is None
    assert auth.authenticate(app_db, "volunteer", "nouveau-mot-de-passe")
    with pytest.raises(auth.LoginError):
        auth.authenticate(app_db, "volunteer", PASSWORDS["volunteer"])
    [entry] = app_db.audit_entries(entity="users", entity_id="volunteer")
    assert entry["action"] == "reset_password" and "argon2" not in str(entry)


def test_an_admin_cannot_lock_themselves_out(app_db) -> None:
    at = admin_page()
    audited = len(app_db.audit_entries())
    at.selectbox(key="usr_pick").set_value("admin").run()
    assert at.button(key="usr_toggle").disabled
    assert actions.set_active(app_db, User("admin", "admin"), "admin", 1, False) == [
        "Vous ne pouvez pas désactiver votre propre compte."]
    at.selectbox(key="usr_role_admin").set_value("volunteer")
    at.button(key="usr_set_role").click().run()
    assert "propre rôle" in texts(at, "error")
    row = app_db.get_user("admin")
    assert row["active"] and row["role"] == "admin"
    assert len(app_db.audit_entries()) == audited


def test_the_store_never_leaves_no_active_admin(app_db) -> None:
    row = app_db.get_user("admin")
    audited = len(app_db.audit_entries())
    with pytest.raises(LastAdmin):
        app_db.change_account("admin", row["version"], {"active": 0}, "someone",
                              action="disable")
    row = app_db.get_user("admin")
    assert row["active"] and row["version"] == 1
    assert len(app_db.audit_entries()) == audited


def test_two_admins_demoting_each_other_leave_one_admin(app_db) -> None:
    auth.add_user(app_db, "admin2", "admin2-pass-123", "admin")
    assert actions.set_role(app_db, User("admin", "admin"), "admin2", 1, "coordinator") == []
    with pytest.raises(actions.Refused):  # admin2's page still showed the admin role
        actions.set_role(app_db, User("admin2", "admin"), "admin", 1, "viewer")
    assert app_db.get_user("admin")["role"] == "admin"
    assert app_db.get_user("admin2")["role"] == "coordinator"


def test_a_demoted_admin_can_do_nothing_more(app_db) -> None:
    app_db.update_user("admin", role="coordinator")
    with pytest.raises(actions.Refused):
        actions.create(app_db, User("admin", "admin"), "eve", "viewer", "a-long-password",
                       "a-long-password")
    assert app_db.get_user("eve") is None


def test_a_stale_role_change_says_who_changed_the_account(app_db) -> None:
    at = admin_page()
    at.selectbox(key="usr_pick").set_value("volunteer").run()
    row = app_db.get_user("volunteer")
    app_db.change_account("volunteer", row["version"], {"role": "viewer"}, "bob",
                          action="set_role")
    at.selectbox(key="usr_role_volunteer").set_value("coordinator")
    at.button(key="usr_set_role").click().run()
    assert "modifié par bob" in texts(at, "error")
    assert app_db.get_user("volunteer")["role"] == "viewer"
