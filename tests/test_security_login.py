"""Login over real HTTP and in Debian's Chromium: throttling through /api/login, signed
cookies that expire and die with the account, a reload that keeps the login, and no
password ever written to the server's output, the collectors' log or the database."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import PASSWORDS, ROOT, login, running_vigie, wait_for_app
from tests.test_admin_users_page import admin_page, button
from vigie import admin_users as actions
from vigie import auth
from vigie.auth import User
from vigie.models import Post, iso, utc_now
from vigie.store import Store
from vigie.store.posts import post_row

pytestmark = pytest.mark.browser
NEED_LOGIN = "Connexion requise"
SESSION_HOURS = 0.5
# Unique passwords: any of them found in an output or a table is a leak.
PW_CLI = "Mdp-Sentinelle-Cli-zq81"
PW_WRONG = "Mdp-Sentinelle-Faux-xy42"
PW_RESET = "Mdp-Sentinelle-Reinit-wv73"
PW_SHORT = "Qz7#k"
PW_HUGE = "Mdp-Sentinelle-Enorme-" + "x\x00y" * 50_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_vigie(tmp_path_factory.mktemp("login"),
                       env={"VIGIE_SESSION_HOURS": str(SESSION_HOURS)}) as srv:
        store = Store(srv["db"])
        auth.add_user(store, "throttled", "bon-mot-de-passe", "viewer")
        store.close()
        yield srv


def post_login(base: str, username: str, password: str) -> requests.Response:
    return requests.post(f"{base}/api/login", data={"username": username,
                                                     "password": password, "next": "/log"},
                         allow_redirects=False, timeout=30)


def test_login_is_throttled_over_http_and_only_for_that_account(server) -> None:
    base = server["url"]
    for _ in range(auth.MAX_FAILURES):
        response = post_login(base, "throttled", "mauvais")
        assert response.status_code == 401 and "incorrect" in response.text
    response = post_login(base, "throttled", "bon-mot-de-passe")
    assert response.status_code == 429 and "Trop de tentatives" in response.text
    assert auth.COOKIE_NAME not in response.cookies
    assert post_login(base, "viewer", PASSWORDS["viewer"]).status_code == 303
    # An unknown account gets the same answer as a wrong password.
    assert "incorrect" in post_login(base, "personne", "mauvais").text


def test_the_cookie_is_signed_httponly_and_lasts_the_configured_time(server) -> None:
    response = post_login(server["url"], "viewer", PASSWORDS["viewer"])
    header = response.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header
    assert f"max-age={int(SESSION_HOURS * 3600)}" in header
    body = response.cookies[auth.COOKIE_NAME].split(".")[0]
    expires = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["e"]
    assert abs(expires - (time.time() + SESSION_HOURS * 3600)) < 120


def session_cookie(server, token: str) -> dict:
    return {"name": auth.COOKIE_NAME, "value": token, "url": server["url"],
            "httpOnly": True, "sameSite": "Lax"}


def text_of(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def wait_text(page, predicate, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while True:
        text = text_of(page)
        if predicate(text) or time.monotonic() > deadline:
            return text
        time.sleep(0.3)


def test_an_expired_cookie_no_longer_opens_a_page(server, browser) -> None:
    """A real signed cookie that the browser keeps past its lifetime: the server refuses."""
    store = Store(server["db"])
    lifetime = 15.0
    token = auth.make_session_token(store, "viewer", hours=lifetime / 3600)
    expires = time.monotonic() + lifetime
    store.close()
    context = browser.new_context()
    context.add_cookies([session_cookie(server, token)])  # no expiry: only the server decides
    page = context.new_page()
    page.goto(f"{server['url']}/log")
    wait_for_app(page)
    assert "Main courante" in wait_text(page, lambda t: "Main courante" in t)
    time.sleep(max(0.0, expires - time.monotonic() + 1.5))
    page.goto(f"{server['url']}/log")
    wait_for_app(page)
    assert NEED_LOGIN in wait_text(page, lambda t: NEED_LOGIN in t)
    context.close()


def test_a_reload_keeps_the_login(server, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    login(page, server["url"], "viewer", "/situation")
    page.reload()
    wait_for_app(page)
    text = wait_text(page, lambda t: "SITUATION" in t.upper() and len(t) > 50)
    assert NEED_LOGIN not in text and "SITUATION" in text.upper()
    context.close()


def add_post(store: Store, text: str) -> None:
    """An urgent post: the wall lists it too."""
    now = iso(utc_now())
    store.insert_post_rows([post_row(
        Post(id=f"rss:{text}", source="x", kind="rss", text=text, created_at=now,
             place="Dijon"),
        collected_at=now, collector="x", fetched_at=None,
        incident_id=(store.active_incident() or {}).get("id"),
        enrichment={"urgency": 0.95, "categories": ["help_request"]})])


@pytest.mark.parametrize("path", ["timeline", "situation"])
def test_a_disabled_account_is_out_at_the_next_rerun_even_on_a_self_refreshing_page(
        server, browser, path) -> None:
    store = Store(server["db"])
    auth.add_user(store, f"agent-{path}", "mot-de-passe-agent", "volunteer")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server['url']}/signin?next=/{path}")
    page.fill("#username", f"agent-{path}")
    page.fill("#password", "mot-de-passe-agent")
    page.click("button[type=submit]")
    wait_for_app(page)
    before = f"avant-desactivation-{path}"
    add_post(store, before)
    assert before in wait_text(page, lambda t: before in t, timeout=30)
    row = store.get_user(f"agent-{path}")
    assert actions.set_active(store, User("admin", "admin"), row["username"], row["version"],
                              False) == []
    after = f"apres-desactivation-{path}"
    add_post(store, after)
    # The page refreshes itself every few seconds: the next refresh must not show new data.
    text = wait_text(page, lambda t: NEED_LOGIN in t or after in t, timeout=30)
    assert after not in text and NEED_LOGIN in text
    context.close()
    store.close()


def test_no_password_is_ever_written_anywhere(server, monkeypatch, capfd) -> None:
    base, db = server["url"], server["db"]
    cli = [sys.executable, "-m", "vigie", "--db", str(db), "users", "add"]
    added = subprocess.run([*cli, "carla", "--role", "volunteer", "--password-stdin"],
                           input=PW_CLI + "\n", capture_output=True, text=True, cwd=ROOT,
                           timeout=60)
    refused = subprocess.run([*cli, "dora", "--role", "viewer", "--password-stdin"],
                             input=PW_SHORT + "\n", capture_output=True, text=True, cwd=ROOT,
                             timeout=60)
    assert added.returncode == 0 and refused.returncode != 0
    assert post_login(base, "carla", PW_CLI).status_code == 303
    for _ in range(2):
        assert post_login(base, "carla", PW_WRONG).status_code == 401
    assert post_login(base, PW_WRONG, PW_WRONG).status_code == 401  # password in username box
    assert post_login(base, "carla", PW_HUGE).status_code in (401, 413, 400)
    # A password reset in the Admin page (its form, as an admin), and one that is refused.
    monkeypatch.setenv("VIGIE_DB", str(db))
    at = admin_page()
    at.selectbox(key="usr_pick").set_value("carla").run()
    at.text_input(key="usr_reset_pw_carla").input(PW_RESET)
    at.text_input(key="usr_reset_pw2_carla").input(PW_WRONG)
    button(at, "Remplacer le mot de passe").click().run()
    at.text_input(key="usr_reset_pw_carla").input(PW_RESET)
    at.text_input(key="usr_reset_pw2_carla").input(PW_RESET)
    button(at, "Remplacer le mot de passe").click().run()
    assert not at.exception
    assert post_login(base, "carla", PW_RESET).status_code == 303
    store = Store(db)
    dump = "\n".join(store.conn.iterdump())
    store.close()
    captured = capfd.readouterr()
    outputs = {
        "cli": added.stdout + added.stderr + refused.stdout + refused.stderr,
        "pytest process (AppTest)": captured.out + captured.err,
        "server": (server["tmp"] / "server.log").read_text(errors="replace"),
        "collectors": (db.parent / (db.name + ".collectors.log")).read_text(errors="replace")
        if (db.parent / (db.name + ".collectors.log")).exists() else "",
        "database": dump,
        "page": repr([e.value for e in [*at.error, *at.warning, *at.success, *at.markdown]]),
    }
    found = [(where, pw[:24]) for where, text in outputs.items()
             for pw in (PW_CLI, PW_WRONG, PW_RESET, PW_SHORT, PW_HUGE[:30]) if pw in text]
    assert found == []
    assert "carla" in dump and "collectors" in outputs["server"]  # the capture is not blind
