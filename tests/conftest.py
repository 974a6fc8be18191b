"""Shared fixtures: fresh databases, a real Vigie server, and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import requests

from tests.faultserver import fault_server, refused_url, unknown_host_url  # noqa: F401
from tests.fixtureserver import fixture_server  # noqa: F401
from vigie import auth
from vigie.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("VIGIE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
PASSWORDS = {"admin": "admin-pass-123", "viewer": "viewer-pass-123",
             "volunteer": "volunteer-pass-123", "coordinator": "coordinator-pass-123"}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "vigie.db"


@pytest.fixture
def fresh_store(db_path: Path) -> Store:
    store = Store(db_path)
    yield store
    store.close()


def add_role_users(store: Store) -> None:
    """One account per role, named after the role."""
    for role in auth.ROLES:
        if not store.get_user(role):
            auth.add_user(store, role, PASSWORDS.get(role, f"{role}-pass-123"), role)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_sources(path: Path, scenario: Path, speed: float = 20.0, every: float = 1.0) -> Path:
    path.write_text(
        "[[source]]\n"
        'name = "exercice"\nkind = "replay"\n'
        f'url = "{scenario}"\nevery = {every}\nspeed = {speed}\n',
        encoding="utf-8")
    return path


@contextmanager
def running_vigie(tmp: Path, scenario: Path | None = None, *, speed: float = 20.0,
                  sources: Path | None = None, env: dict[str, str] | None = None):
    """`streamlit run app.py` on a free port against a database in `tmp`, its collectors
    started by the app itself (replaying `scenario`, or the given sources file); waits
    for /_stcore/health. Yields {"url", "db", "tmp", "proc"}. One account per role
    exists, named after the role (passwords in PASSWORDS)."""
    db = tmp / "vigie.db"
    store = Store(db)
    add_role_users(store)
    store.close()
    if sources is None:
        sources = write_sources(tmp / "sources.toml",
                                scenario or FIXTURES / "replay" / "mini.jsonl", speed=speed)
    port = free_port()
    full_env = {**os.environ, "VIGIE_DB": str(db), "VIGIE_SOURCES": str(sources),
                "STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
                "VIGIE_ADMIN_PASSWORD": PASSWORDS["admin"], **(env or {})}
    log = open(tmp / "server.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py"], cwd=ROOT,
                            env=full_env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if requests.get(f"{base}/_stcore/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((tmp / "server.log").read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        yield {"url": base, "db": db, "tmp": tmp, "proc": proc}
    finally:
        # The collectors run in their own session: end the whole process group of each.
        for pid_proc in (proc,):
            with suppress(ProcessLookupError):
                os.killpg(pid_proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        stop_collectors(db)
        log.close()


def stop_collectors(db: Path) -> None:
    """End the collectors process that holds this database's lock, if any."""
    from vigie.process import lock_path

    path = lock_path(db)
    if path.exists():
        with suppress(ValueError, ProcessLookupError, PermissionError):
            pid = int(path.read_text().strip() or 0)
            if pid:
                os.kill(pid, signal.SIGTERM)


@pytest.fixture(scope="session")
def vigie_server(tmp_path_factory: pytest.TempPathFactory):
    """A real Vigie replaying the mini scenario, shared by the tests of a session."""
    with running_vigie(tmp_path_factory.mktemp("server")) as server:
        yield server


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright (never a downloaded browser)."""
    if not chromium_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it "
                        "(apt-get install -y chromium)")
        pytest.skip("Chromium not installed: run `sudo apt-get install -y chromium` "
                    "to run the browser tests")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as pw:
        exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
        browser = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Streamlit's own readiness: the app is connected and its script is not running."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => { const a = document.querySelector(\"[data-testid='stApp']\");"
        " return a && a.getAttribute('data-test-script-state') !== 'running'; }",
        timeout=timeout)


def login(page, base: str, username: str, next_path: str = "/") -> None:
    page.goto(f"{base}/signin?next={next_path}")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.click("button[type=submit]")
    wait_for_app(page)
