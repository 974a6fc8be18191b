"""Every page, for every role and for an anonymous visitor: it renders or refuses,
it never raises."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, add_role_users
from vigie.access import PAGE_ROLES, may_open
from vigie.auth import ROLES, User
from vigie.store import Store
from vigie.ui.shell import PAGES

VISITORS = (None, *ROLES)


@pytest.fixture
def app_db(db_path, monkeypatch):
    monkeypatch.setenv("VIGIE_DB", str(db_path))
    store = Store(db_path)
    add_role_users(store)
    store.create_incident("Exercice crue", exercise=True, scenario="test")
    yield store
    store.close()


def open_page(path: str, role: str | None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if role:
        at.session_state["vigie_user"] = role
    if lang:
        at.query_params["lang"] = lang
    at.run()
    page_file = dict((p, f) for p, f, _i, _s in PAGES)[path]
    at.switch_page(page_file)
    at.run()
    return at


def test_every_page_is_in_the_access_table() -> None:
    assert {p for p, *_ in PAGES} == set(PAGE_ROLES)


@pytest.mark.parametrize("role", VISITORS, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize("path", list(PAGE_ROLES))
def test_page_renders_or_refuses(app_db, path: str, role: str | None) -> None:
    at = open_page(path, role)
    assert not at.exception, [e.value for e in at.exception]
    user = User(role, role) if role else None
    texts = " ".join(e.value for e in [*at.warning, *at.error])
    if may_open(user, path):
        assert "Connexion requise" not in texts and "ne permet pas" not in texts
    elif role is None:
        assert "Connexion requise" in texts
    else:
        assert "ne permet pas" in texts


def first_run(role: str | None) -> AppTest:
    """The app's first run (default page). AppTest drops the shell's elements after
    switch_page, so the frame (banner, sidebar) is checked here and in the browser tests."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if role:
        at.session_state["vigie_user"] = role
    at.run()
    return at


@pytest.mark.parametrize("role", VISITORS, ids=lambda r: r or "anonymous")
def test_the_exercise_banner_is_shown_to_everyone(app_db, role) -> None:
    at = first_run(role)
    assert any("EXERCICE" in h.proto.body for h in at.html)


def test_no_banner_without_an_exercise(app_db) -> None:
    app_db.set_incident_status(app_db.active_incident()["id"], "closed")
    assert not any("EXERCICE" in h.proto.body for h in first_run("admin").html)


@pytest.mark.parametrize("role", VISITORS, ids=lambda r: r or "anonymous")
def test_navigation_lists_only_the_pages_a_role_may_open(app_db, role) -> None:
    at = first_run(role)
    links = {link.proto.page.split("/")[-1].removesuffix(".py") or "situation"
             for link in at.sidebar.get("page_link")}
    user = User(role, role) if role else None
    assert links == {p for p in PAGE_ROLES if may_open(user, p)}


def test_english_on_request(app_db) -> None:
    at = open_page("timeline", "viewer", lang="en")
    assert at.title[0].value == "Timeline"
    assert open_page("timeline", "viewer").title[0].value == "Fil chronologique"
