"""The wall in Debian's Chromium at 1920x1080, kiosk mode, on the bundled scenario replayed
fast: screenshots, a new urgent post within one refresh without reload, rotation, and the
frozen-display warning when the server goes away."""

from __future__ import annotations

import os
import signal
import time
from urllib.parse import quote

import pytest

from tests.conftest import ARTIFACTS, ROOT, login, running_vigie, wait_for_app
from tests.wall_helpers import add_post
from vigie.models import utc_now
from vigie.store import Store
from vigie.ui.wall_panels import REFRESH

pytestmark = pytest.mark.browser

SCENARIO = ROOT / "data" / "scenarios" / "crue-cote-dor.jsonl"
SPEED = 96  # the 8-hour flood in 5 minutes


@pytest.fixture(scope="module")
def wall_server(tmp_path_factory):
    with running_vigie(tmp_path_factory.mktemp("wall"), SCENARIO, speed=SPEED) as server:
        yield server


@pytest.fixture
def wall_page(wall_server, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page = context.new_page()
    login(page, wall_server["url"], "viewer", "/situation?kiosk=1")
    yield page
    context.close()


def urgent_texts(page) -> str:
    return page.locator(".st-key-wall-panel-urgent").inner_text()


def test_the_wall_in_kiosk_mode_fills_the_screen_without_chrome(wall_server, wall_page) -> None:
    page = wall_page
    page.wait_for_selector("text=Urgences ouvertes")
    # let the exercise run a little, so every panel has something to show
    store = Store(wall_server["db"])
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and store.roads_closed() < 3:
        time.sleep(2)
    time.sleep(REFRESH["roads"] + 2)
    banner = page.locator(".vigie-exercise")
    assert banner.is_visible() and "EXERCICE" in banner.inner_text()
    assert banner.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 26
    for hidden in ("stHeader", "stToolbar", "stSidebar", "stMainMenu"):
        assert not page.locator(f"[data-testid='{hidden}']").is_visible()
    # the page never scrolls: everything sits within the 1080 px
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight") <= 1080
    body = page.locator(".st-key-wall-panel-urgent p").first
    assert body.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 26
    assert page.locator(".wall-fig .v").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)") >= 75
    assert "COLLECTE ARRÊTÉE" not in page.inner_text("body")
    assert page.locator("[data-testid='stDeckGlJsonChart']").is_visible()
    assert page.locator("[data-testid='stVegaLiteChart']").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "wall-kiosk.png"))


def test_a_new_urgent_post_appears_within_one_refresh_without_reload(wall_server,
                                                                     wall_page) -> None:
    page = wall_page
    page.wait_for_selector(".st-key-wall-panel-urgent")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    text = "TEST Personne âgée coincée sur le toit, 4 rue du Moulin à Genlis, l'eau monte"
    store = Store(wall_server["db"])
    exercise = store.running_exercise()
    add_post(store, utc_now(), text=text, place="Genlis", urgency=0.97,
             incident_id=exercise["id"] if exercise else None)
    started = time.monotonic()
    # One refresh of the panel, plus time for a shared 2-core test machine to run the
    # fragment and Chromium's software rendering to paint it.
    limit = REFRESH["urgent"] * 2 + 4
    page.wait_for_function(
        "t => document.querySelector('.st-key-wall-panel-urgent')?.innerText.includes(t)",
        arg="Personne âgée coincée sur le toit", timeout=limit * 1000)
    elapsed = time.monotonic() - started
    assert navigations == []
    print(f"urgent post on the wall after {elapsed:.1f} s")
    page.locator(".st-key-wall-panel-urgent").screenshot(
        path=str(ARTIFACTS / "wall-urgent-panel.png"))


def test_rotation_switches_views_without_reloading(wall_server, browser) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page = context.new_page()
    login(page, wall_server["url"], "viewer", quote("/situation?kiosk=1&rotate=15"))
    page.wait_for_selector(".st-key-wall-panel-urgent")
    assert "rotate=15" in page.url
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    def view() -> str:
        return "overview" if page.locator(".st-key-wall-panel-verdicts").count() else "map"

    first = view()
    page.wait_for_function(
        "v => (document.querySelector('.st-key-wall-panel-verdicts') ? 'overview' : 'map')"
        " !== v", arg=first, timeout=30_000)
    assert view() != first and navigations == []
    wait_for_app(page)
    page.wait_for_timeout(3000)
    page.screenshot(path=str(ARTIFACTS / f"wall-kiosk-{view()}.png"))
    context.close()


def test_a_frozen_display_says_so(wall_server, wall_page) -> None:
    """Last: the server goes away; the screen, left with old data, must not look current."""
    page = wall_page
    page.wait_for_selector(".wall-stale", state="attached")
    page.wait_for_timeout(36_000)  # longer than the warning's delay: refreshes keep it away
    assert not page.locator(".wall-stale").is_visible()
    os.killpg(wall_server["proc"].pid, signal.SIGKILL)
    page.wait_for_selector(".wall-stale", state="visible", timeout=45_000)
    assert "AFFICHAGE FIGÉ" in page.locator(".wall-stale").inner_text()
    page.screenshot(path=str(ARTIFACTS / "wall-frozen.png"))
