"""Freshness drill: an item a source serves shows on the wall within the source's poll
interval plus 3 seconds, through the real chain — HTTP feed on loopback, the collectors
process the app starts, enrichment, SQLite, the wall's live panel in Debian's Chromium."""

from __future__ import annotations

import threading
import time
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import ARTIFACTS, login, running_vigie
from vigie.models import utc_now
from vigie.store import Store
from vigie.store.posts import PostFilter

pytestmark = [pytest.mark.browser, pytest.mark.slow]

POLL = 5  # the source's `every`, in seconds
TEXT = ("URGENT personne âgée coincée sur le toit de sa maison à Genlis, l'eau monte, "
        "appelez les secours")


class Feed:
    """An RSS feed whose items the test publishes while the collectors poll it."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.polls = 0

    def publish(self, guid: str, title: str) -> None:
        when = format_datetime(utc_now())
        self.items.append(f"<item><guid>{guid}</guid><title>{title}</title>"
                          f"<pubDate>{when}</pubDate></item>")

    def body(self) -> bytes:
        return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                "<title>Fil test</title><link>http://127.0.0.1/</link>"
                f"<description>test</description>{''.join(self.items)}</channel></rss>"
                ).encode()


@pytest.fixture
def feed():
    state = Feed()
    state.publish("calm-1", "Niveau de la Tille stable ce matin à Arc-sur-Tille")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            state.polls += 1
            body = state.body()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/feed.rss"
    yield state
    server.shutdown()


def test_a_served_item_reaches_the_wall_within_poll_interval_plus_3_s(tmp_path, feed,
                                                                      browser) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[source]]\nname = "fil-test"\nkind = "rss"\nurl = "{feed.url}"\n'
                       f"every = {POLL}\n", encoding="utf-8")
    with running_vigie(tmp_path, sources=sources) as server:
        store = Store(server["db"])
        deadline = time.monotonic() + 60
        while store.count_posts(PostFilter()) < 1:  # the collectors are up and have polled once
            assert time.monotonic() < deadline, "the feed was never collected"
            time.sleep(0.5)
        context = browser.new_context(viewport={"width": 1920, "height": 1080},
                                      locale="fr-FR")
        page = context.new_page()
        login(page, server["url"], "viewer", "/situation?kiosk=1")
        page.wait_for_selector(".st-key-wall-panel-urgent")
        navigations: list[str] = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        time.sleep(1.3)  # publish at an arbitrary phase of the poll cycle
        feed.publish("urgent-1", TEXT)
        published = time.monotonic()
        limit = POLL + 3
        page.wait_for_function(
            "t => document.querySelector('.st-key-wall-panel-urgent')?.innerText.includes(t)",
            arg="coincée sur le toit", timeout=(limit + 10) * 1000)
        elapsed = time.monotonic() - published
        page.locator(".st-key-wall-panel-urgent").screenshot(
            path=str(ARTIFACTS / "wall-freshness.png"))
        context.close()
    print(f"served item on the wall after {elapsed:.1f} s (poll every {POLL} s)")
    assert navigations == [], "the wall reloaded instead of refreshing in place"
    assert elapsed <= limit, f"on the wall after {elapsed:.1f} s, more than {limit} s"
