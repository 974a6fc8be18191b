"""In Debian's Chromium against a real server: the map of the bundled exercise is legible
with no tile server, and nothing private ever reaches the public page or the GeoJSON."""

from __future__ import annotations

import io
import json
import time

import pytest
import requests

from tests.conftest import ARTIFACTS, ROOT, login, running_vigie, wait_for_app
from tests.geojson_check import rfc7946_errors
from tests.public_seed import PUBLISHED, SECRETS, seed
from vigie.store import Store

pytestmark = pytest.mark.browser
SCENARIO = ROOT / "data" / "scenarios" / "crue-cote-dor.jsonl"
CANVAS = "() => document.querySelector(\"[data-testid='stDeckGlJsonChart'] canvas\")"


def wait_for(predicate, timeout: float = 120, step: float = 1.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


def colours(png: bytes) -> int:
    """How many distinct colours a screenshot holds (an empty map has one or two)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 120))
    return len(image.getcolors(maxcolors=200 * 120) or [])


def test_the_exercise_map_shows_roads_and_posts_without_tiles(tmp_path, browser) -> None:
    with running_vigie(tmp_path, SCENARIO, speed=400) as server:
        store = Store(server["db"])
        wait_for(lambda: store.scalar("SELECT count(*) FROM road_events") >= 15
                 and store.scalar("SELECT count(*) FROM posts WHERE lat IS NOT NULL") >= 50)
        context = browser.new_context(viewport={"width": 1400, "height": 1500}, locale="fr-FR")
        page = context.new_page()
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith(server["url"]) else None)
        login(page, server["url"], "viewer", "/map")
        page.wait_for_selector("text=Carte")
        page.wait_for_function(CANVAS, timeout=60_000)
        time.sleep(3)  # deck.gl draws after the canvas exists
        chart = page.query_selector("[data-testid='stDeckGlJsonChart']")
        ARTIFACTS.mkdir(exist_ok=True)
        shot = chart.screenshot(path=str(ARTIFACTS / "map.png"))
        page.screenshot(path=str(ARTIFACTS / "map-page.png"), full_page=True)
        assert colours(shot) > 40  # communes, outline, names, roads, posts
        assert page.locator("text=publications localisées").count() == 1
        tiles = [u for u in outside if "carto" in u or "mapbox" in u or "tile" in u]
        assert tiles == []
        page.goto(f"{server['url']}/roads")
        wait_for_app(page)
        page.wait_for_function(CANVAS, timeout=60_000)
        time.sleep(2)
        page.screenshot(path=str(ARTIFACTS / "roads.png"), full_page=True)
        assert page.locator("text=Fermeture").count() > 0
        context.close()
        store.close()


QUERIES = ["", "?all=1&debug=1", "?post=x:leak&include=posts,people", "?lang=en",
           "?layer=people&published=0&status=to_verify", "?embed=true&fields=author,text"]


def test_nothing_private_reaches_the_public_page_or_the_geojson(tmp_path, browser) -> None:
    with running_vigie(tmp_path, ROOT / "tests" / "fixtures" / "replay" / "mini.jsonl",
                       speed=20) as server:
        store = Store(server["db"])
        seed(store)
        base = server["url"]
        for query in QUERIES:
            response = requests.get(f"{base}/api/public.geojson{query}", timeout=10)
            assert response.status_code == 200
            assert response.headers["access-control-allow-origin"] == "*"
            doc = response.json()
            assert rfc7946_errors(doc) == [] and doc["exercise"] is True
            assert [k for k, s in SECRETS.items() if s in response.text] == []
            assert PUBLISHED["fact"] in response.text
        context = browser.new_context(viewport={"width": 1400, "height": 1500}, locale="fr-FR")
        page = context.new_page()
        received: list[bytes] = []

        def on_socket(ws) -> None:
            ws.on("framereceived", lambda payload: received.append(
                payload if isinstance(payload, bytes) else payload.encode()))

        page.on("websocket", on_socket)
        for query in QUERIES:
            page.goto(f"{base}/public{query}")
            wait_for_app(page)
            page.wait_for_selector(f"text={PUBLISHED['shelter']}", timeout=30_000)
            page.wait_for_selector("text=EXERCICE")
            html = page.content()
            assert [k for k, s in SECRETS.items() if s in html] == [], query
            assert PUBLISHED["debunk"] in page.inner_text("body")
        # Markdown escaping ("Velars\\-sur\\-Ouche") must not hide a leak: drop backslashes.
        everything = b"".join(received).decode("utf-8", errors="replace").replace("\\", "")
        assert PUBLISHED["road"] in everything  # the frames were captured
        assert [k for k, s in SECRETS.items() if s in everything] == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "public.png"), full_page=True)
        # The same browser, signed in, sees internal data elsewhere: the check is not blind.
        login(page, base, "viewer", "/timeline")
        page.wait_for_selector(f"text={SECRETS['post_author']}", timeout=30_000)
        context.close()
        store.close()


def test_the_geojson_loads_cross_origin_as_umap_would(tmp_path, browser) -> None:
    with running_vigie(tmp_path, ROOT / "tests" / "fixtures" / "replay" / "mini.jsonl",
                       speed=20) as server:
        page = browser.new_page()
        # http://localhost:PORT and http://127.0.0.1:PORT are two origins: a page of the
        # first fetches from the second, as uMap's remote data does from its own site.
        other_origin = server["url"].replace("127.0.0.1", "localhost")
        page.goto(f"{other_origin}/signin")
        fetch = ("async (url) => { try { const r = await fetch(url); "
                 "return [r.status, await r.text()]; } catch (e) { return [0, String(e)]; } }")
        status, body = page.evaluate(fetch, f"{server['url']}/api/public.geojson")
        assert status == 200 and json.loads(body)["type"] == "FeatureCollection"
        # The control: a route without the CORS header is refused to that page.
        assert page.evaluate(fetch, f"{server['url']}/api/health")[0] == 0
        page.close()
