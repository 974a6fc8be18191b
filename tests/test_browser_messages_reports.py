"""In Debian's Chromium, on the replayed exercise: a coordinator drafts and approves a
message, then downloads the point de situation as a PDF from the Reports page."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS, login, running_vigie
from tests.report_world import build_world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world_server(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("world-server")
    build_world(tmp / "vigie.db").close()
    sources = tmp / "sources.toml"
    sources.write_text("", encoding="utf-8")
    with running_vigie(tmp, sources=sources, env={"VIGIE_COLLECTORS": "external"}) as server:
        yield server


def test_a_coordinator_drafts_and_approves_a_message(world_server, browser) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="fr-FR")
    page = context.new_page()
    login(page, world_server["url"], "coordinator", "/messages")
    page.wait_for_selector("text=Messages à la population")
    page.wait_for_selector("text=Longueur par réseau")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "messages-compose.png"), full_page=True)
    commune = page.locator("[data-testid='stSelectbox']").filter(has_text="Commune")
    commune.locator("input").fill("Genlis")
    commune.locator("input").press("Enter")
    page.wait_for_selector("text=Inondation à Genlis")
    page.get_by_role("button", name="Créer le brouillon").click()
    page.wait_for_selector("text=créé : il attend l'approbation")
    page.get_by_role("tab", name="Brouillons et validation").click()
    page.get_by_role("button", name="Approuver").first.click()
    page.wait_for_selector("text=Message approuvé.")
    page.get_by_role("tab", name="Brouillons et validation").click()
    page.screenshot(path=str(ARTIFACTS / "messages-queue.png"), full_page=True)
    context.close()


def test_the_sitrep_pdf_downloads_from_the_reports_page(world_server, browser,
                                                        tmp_path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="fr-FR",
                                  accept_downloads=True)
    page = context.new_page()
    login(page, world_server["url"], "coordinator", "/reports")
    page.wait_for_selector("text=Rapports et exports")
    page.get_by_role("button", name="Préparer le point de situation").click()
    page.wait_for_selector("text=Prêt : EXERCICE-point-de-situation", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "reports.png"), full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger").first.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.startswith("EXERCICE-") and path.read_bytes().startswith(b"%PDF-")
    context.close()
