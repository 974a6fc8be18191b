"""In Debian's Chromium: a volunteer triages posts into a new claim with the keyboard, then a
coordinator moves the claim to `false` with a public message and publishes it."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ARTIFACTS, login, running_vigie, wait_for_app
from vigie.store import Store

pytestmark = pytest.mark.browser

RUMOR = "coincés au 1er étage"
TITLE = "Des habitants coincés rue de la Préfecture à Dijon"


def press(page, key: str) -> None:
    page.keyboard.press(key)
    page.wait_for_timeout(150)  # let the key's rerun start before waiting for its end
    wait_for_app(page)


def card_texts(page) -> list[str]:
    return page.locator("[class*='st-key-tq_card_']").all_inner_texts()


def active_index(page) -> int:
    for _ in range(40):  # a rerun may have detached the cards for a moment
        found = [i for i, t in enumerate(card_texts(page)) if "carte active" in t]
        if found:
            return found[0]
        page.wait_for_timeout(250)
    raise AssertionError("no active card in the triage queue")


def select_cards_with(page, text: str) -> int:
    """Walk the queue with J/K and select (X) every card that shows `text`."""
    wanted: list[int] = []
    for _ in range(40):  # the queue may be mid-rerun (detached cards): read it again
        wanted = [i for i, t in enumerate(card_texts(page)) if text in t]
        if wanted:
            break
        page.wait_for_timeout(250)
    for i in wanted:
        while active_index(page) < i:
            press(page, "j")
        while active_index(page) > i:
            press(page, "k")
        press(page, "x")
    return len(wanted)


def eventually(check, page, name: str, timeout_s: float = 20.0):
    """Poll `check()` until it is truthy; on time-out keep a screenshot for the post-mortem."""
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        page.wait_for_timeout(250)
    page.screenshot(path=str(ARTIFACTS / f"volunteers_{name}_failed.png"), full_page=True)
    raise AssertionError(f"{name}: condition not met within {timeout_s} s")


def pick(page, label: str, option: str) -> None:
    """Choose `option` in the Streamlit selectbox labelled `label`."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_volunteer_triages_into_a_claim_and_coordinator_debunks_it(tmp_path, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with running_vigie(tmp_path, speed=40) as server:
        base = server["url"]
        volunteer = browser.new_context(viewport={"width": 1500, "height": 1300},
                                        locale="fr-FR").new_page()
        login(volunteer, base, "volunteer", "/triage")
        volunteer.wait_for_selector("text=Raccourcis clavier")
        # the mini scenario's first two posts (a call for help and its retweet)
        for _ in range(60):
            if sum(RUMOR in t for t in card_texts(volunteer)) >= 1 and \
                    "Merci aux pompiers" in " ".join(card_texts(volunteer)):
                break
            volunteer.wait_for_timeout(1000)
            volunteer.reload()
            wait_for_app(volunteer)
        volunteer.mouse.click(5, 5)  # focus the page itself, no widget
        selected = select_cards_with(volunteer, RUMOR)
        assert selected >= 1
        assert volunteer.get_by_text(re.compile(r"Agit sur : \d+ cartes? coch")).count() \
            or selected == 1
        # single-key shortcuts must not fire while typing: this title has p, n, e, j, k, x...
        title = volunteer.get_by_label("Titre de la nouvelle affirmation")
        title.focus()
        volunteer.keyboard.press("Control+A")
        volunteer.keyboard.type(TITLE)
        press(volunteer, "Enter")
        store = Store(server["db"])
        eventually(lambda: store.claims_board(), volunteer, "triage")
        volunteer.wait_for_selector("text=Affirmation n°1 créée")
        volunteer.get_by_text("Affirmation n°1 créée").scroll_into_view_if_needed()
        volunteer.screenshot(path=str(ARTIFACTS / "volunteers_triage.png"), full_page=True)

        [claim] = store.claims_board()
        assert claim["title"] == TITLE and claim["created_by"] == "volunteer"
        posts = store.claim_posts(claim["id"])
        assert posts and all(RUMOR in p["text"] for p in posts)
        statuses = {r["status"] for r in store.query("SELECT status FROM posts")}
        assert not statuses & {"irrelevant", "escalated"}  # no shortcut fired while typing

        coordinator = browser.new_context(viewport={"width": 1500, "height": 1700},
                                          locale="fr-FR").new_page()
        login(coordinator, base, "coordinator", "/board")
        coordinator.locator(f".st-key-bo_{claim['id']} button").click()
        wait_for_app(coordinator)
        pick(coordinator, "Statut", "En cours")
        coordinator.get_by_role("button", name="Enregistrer", exact=True).click()
        coordinator.wait_for_selector("text=Affirmation n°1 enregistrée")
        wait_for_app(coordinator)
        pick(coordinator, "Statut", "Fausse")
        coordinator.get_by_label("Note de vérification (interne)").fill(
            "Aucun appel reçu par le SDIS ; la mairie confirme que la rue n'est pas inondée.")
        coordinator.get_by_label(re.compile("Message public")).fill(
            "FAUX : la rue de la Préfecture n'est pas inondée. En cas de danger, appelez le 112.")
        coordinator.get_by_role("button", name="Enregistrer", exact=True).click()
        coordinator.wait_for_selector("text=Fausse (1)")
        wait_for_app(coordinator)
        coordinator.get_by_role("button", name="Publier le verdict sur la carte publique").click()
        coordinator.wait_for_selector("text=Verdict publié sur la carte publique.")
        wait_for_app(coordinator)
        coordinator.screenshot(path=str(ARTIFACTS / "volunteers_board.png"), full_page=True)

        done = store.get_claim(claim["id"])
        assert (done["status"], done["verdict_by"], done["published"]) == (
            "false", "coordinator", 1)
        assert done["public_message"].startswith("FAUX")
        lines = [e["text"] for e in store.log_entries(kinds=["system"])]
        assert any("Verdict « fausse »" in t for t in lines)
        assert any("publiée sur la carte publique" in t for t in lines)
        store.close()
