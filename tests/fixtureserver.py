"""A well-behaved local HTTP server that serves the real fixtures, for collection tests.

Listens on 127.0.0.1 only, on a free port, in a background thread.

    /files/<path>                       tests/fixtures/<path>, typed by its extension
    /mastodon/api/v1/timelines/tag/<t>  tests/fixtures/mastodon/vigie/boosts_fr.json
    /bluesky/xrpc/app.bsky.feed.searchPosts
                                        tests/fixtures/bluesky/vigie/search_page.json

Query strings are ignored (a cursor or `since_id` gets the same page: the collectors
must deduplicate). Every request is counted by path, so a test can assert what was
(not) fetched.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROUTES = {
    "/bluesky/xrpc/app.bsky.feed.searchPosts": "bluesky/vigie/search_page.json",
}
PREFIX_ROUTES = {
    "/mastodon/api/v1/timelines/tag/": "mastodon/vigie/boosts_fr.json",
}
TYPES = {
    ".xml": "application/xml", ".atom": "application/atom+xml", ".cap": "application/xml",
    ".rss": "application/rss+xml", ".json": "application/json",
    ".geojson": "application/geo+json", ".jsonl": "application/x-ndjson",
    ".csv": "text/csv; charset=utf-8",
}


class FixtureServer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        handler = type("Handler", (_Handler,), {"server_state": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       kwargs={"poll_interval": 0.1}, name="fixture-server")

    def start(self) -> FixtureServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def file_url(self, relative: str) -> str:
        return self.url(f"/files/{relative}")

    def count(self, path: str) -> int:
        with self.lock:
            return self.counts[path]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_state: FixtureServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        path = unquote(urlsplit(self.path).path)
        with self.server_state.lock:
            self.server_state.counts[path] += 1
        target = self._target(path)
        if target is None or not target.is_file():
            self._send(404, b"not found", "text/plain")
            return
        self._send(200, target.read_bytes(), TYPES.get(target.suffix, "application/octet-stream"))

    def _target(self, path: str) -> Path | None:
        if path in ROUTES:
            return FIXTURES / ROUTES[path]
        for prefix, relative in PREFIX_ROUTES.items():
            if path.startswith(prefix):
                return FIXTURES / relative
        if path.startswith("/files/"):
            target = (FIXTURES / path[len("/files/"):]).resolve()
            if FIXTURES in target.parents:  # never outside the fixtures
                return target
        return None

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def fixture_server() -> Iterator[FixtureServer]:
    server = FixtureServer().start()
    yield server
    server.stop()
