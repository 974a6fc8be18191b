"""In Debian's Chromium: the Admin page's Sources tab shows health in words, a source added
there is collected by the already running collectors, and the Users tab lists accounts."""

from __future__ import annotations

import time

import pytest

from tests.conftest import ARTIFACTS, FIXTURES, login, running_vigie, wait_for_app
from vigie.store import Store

pytestmark = pytest.mark.browser


def wait_until(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_admin_sources_and_users_in_the_browser(browser, tmp_path, fixture_server,
                                                refused_url) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "exercice"\nkind = "replay"\n'
        f'url = "{FIXTURES / "replay" / "mini.jsonl"}"\nevery = 2\nspeed = 20\n\n'
        f'[[source]]\nname = "flux-en-panne"\nkind = "rss"\nurl = "{refused_url}"\n'
        f'every = 3600\n', encoding="utf-8")
    with running_vigie(tmp_path, sources=sources) as server:
        store = Store(server["db"])
        assert wait_until(lambda: (store.get_source("flux-en-panne") or {}).get("last_error"))
        context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="fr-FR")
        page = context.new_page()
        login(page, server["url"], "admin", "/admin")
        page.wait_for_selector("text=Administration")
        page.wait_for_selector("text=Gérer une source")
        page.wait_for_selector("text=2 source(s)")
        page.wait_for_selector("text=En échec")
        assert page.locator("text=Le processus de collecte ne tourne pas").count() == 0
        wait_for_app(page)
        page.wait_for_selector("text=Relever maintenant")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-sources.png"), full_page=True)

        # Added in the page: the running collectors pick it up without a restart.
        page.get_by_label("Nom (unique, sans espace)").fill("flux-crue")
        page.get_by_label("Adresse (http(s), file:// ou chemin d'un fichier sur le serveur)",
                          exact=True).last.fill(
            fixture_server.file_url("rss/vigie/crue_ouche_fr.xml"))
        page.get_by_role("button", name="Ajouter la source").click()
        page.wait_for_selector("text=Source « flux-crue » ajoutée")
        assert wait_until(lambda: store.scalar(
            "SELECT count(*) FROM posts WHERE source = 'flux-crue'") == 3)
        assert store.get_source("flux-crue")["origin"] == "admin"

        page.get_by_role("tab", name="Utilisateurs").click()
        page.wait_for_selector("text=Ajouter un compte")
        wait_for_app(page)
        page.screenshot(path=str(ARTIFACTS / "admin-users.png"), full_page=True)
        context.close()
