"""Admin page, Sources tab (AppTest): health in words, add, edit, enable/disable, run now;
invalid input shows an error and saves nothing; refused to anyone but an admin."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from collectors.base import Source
from collectors.registry import KINDS
from collectors.runner import Runner
from tests.conftest import FIXTURES, ROOT, add_role_users
from vigie import admin_sources as actions
from vigie.auth import User
from vigie.store import Store
from vigie.ui.admin_sources import kind_label

MINI = str(FIXTURES / "replay" / "mini.jsonl")


@pytest.fixture
def app_db(db_path, monkeypatch, tmp_path):
    monkeypatch.setenv("VIGIE_DB", str(db_path))
    store = Store(db_path)
    add_role_users(store)
    Runner(store, [Source("exercice", "replay", MINI, every=30, options={"speed": 1000}),
                   Source("missing", "replay", str(tmp_path / "nope.jsonl"), every=30)]
           ).run_once()
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


def sources_table(at: AppTest):
    """The Sources tab's table (the only one with a "Source" column), or None."""
    return next((d.value for d in at.dataframe if "Source" in d.value.columns), None)


def texts(at: AppTest, *kinds: str) -> str:
    """The text of those elements, markdown escapes removed."""
    joined = " ".join(e.value for kind in kinds for e in getattr(at, kind))
    return re.sub(r"\\(.)", r"\1", joined)


def audit(store: Store, name: str) -> list[tuple[str, str]]:
    return [(e["actor"], e["action"]) for e in store.audit_entries(entity="sources",
                                                                   entity_id=name)]


def test_admin_sees_every_source_with_its_health_in_words(app_db) -> None:
    at = admin_page()
    table = sources_table(at)
    assert set(table["Source"]) == {"exercice", "missing"}
    states = dict(zip(table["Source"], table["État"], strict=True))
    assert states == {"exercice": "OK", "missing": "En échec"}
    assert "2 source(s)" in texts(at, "markdown")
    at.selectbox(key="src_pick").set_value("missing").run()
    shown = texts(at, "markdown")
    assert "Aucun relevé réussi" in shown and "introuvable" in shown
    assert "1 échec" in shown and "Prochain relevé" in shown


def test_a_coordinator_gets_no_sources_tab(app_db) -> None:
    at = admin_page("coordinator")
    assert sources_table(at) is None
    assert not [s for s in at.selectbox if s.key == "src_pick"]


def test_the_tab_refuses_a_coordinator_when_rendered_anyway(app_db) -> None:
    def script() -> None:
        from vigie.auth import User
        from vigie.ui import admin_sources

        admin_sources.render(User("coordinator", "coordinator"))

    at = AppTest.from_function(script, default_timeout=30).run()
    assert "réservé aux administrateurs" in texts(at, "error")
    assert not at.dataframe and not at.button


def test_adding_a_valid_source_saves_it_as_an_admin_source(app_db) -> None:
    at = admin_page()
    at.selectbox(key="src_new_kind").set_value("mastodon").run()
    at.text_input(key="src_new_name_mastodon").input("mastodon-crue")
    at.text_area(key="src_new_options_mastodon").input(
        'instance = "https://mastodon.example"\nhashtags = ["crue21"]\n')
    at.number_input(key="src_new_every_mastodon").set_value(120)
    button(at, "Ajouter la source").click().run()
    assert not at.exception
    row = app_db.get_source("mastodon-crue")
    assert row is not None and row["origin"] == "admin" and row["every"] == 120
    assert row["options"] == {"instance": "https://mastodon.example", "hashtags": ["crue21"]}
    assert audit(app_db, "mastodon-crue") == [("admin", "create")]
    assert "ajoutée" in texts(at, "success")


@pytest.mark.parametrize(("options", "url", "says"), [
    ('hashtag = ["crue21"]\ninstance = "https://m.example"', "", "Option inconnue"),
    ('instance = "https://m.example"\ntoken = "abc"', "", "secrets.toml"),
    ('instance = ', "", "TOML"),
    ('instance = "https://m.example"\nlimit = 500', "", "limit"),
    ('instance = "https://m.example"', "ftp://example.org/x", "non prise en charge"),
])
def test_invalid_input_shows_an_error_and_saves_nothing(app_db, options, url, says) -> None:
    at = admin_page()
    at.selectbox(key="src_new_kind").set_value("mastodon").run()
    at.text_input(key="src_new_name_mastodon").input("mauvaise")
    at.text_input(key="src_new_url_mastodon").input(url)
    at.text_area(key="src_new_options_mastodon").input(options)
    audit_before = len(app_db.audit_entries())
    button(at, "Ajouter la source").click().run()
    assert "Rien n'a été enregistré" in texts(at, "error") and says in texts(at, "error")
    assert app_db.get_source("mauvaise") is None
    assert len(app_db.audit_entries()) == audit_before


def test_a_taken_or_bad_name_is_refused(app_db) -> None:
    at = admin_page()
    at.selectbox(key="src_new_kind").set_value("replay").run()
    at.text_input(key="src_new_url_replay").input(MINI)
    at.text_input(key="src_new_name_replay").input("exercice")
    button(at, "Ajouter la source").click().run()
    assert "déjà ce nom" in texts(at, "error")
    at.text_input(key="src_new_name_replay").input("avec espace")
    button(at, "Ajouter la source").click().run()
    assert "sans espace" in texts(at, "error")
    assert {r["name"] for r in app_db.list_sources()} == {"exercice", "missing"}


def test_editing_a_source_saves_the_new_definition(app_db) -> None:
    at = admin_page()
    at.selectbox(key="src_pick").set_value("exercice").run()
    at.number_input(key="src_edit_every_exercice").set_value(45)
    at.text_area(key="src_edit_options_exercice").input("speed = 500\n")
    button(at, "Enregistrer").click().run()
    assert not at.exception and "enregistrée" in texts(at, "success")
    row = app_db.get_source("exercice")
    assert (row["every"], row["options"], row["version"]) == (45, {"speed": 500}, 2)
    assert row["state"] == {}  # new options: the old cursor is dropped
    assert audit(app_db, "exercice")[0] == ("admin", "update")


def test_an_invalid_edit_saves_nothing(app_db) -> None:
    at = admin_page()
    at.selectbox(key="src_pick").set_value("exercice").run()
    at.text_area(key="src_edit_options_exercice").input('speed = "vite"\n')
    button(at, "Enregistrer").click().run()
    assert "speed" in texts(at, "error")
    assert app_db.get_source("exercice")["version"] == 1


def test_disable_enable_and_run_now_write_what_they_say(app_db) -> None:
    at = admin_page()
    at.selectbox(key="src_pick").set_value("exercice").run()
    at.button(key="src_run").click().run()
    assert app_db.get_source("exercice")["run_requested"] == 1
    assert "Relevé de « exercice » demandé" in texts(at, "success")
    at.button(key="src_toggle").click().run()
    assert not app_db.get_source("exercice")["enabled"]
    assert at.button(key="src_run").disabled  # nothing to run while disabled
    at.button(key="src_toggle").click().run()
    assert app_db.get_source("exercice")["enabled"]
    assert audit(app_db, "exercice")[:3] == [("admin", "enable"), ("admin", "disable"),
                                            ("admin", "run_now")]


def test_a_stale_toggle_says_who_changed_the_source(app_db) -> None:
    at = admin_page()
    at.selectbox(key="src_pick").set_value("exercice").run()
    row = app_db.get_source("exercice")
    app_db.edit_source("exercice", row["version"], {"every": 90}, "bob")  # meanwhile
    at.button(key="src_toggle").click().run()
    assert "modifiée par bob" in texts(at, "error")
    row = app_db.get_source("exercice")
    assert row["enabled"] and row["every"] == 90


def test_every_action_checks_the_role_again_in_the_database(app_db) -> None:
    was_admin = User("admin", "admin")
    app_db.update_user("admin", role="coordinator")  # demoted after the page was drawn
    with pytest.raises(actions.Refused):
        actions.run_now(app_db, was_admin, "exercice")
    with pytest.raises(actions.Refused):
        actions.set_enabled(app_db, was_admin, "exercice", 1, False)
    with pytest.raises(actions.Refused):
        actions.add(app_db, was_admin, actions.SourceForm("x", "replay", MINI))
    row = app_db.get_source("exercice")
    assert row["enabled"] and not row["run_requested"] and app_db.get_source("x") is None


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_a_french_label(kind) -> None:
    label = kind_label(kind)
    assert label.startswith(f"{kind} — ") and "kind_" not in label
