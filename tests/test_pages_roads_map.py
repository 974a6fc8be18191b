"""AppTest of the Roads, Map and public pages: what each role sees and may do."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, add_role_users
from tests.public_seed import PUBLISHED, SECRETS, seed
from vigie import public
from vigie.models import Post, RoadEvent, iso, utc_now
from vigie.road_events import communes_of
from vigie.store import Store
from vigie.store.posts import post_row


@pytest.fixture
def app_db(db_path, monkeypatch):
    monkeypatch.setenv("VIGIE_DB", str(db_path))
    store = Store(db_path)
    add_role_users(store)
    incident = store.create_incident("Exercice crue", exercise=True, scenario="test")
    now = utc_now()
    store.upsert_road_events([
        (RoadEvent(id="cd21:1", source="cd21", kind="geojson", road="D905", event_type="closure",
                   commune="Genlis", description="D905 fermée entre Genlis et Labergement",
                   detour="Déviation par l'A39", starts_at=iso(now - timedelta(hours=1)),
                   geometry={"type": "LineString", "coordinates": [[5.2, 47.24], [5.23, 47.23]]},
                   lat=47.235, lon=5.215), "active"),
        (RoadEvent(id="cd21:2", source="cd21", kind="geojson", road="D10", event_type="detour",
                   commune="Lantenay", description="Itinéraire de déviation",
                   geometry={"type": "LineString", "coordinates": [[4.86, 47.34], [4.9, 47.33]]},
                   lat=47.335, lon=4.88), "active"),
    ], incident)
    yield store
    store.close()
    public.clear_cache()


def open_page(page: str, role: str | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if role:
        at.session_state["vigie_user"] = role
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Every string the page sent (each element's protobuf as JSON), with backslashes
    removed: markdown escaping ("Velars\\-sur\\-Ouche") must not hide a leak."""
    from google.protobuf.json_format import MessageToJson

    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(MessageToJson(proto, ensure_ascii=False))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out).replace("\\", "")


def deck_json(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[index].proto.json)


def layer_ids(at: AppTest, index: int = 0) -> set[str]:
    return {layer["id"] for layer in deck_json(at, index)["layers"]}


def submit(at: AppTest, form: str) -> None:
    """Click the submit button of the form whose key is `form`, and run."""
    next(b for b in at.button if b.proto.form_id.endswith(form)).click().run()


def genlis() -> str:
    return next(c.label for c in communes_of(("21",)) if c.name == "Genlis")


# --------------------------------------------------------------------------- Roads


def test_viewers_see_the_events_with_french_labels_but_no_form(app_db) -> None:
    at = open_page("roads", "viewer")
    markdown = [m.value for m in at.markdown]
    assert any("**D905**" in m and "Fermeture" in m and "En cours" in m for m in markdown)
    assert any("Déviation" in m and "**D10**" in m for m in markdown)
    assert not any(e.label.startswith("Ajouter") for e in at.expander)
    assert {"roads", "detours", "communes", "outline"} <= layer_ids(at)


def test_the_road_filter_narrows_the_list(app_db) -> None:
    at = open_page("roads", "viewer")
    at.selectbox(key="rd_road").set_value("D10").run()
    headlines = [m.value for m in at.markdown if m.value.startswith("**")]
    assert headlines and all("**D10**" in h for h in headlines)


def test_a_coordinator_adds_a_closure_by_hand(app_db) -> None:
    at = open_page("roads", "coordinator")
    at.selectbox(key="add_event_type").set_value("closure")
    at.text_input(key="add_road").set_value("RD 905")
    at.selectbox(key="add_commune").set_value(genlis())
    at.text_input(key="add_start_text").set_value("Genlis")
    at.text_input(key="add_end_text").set_value("Labergement-Foigney")
    at.text_input(key="add_detour").set_value("par l'A39")
    submit(at, "road_add")
    assert not at.exception
    [event] = [e for e in app_db.road_events() if e["manual"]]
    assert event["road"] == "D905" and event["commune"] == "Genlis"
    assert event["description"] == "D905 fermée entre Genlis et Labergement-Foigney"
    assert event["detour"] == "par l'A39"
    assert event["geometry"]["type"] == "Point" and event["status"] == "active"
    assert app_db.audit_entries(entity="road_events")[0]["actor"] == "coordinator"
    assert app_db.log_entries()[0]["author"] == "coordinator"
    assert any("Événement ajouté" in s.value for s in at.success)


def test_a_stale_edit_is_refused_with_who_and_when(app_db) -> None:
    event_id = app_db.add_manual_road_event(
        {"road": "D974", "event_type": "closure", "commune": "Genlis", "status": "active",
         "description": "D974 fermée"}, "alice", incident_id=None, log_text="ajout")
    at = open_page("roads", "coordinator")
    app_db.edit_manual_road_event(event_id, 1, {"detour": "par la D25"}, "bob",
                                  action="road_event.edit", log_text="modif")
    at.text_input(key=f"ed_{event_id}_1_detour").set_value("par la D34")
    submit(at, f"road_edit_{event_id}_1")
    assert any("modifié par bob" in e.value for e in at.error)
    assert app_db.road_event(event_id)["detour"] == "par la D25"


def test_a_coordinator_reopens_a_manual_closure(app_db) -> None:
    event_id = app_db.add_manual_road_event(
        {"road": "D974", "event_type": "closure", "commune": "Genlis", "status": "active",
         "description": "D974 fermée"}, "alice", incident_id=None, log_text="ajout")
    at = open_page("roads", "coordinator")
    at.button(key=f"reopen_{event_id}_1").click().run()
    event = app_db.road_event(event_id)
    assert event["status"] == "ended" and event["updated_by"] == "coordinator"
    assert app_db.log_entries()[0]["text"].startswith("Route rouverte")


def test_feed_events_offer_no_edit_button(app_db) -> None:
    at = open_page("roads", "coordinator")
    assert not [b for b in at.button if b.key and b.key.startswith("reopen_cd21")]


def flag_a_post(store: Store) -> None:
    store.insert_post_rows([post_row(
        Post(id="x:1", source="x", kind="rss", text="La D905 est rouverte à Genlis",
             author="@témoin"), collected_at=iso(utc_now()), collector="x", fetched_at=None,
        incident_id=None)])
    store.add_post_flags([{"post_id": "x:1", "kind": "road_contradiction", "road": "D905",
                           "post_says": "open", "feed_says": "closed", "event_id": "cd21:1",
                           "place": "Genlis", "words": "rouverte",
                           "detail": {"event": {"road": "D905", "commune": "Genlis"}}}])


def test_flagged_posts_are_shown_and_a_volunteer_marks_them_checked(app_db) -> None:
    flag_a_post(app_db)
    viewer = open_page("roads", "viewer")
    assert any(t.label == "À vérifier (1)" for t in viewer.tabs)
    assert any("la publication la dit **ouverte**" in m.value for m in viewer.markdown)
    assert not [b for b in viewer.button if b.label == "Marquer comme vérifiée"]
    at = open_page("roads", "volunteer")
    next(b for b in at.button if b.label == "Marquer comme vérifiée").click().run()
    assert app_db.count_flagged_posts() == 0
    assert app_db.flagged_posts(status="checked")[0]["updated_by"] == "volunteer"


def test_a_coordinator_adds_a_shelter_and_publishes_it(app_db) -> None:
    at = open_page("roads", "coordinator")
    at.text_input(key="sh_add_name").set_value("Gymnase des Cent-Écus")
    at.selectbox(key="sh_add_commune").set_value(genlis())
    at.toggle(key="sh_add_published").set_value(True)
    submit(at, "shelter_add")
    assert not at.exception
    [shelter] = app_db.shelters()
    assert shelter["published"] == 1 and shelter["commune"] == "Genlis"
    public.clear_cache()
    names = [f["properties"]["name"] for f in public.projection(app_db)["features"]
             if f["properties"]["layer"] == "shelter"]
    assert names == ["[EXERCICE] Gymnase des Cent-Écus"]


def test_a_coordinator_edits_one_shelter_at_a_time(app_db) -> None:
    incident = app_db.active_incident()["id"]
    for name in ("Gymnase A", "Gymnase B"):
        app_db.add_shelter({"name": name, "commune": "Genlis", "lat": 47.24, "lon": 5.22},
                           "coordinator", incident_id=incident, log_text=name)
    at = open_page("roads", "coordinator")
    assert not edit_forms(at)
    first = min(s["id"] for s in app_db.shelters())
    at.button(key=f"sh_edit_{first}").click().run()
    assert edit_forms(at) == [f"shelter_edit_{first}_1"]
    at.text_input(key=f"sh_{first}_1_name").set_value("Gymnase A (salle 2)")
    submit(at, f"shelter_edit_{first}_1")
    assert not at.exception
    assert sorted(s["name"] for s in app_db.shelters()) == ["Gymnase A (salle 2)",
                                                            "Gymnase B"]
    assert not edit_forms(at)


def edit_forms(at: AppTest) -> list[str]:
    """The shelter edit forms on the page, by their submit buttons."""
    return [b.proto.form_id for b in at.button if "shelter_edit" in b.proto.form_id]


def test_a_volunteer_cannot_add_shelters_or_events(app_db) -> None:
    at = open_page("roads", "volunteer")
    assert not [b for b in at.button if b.label == "Enregistrer"]


# ----------------------------------------------------------------------------- Map


def located_post(store: Store, pid: str, text: str, urgency: float = 0.5) -> None:
    store.insert_post_rows([post_row(
        Post(id=pid, source="x", kind="rss", text=text, author="@a", lat=47.3, lon=5.0,
             precision="exact", place="Dijon", created_at=iso(utc_now())),
        collected_at=iso(utc_now()), collector="x", fetched_at=None, incident_id=None,
        enrichment={"urgency": urgency, "categories": ["help_request"]})])


def test_the_map_draws_its_layers_without_tiles(app_db) -> None:
    located_post(app_db, "x:1", "L'eau monte à Dijon")
    at = open_page("map", "viewer")
    deck = deck_json(at)
    assert {"communes", "outline", "labels", "roads", "detours", "posts"} <= layer_ids(at)
    assert "mapStyle" not in deck or deck["mapStyle"] == "__MAP_STYLE__"
    assert "mapProvider" not in deck


def test_layers_are_turned_off_and_tiles_on(app_db) -> None:
    located_post(app_db, "x:1", "L'eau monte à Dijon")
    at = open_page("map", "viewer")
    at.button_group(key="map_layers").set_value(["roads"]).run()
    ids = layer_ids(at)
    assert "posts" not in ids and "labels" not in ids and "roads" in ids
    at.toggle(key="map_tiles").set_value(True).run()
    assert "cartocdn" in deck_json(at)["mapStyle"]


def test_tooltips_cannot_carry_markup(app_db) -> None:
    located_post(app_db, "x:1", '<img src=x onerror="alert(1)"> <b>gras</b>')
    at = open_page("map", "viewer")
    posts = next(layer for layer in deck_json(at)["layers"] if layer["id"] == "posts")
    tip = posts["data"][0]["tip"]
    assert "<" not in tip and ">" not in tip and "‹img" in tip


def test_a_busy_window_is_binned(app_db, monkeypatch) -> None:
    from vigie.ui import map_view

    monkeypatch.setattr(map_view, "POINT_LIMIT", 3)
    for i in range(5):
        located_post(app_db, f"x:{i}", f"publication {i}")
    at = open_page("map", "viewer")
    assert "bins" in layer_ids(at) and "posts" not in layer_ids(at)
    assert any("regroupées" in c.value for c in at.caption)


def details_script() -> None:
    import streamlit as st

    from vigie.ui.map_view import MapData, details

    details(st.session_state["selection"], MapData())


@pytest.mark.parametrize(("layer", "obj", "expected"), [
    ("posts", {"id": "x:1"}, "L'eau monte"),
    ("roads", {"id": "cd21:1"}, "D905 fermée entre Genlis"),
    ("communes", {"type": "Feature", "properties": {"nom": "Dijon"}}, "Dijon"),
])
def test_a_clicked_item_is_detailed_below_the_map(app_db, layer, obj, expected) -> None:
    located_post(app_db, "x:1", "L'eau monte à Dijon")
    at = AppTest.from_function(details_script, default_timeout=30)
    at.session_state["selection"] = {"objects": {layer: [obj]}, "indices": {layer: [0]}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert expected in texts(at)


def test_without_a_click_the_map_invites_one(app_db) -> None:
    at = AppTest.from_function(details_script, default_timeout=30)
    at.session_state["selection"] = {"objects": {}, "indices": {}}
    at.run()
    assert any("Cliquez sur un élément" in c.value for c in at.caption)


# -------------------------------------------------------------------------- Public


@pytest.mark.parametrize("role", [None, "admin"], ids=["anonymous", "admin"])
def test_the_public_page_shows_published_items_and_nothing_private(db_path, monkeypatch,
                                                                   role) -> None:
    monkeypatch.setenv("VIGIE_DB", str(db_path))
    store = Store(db_path)
    add_role_users(store)
    seed(store)
    public.clear_cache()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if role:
        at.session_state["vigie_user"] = role
    for key, value in {"all": "1", "include": "posts", "post": "x:leak", "debug": "1"}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/public.py")
    at.run()
    assert not at.exception
    page = texts(at)
    for text in (PUBLISHED["road"], PUBLISHED["shelter"], PUBLISHED["fact"],
                 PUBLISHED["debunk"]):
        assert text in page
    assert [name for name, secret in SECRETS.items() if secret in page] == []
    assert "Connexion requise" not in page
    store.close()
