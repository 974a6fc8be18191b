"""In Debian's Chromium: log in, watch scenario posts arrive on the Timeline without
reloading, and keep the login across a reload."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, PASSWORDS, login, wait_for_app

pytestmark = pytest.mark.browser


def post_count(page) -> int:
    return page.locator("[data-testid='stVerticalBlockBorderWrapper']").count()


def test_scenario_posts_appear_on_the_timeline_without_reload(vigie_server, browser) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    login(page, vigie_server["url"], "volunteer", "/timeline")
    page.wait_for_selector("text=Fil chronologique")
    page.wait_for_selector("text=EXERCICE")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.wait_for_selector("text=coincés au 1er étage", timeout=30_000)
    # p4 is released ~30 s after the start at speed 20: it arrives through the
    # fragment's own refresh, with no navigation of the page.
    page.wait_for_selector("text=Merci aux pompiers", timeout=60_000)
    assert navigations == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline.png"), full_page=True)
    page.reload()
    wait_for_app(page)
    page.wait_for_selector("text=Fil chronologique")
    assert page.locator("text=Connexion requise").count() == 0
    context.close()


def test_wrong_password_is_refused_with_a_message(vigie_server, browser) -> None:
    page = browser.new_page()
    page.goto(f"{vigie_server['url']}/signin?next=/timeline")
    page.fill("#username", "viewer")
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Identifiant ou mot de passe incorrect")
    page.close()


def test_anonymous_visitor_is_asked_to_sign_in_and_returned(vigie_server, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{vigie_server['url']}/timeline")
    wait_for_app(page)
    page.wait_for_selector("text=Connexion requise")
    assert page.locator("text=coincés au 1er étage").count() == 0
    page.get_by_role("link", name="Se connecter").first.click()
    page.fill("#username", "viewer")
    page.fill("#password", PASSWORDS["viewer"])
    page.click("button[type=submit]")
    wait_for_app(page)
    page.wait_for_selector("text=Fil chronologique")
    assert page.url.rstrip("/").endswith("/timeline")
    context.close()
