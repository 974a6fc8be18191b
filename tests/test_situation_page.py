"""AppTest of the wall page and of the exercise controls on the Admin page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, add_role_users
from tests.wall_helpers import add_claim, add_post
from vigie.models import utc_now
from vigie.store import Store

HOSTILE = "[clic](http://evil.invalid) <img src=x onerror=alert(1)> :red[rouge] ![i](x.png)"


@pytest.fixture
def app_db(db_path, monkeypatch):
    monkeypatch.setenv("VIGIE_DB", str(db_path))
    store = Store(db_path)
    add_role_users(store)
    yield store
    store.close()


def wall(role: str = "viewer", **params: str) -> AppTest:
    """The wall is the app's default page: no switch_page, so the shell's banner stays."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["vigie_user"] = role
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return " ".join([*(m.value for m in at.markdown), *(h.proto.body for h in at.html)])


def test_the_wall_shows_every_panel_with_its_data(app_db) -> None:
    now = utc_now()
    incident = app_db.create_incident("Crue de la Saône", exercise=False)
    add_post(app_db, now - timedelta(minutes=3), text="Famille bloquée au 1er étage",
             place="Genlis", urgency=0.9, incident_id=incident, categories=["help_request"])
    add_post(app_db, now - timedelta(minutes=8), text="Route coupée", place="Dijon",
             incident_id=incident, categories=["roads_traffic"])
    add_claim(app_db, "Le barrage aurait cédé", "false", incident)
    app_db.add_spike(at=app_db.now(), dimension="place", value="Genlis", count=12, baseline=1.5,
                     score=6, incident_id=incident, dedupe_since=app_db.now(), log_text="x")
    body = texts(wall(kiosk="1"))
    for expected in ("Urgences ouvertes", "Famille bloquée au 1er étage", "Genlis",
                     "Le barrage aurait cédé", "HAUSSE INHABITUELLE", "12 publications",
                     "Publications par thème", "données à", "Crue de la Saône"):
        assert expected in body, expected


def test_collected_text_is_escaped_on_the_wall(app_db) -> None:
    add_post(app_db, utc_now() - timedelta(minutes=1), text=HOSTILE, place="<b>Dijon</b>",
             urgency=0.95)
    at = wall()
    assert not any("<img" in h.proto.body or "<b>Dijon" in h.proto.body for h in at.html)
    line = next(m.value for m in at.markdown if "evil" in m.value)
    assert "\\[clic\\]\\(http" in line and "\\<img" in line and "\\:red\\[" in line


def test_kiosk_mode_hides_streamlit_chrome_and_enlarges_the_banner(app_db) -> None:
    app_db.create_incident("Exercice crue", exercise=True)
    kiosk = texts(wall(kiosk="1"))
    assert 'data-testid="stHeader"' in kiosk and ".vigie-exercise" in kiosk
    assert "EXERCICE" in kiosk
    assert 'data-testid="stHeader"' not in texts(wall())


def test_a_stopped_collector_is_announced(app_db) -> None:
    assert "COLLECTE ARRÊTÉE" in texts(wall())  # nothing holds the collectors' lock here


def test_the_wall_speaks_english_on_request(app_db) -> None:
    body = texts(wall(lang="en"))
    assert "URGENT, OPEN" in body.upper() and "data at" in body


def test_the_map_view_can_be_pinned(app_db) -> None:
    at = wall(view="map")
    assert at.session_state["wall_view"] == "map"
    assert wall().session_state["wall_view"] == "overview"


def test_rotation_alternates_views_on_the_wall_clock() -> None:
    from vigie.ui.wall_layout import rotation, view_now

    assert rotation("60") == 60 and rotation("2") == 15 and rotation("x") is None
    assert rotation(None) is None and rotation("0") is None
    assert [view_now(60, None, now=t) for t in (0, 59, 60, 125)] == [
        "overview", "overview", "map", "overview"]
    assert view_now(60, "map", now=0) == "map" and view_now(None, None) == "overview"


def test_the_root_url_and_situation_both_show_the_wall(app_db) -> None:
    at = wall()
    at.switch_page("pages/situation.py")
    at.run()
    assert not at.exception and "Urgences ouvertes" in texts(at)


# -- exercise controls -----------------------------------------------------------------

def admin(role: str = "coordinator") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["vigie_user"] = role
    at.run()
    at.switch_page("pages/admin.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_coordinator_starts_pauses_stops_and_purges_an_exercise(app_db) -> None:
    at = admin()
    assert [t.label for t in at.tabs] == ["Incidents et exercices"]
    at.selectbox(key="exercise_speed").set_value(32.0)
    click(at, "Démarrer")
    exercise = app_db.running_exercise()
    assert exercise and exercise["speed"] == 32.0 and exercise["created_by"] == "coordinator"
    assert app_db.get_source(exercise["source"])["enabled"]
    assert any("Exercice démarré" in s.value for s in at.success)

    click(at, "Mettre en pause")
    assert app_db.get_incident(exercise["id"])["status"] == "paused"
    click(at, "Reprendre")
    assert app_db.get_incident(exercise["id"])["status"] == "active"

    click(at, "Arrêter l'exercice")  # not confirmed: nothing happens
    assert app_db.get_incident(exercise["id"])["status"] == "active"
    at.checkbox(key=f"stop-sure-{exercise['id']}").check()
    click(at, "Arrêter l'exercice")
    assert app_db.get_incident(exercise["id"])["status"] == "closed"

    add_post(app_db, utc_now(), text="fictif", incident_id=exercise["id"])
    at = admin()  # the finished exercise with data is offered for purge
    at.checkbox(key=f"purge-sure-{exercise['id']}").check()
    click(at, "Purger les données de l'exercice")
    assert app_db.scalar("SELECT count(*) FROM posts") == 0
    assert any("Données purgées" in s.value for s in at.success)
    actions = [a["action"] for a in app_db.audit_entries(entity="incidents")]
    assert actions == ["purge_exercise", "stop_exercise", "resume_exercise", "pause_exercise",
                       "start_exercise"]


def test_a_coordinator_opens_and_closes_a_real_incident(app_db) -> None:
    at = admin()
    at.text_input(key="incident_name").input("Inondations du Val de Saône")
    at.text_input(key="incident_keywords").input("crue, Saône")
    click(at, "Ouvrir l'incident")
    incident = app_db.active_real_incident()
    assert incident["name"] == "Inondations du Val de Saône"
    assert incident["keywords"] == ["crue", "Saône"] and incident["departements"] == ["21"]
    at.checkbox(key=f"close-sure-{incident['id']}").check()
    click(at, "Clôturer l'incident")
    assert app_db.active_real_incident() is None


def test_only_one_exercise_at_a_time_in_the_page(app_db) -> None:
    app_db.create_incident("Exercice en cours", exercise=True, scenario="mini")
    at = admin()
    assert any("déjà en cours" in i.value for i in at.info)
    assert not any(b.label == "Démarrer" for b in at.button)


def test_an_admin_also_sees_the_exercise_tab(app_db) -> None:
    assert "Incidents et exercices" in [t.label for t in admin("admin").tabs]


def _exercise_tab_as_a_volunteer() -> None:
    from vigie.auth import User
    from vigie.ui import admin_exercises

    admin_exercises.render(User("volunteer", "volunteer"))


def test_the_exercise_tab_refuses_lesser_roles_on_the_server() -> None:
    at = AppTest.from_function(_exercise_tab_as_a_volunteer, default_timeout=30)
    at.run()
    assert any("Réservé" in e.value for e in at.error)
    assert not at.button
