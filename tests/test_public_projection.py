"""The public projection: published items only, valid RFC 7946 GeoJSON, the same for the
page and /api/public.geojson, EXERCICE during an exercise, no parameter reaches more."""

from __future__ import annotations

import json

import pytest
from starlette.requests import Request

from tests.geojson_check import rfc7946_errors
from tests.public_seed import PUBLISHED, SECRETS, seed
from vigie import public
from vigie.web import public_geojson


@pytest.fixture
def seeded(fresh_store):
    seed(fresh_store)
    public.clear_cache()
    yield fresh_store
    public.clear_cache()


def layers(collection) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in collection["features"]:
        out.setdefault(f["properties"]["layer"], []).append(f)
    return out


def test_only_published_items_are_projected(seeded) -> None:
    by = layers(public.projection(seeded))
    assert {f["properties"]["description"] for f in by["road"]} == {
        PUBLISHED["road"], PUBLISHED["planned"], "D33 déviation par Pont-de-Pany"}
    assert {f["properties"]["status"] for f in by["road"]} == {"active", "planned"}
    assert [f["properties"]["name"] for f in by["shelter"]] == [
        f"[EXERCICE] {PUBLISHED['shelter']}"]
    assert [f["properties"]["message"] for f in by["fact"]] == [PUBLISHED["fact"]]
    assert [f["properties"]["message"] for f in by["debunk"]] == [PUBLISHED["debunk"]]
    assert set(by) == {"road", "shelter", "fact", "debunk"}


def test_no_private_string_is_in_the_projection(seeded) -> None:
    text = json.dumps(public.projection(seeded), ensure_ascii=False)
    assert [name for name, secret in SECRETS.items() if secret in text] == []


def test_the_projection_is_valid_rfc7946(seeded) -> None:
    collection = json.loads(public.projection_bytes(seeded))
    assert rfc7946_errors(collection) == []
    road = next(f for f in collection["features"] if f["id"] == "road:cd21:1")
    assert road["geometry"] == {"type": "LineString",
                                "coordinates": [[4.91, 47.31], [4.9, 47.3]]}
    assert road["properties"]["_umap_options"]["color"].startswith("#")


def test_the_checker_rejects_what_rfc7946_forbids() -> None:
    bad = {"type": "FeatureCollection", "crs": {}, "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point",
                                                           "coordinates": [47.3, 95.0]}},
        {"type": "Feature", "properties": [], "geometry": {
            "type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}}]}
    assert len(rfc7946_errors(bad)) == 4


def test_an_exercise_says_so_at_the_top_and_on_every_feature(seeded) -> None:
    collection = public.projection(seeded)
    assert collection["exercise"] is True and "EXERCICE" in collection["notice"]
    assert all(f["properties"]["exercise"] is True for f in collection["features"])


def test_a_real_incident_carries_no_exercise_mark(fresh_store) -> None:
    seed(fresh_store, exercise=False)
    collection = public.projection(fresh_store)
    assert collection["exercise"] is False and "notice" not in collection
    assert not any("EXERCICE" in json.dumps(f) for f in collection["features"])


def call(query: bytes = b"", method: str = "GET"):
    scope = {"type": "http", "method": method, "path": "/api/public.geojson",
             "query_string": query, "headers": [(b"host", b"vigie.test")]}
    return public_geojson(Request(scope))


@pytest.mark.parametrize("query", [
    b"", b"all=1", b"include=posts,people&debug=true", b"layer=posts&private=1",
    b"status=to_verify&published=0", b"lang=en&fields=author,text", b"post=x:leak",
])
def test_the_geojson_route_serves_the_same_bytes_whatever_the_query(seeded, monkeypatch,
                                                                     query) -> None:
    monkeypatch.setenv("VIGIE_DB", str(seeded.path))
    response = call(query)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    assert response.headers["access-control-allow-origin"] == "*"
    assert "max-age=30" in response.headers["cache-control"]
    assert response.body == public.projection_bytes(seeded)
    body = response.body.decode()
    assert [name for name, secret in SECRETS.items() if secret in body] == []


def test_a_cors_preflight_is_answered(seeded, monkeypatch) -> None:
    monkeypatch.setenv("VIGIE_DB", str(seeded.path))
    response = call(method="OPTIONS")
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"


def test_the_route_is_registered() -> None:
    from vigie.web import routes

    assert any(r.path == "/api/public.geojson" for r in routes())
