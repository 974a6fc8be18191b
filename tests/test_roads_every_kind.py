"""Road events of every feed kind reach the Roads page, the Map and the public projection
(the parsers' own fixtures, through the pipeline)."""

from __future__ import annotations

import importlib
import json

import pytest
from streamlit.testing.v1 import AppTest

from tests._road_cases import FIXTURES, run
from tests.conftest import ROOT, add_role_users
from vigie import public
from vigie.pipeline import ingest
from vigie.store import Store

FEEDS = [
    ("wzdx", "scenario4_detour_linestring_example.geojson", {}),
    ("datex2", "datex2_v2_situation_cotedor_handwritten.xml", {}),
    ("cifs", "cifs_json_wrapped_handwritten.json", {}),
    ("geojson", "routes_generic_handwritten.geojson", None),
]


def geojson_options() -> dict:
    doc = json.loads((FIXTURES / "geojson" / "routes_generic_handwritten.geojson.expected.json")
                     .read_text(encoding="utf-8"))
    return doc["cases"][0].get("options", {})


@pytest.fixture
def fed(db_path, monkeypatch):
    monkeypatch.setenv("VIGIE_DB", str(db_path))
    store = Store(db_path)
    add_role_users(store)
    store.create_incident("Exercice", exercise=True, scenario="kinds")
    ids: dict[str, list[str]] = {}
    for kind, name, options in FEEDS:
        module = importlib.import_module(f"collectors.{kind}")
        batch = run(module, kind, (FIXTURES / kind / name).read_bytes(),
                    geojson_options() if options is None else options, name=f"feed-{kind}")
        assert batch.road_events, kind
        ingest(store, batch, collector=f"feed-{kind}", incident_id=None)
        ids[kind] = [ev.id for ev in batch.road_events]
    yield store, ids
    store.close()
    public.clear_cache()


def test_every_kind_is_listed_on_the_roads_page_and_drawn_on_the_map(fed) -> None:
    store, ids = fed
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["vigie_user"] = "viewer"
    at.run()
    at.switch_page("pages/roads.py")
    at.run()
    at.multiselect(key="rd_status").set_value(["active", "planned", "ended"]).run()
    at.multiselect(key="rd_sources").set_value([f"feed-{k}" for k, _n, _o in FEEDS]).run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    for kind, _name, _options in FEEDS:
        assert f"feed\\-{kind}" in captions, kind
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    drawn = {row["id"] for layer in deck["layers"] if layer["id"] in
             ("roads", "detours", "road_points") for row in layer["data"]}
    for kind, event_ids in ids.items():
        located = [i for i in event_ids if (store.road_event(i) or {}).get("lat") is not None
                   or (store.road_event(i) or {}).get("geometry")]
        assert set(located) <= drawn and located, kind


def test_every_kind_in_effect_reaches_the_public_projection(fed) -> None:
    store, ids = fed
    features = {f["id"] for f in public.projection(store)["features"]}
    shown = 0
    for kind, event_ids in ids.items():
        in_effect = [i for i in event_ids if store.road_event(i)["status"] != "ended"]
        assert {f"road:{i}" for i in in_effect} <= features, kind
        shown += len(in_effect)
    assert shown >= 3  # the fixtures hold events in effect (others ended long ago)
