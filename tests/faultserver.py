"""A local HTTP server that misbehaves on demand, to test how collectors cope.

It listens on 127.0.0.1 only, on a free port, in a background thread. Every
request is counted under its `key` query parameter (or its path when there is
none), so a test can assert how many attempts reached the server: use a key of
your own per test. Routes:

    /ok                              a small RSS feed
    /status/<code>?retry_after=N     that status; Retry-After N seconds
                  &retry_after_date=N  ... or as an HTTP-date N seconds ahead
    /slow-headers?delay=S            waits S seconds before answering
    /drip?seconds=S[&chunked=1]      one byte every 0.5 s for S seconds
    /stall?seconds=S[&drip=D]        sends a few bytes, drips for D s, then waits S seconds
    /truncated[?chunked=1]           promises more bytes than it sends, then closes
    /huge?mb=M[&length=1]            streams M MiB made on the fly (length=1 announces it)
    /gzip-bomb?mb=M                  M MiB of zeros, gzip-compressed on the wire
    /gzip                            a small gzip-encoded RSS feed
    /malformed.xml, /malformed.json  broken documents, with the right types
    /invalid-utf8                    text/plain; charset=utf-8 with invalid bytes
    /wrong-type                      JSON served as image/png
    /captive                         an HTML login page served as application/rss+xml
    /redirect-loop                   two URLs redirecting to each other
    /redirect-chain?n=N              N redirects, then 200
    /redirect?to=URL[&status=302]    one redirect (only to this machine or file:)
    /etag                            ETag/Last-Modified; If-None-Match -> 304
    /flaky?fail=N&key=K              503 for the first N requests of key K, then 200
    /headers                         echoes the request headers as JSON
    /count[?key=K]                   request counts as JSON (not counted itself)

Fixtures: `fault_server` (session), `refused_url` (a bound port that does not
listen) and `unknown_host_url` (a name under .invalid, resolved to a failure
locally so no DNS query ever leaves the machine).
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from time import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

MIB = 1024 * 1024
RSS = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<rss version="2.0"><channel><title>Vigie test</title>'
    "<item><guid>1</guid><title>Crue de l'Ouche à Dijon : pont fermé</title></item>"
    "</channel></rss>\n"
).encode()
ETAG = '"v1"'
LAST_MODIFIED = "Mon, 02 Mar 2026 08:00:00 GMT"


class FaultServer:
    """The running server: URLs, per-key request counters and bytes sent."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.finished: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._bombs: dict[int, bytes] = {}
        handler = type("Handler", (_Handler,), {"fault": self})
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="fault-server",
                                       kwargs={"poll_interval": 0.1}, daemon=True)

    def start(self) -> FaultServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # wakes drip and slow handlers
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def count(self, key: str) -> int:
        with self.lock:
            return self.counts[key]

    def wait_finished(self, key: str, n: int = 1, timeout: float = 10.0) -> bool:
        """Wait until `n` handlers for `key` have returned (the client hung up)."""
        deadline = time() + timeout
        while time() < deadline:
            with self.lock:
                if self.finished[key] >= n:
                    return True
            self.stopping.wait(0.02)
        return False

    def gzip_bomb(self, mb: int) -> bytes:
        """`mb` MiB of zeros gzip-compressed, built one MiB at a time (never whole)."""
        with self.lock:
            if mb not in self._bombs:
                packer = zlib.compressobj(9, zlib.DEFLATED, 31)
                zeros = bytes(MIB)
                parts = [packer.compress(zeros) for _ in range(mb)]
                self._bombs[mb] = b"".join(parts) + packer.flush()
            return self._bombs[mb]


class _QuietServer(ThreadingHTTPServer):
    """Daemon handler threads; a client that hangs up is expected here, not an error."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms stalls
    fault: FaultServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep test output clean

    # -- dispatch ---------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        parts = urlsplit(self.path)
        self.route = parts.path
        self.query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.key = self.query.get("key", self.route)
        if self.route == "/count":
            self._count()
            return
        with self.fault.lock:
            self.fault.counts[self.key] += 1
            self.nth = self.fault.counts[self.key]
        try:
            self._dispatch()
        except OSError:
            self.close_connection = True  # the client hung up: that is the point of most routes
        finally:
            with self.fault.lock:
                self.fault.finished[self.key] += 1

    def _dispatch(self) -> None:
        route = self.route
        if route.startswith("/status/") and route[8:].isdigit():
            self._status(int(route[8:]))
            return
        handler = {
            "/ok": lambda: self._send(200, RSS, "application/rss+xml; charset=utf-8"),
            "/slow-headers": self._slow_headers,
            "/drip": self._drip,
            "/stall": self._stall,
            "/truncated": self._truncated,
            "/huge": self._huge,
            "/gzip-bomb": self._gzip_bomb,
            "/gzip": self._gzip,
            "/malformed.xml": lambda: self._send(
                200, b"<rss><channel><item><title>Route coup", "application/rss+xml"),
            "/malformed.json": lambda: self._send(
                200, b'{"statuses": [{"id": "1", "content": "Pont', "application/json"),
            "/invalid-utf8": lambda: self._send(
                200, b"Route coup\xe9e \xff \xc3\x28 entre Dijon et Beaune",
                "text/plain; charset=utf-8"),
            "/wrong-type": lambda: self._send(
                200, '{"items": [{"id": 1, "text": "Pont fermé"}]}'.encode(), "image/png"),
            "/captive": lambda: self._send(
                200, b"<!DOCTYPE html><html><body>Connexion Wi-Fi</body></html>",
                "application/rss+xml"),
            "/redirect-loop": self._redirect_loop,
            "/redirect-chain": self._redirect_chain,
            "/redirect": self._redirect,
            "/etag": self._etag,
            "/flaky": self._flaky,
            "/headers": self._headers,
        }.get(route)
        if handler is None:
            self._send(404, b"not found", "text/plain")
        else:
            handler()

    # -- helpers ----------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        if status in (204, 304) or status < 200:
            body = b""  # these statuses never carry a body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self._write(body)

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        with self.fault.lock:
            self.fault.sent[self.key] += len(data)

    def _write_chunk(self, data: bytes) -> None:
        self._write(b"%x\r\n%s\r\n" % (len(data), data))

    def _start_stream(self, content_type: str, length: int | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _redirect_to(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _number(self, name: str, default: float) -> float:
        return float(self.query.get(name, default))

    def _keyed(self, path: str, **params: object) -> str:
        if "key" in self.query:
            params["key"] = self.query["key"]
        return f"{path}?{urlencode(params)}" if params else path

    # -- routes -----------------------------------------------------------------------

    def _count(self) -> None:
        with self.fault.lock:
            if "key" in self.query:
                data = {"key": self.query["key"], "count": self.fault.counts[self.query["key"]]}
            else:
                data = dict(self.fault.counts)
        self._send(200, json.dumps(data).encode(), "application/json")

    def _status(self, status: int) -> None:
        headers = {}
        if "retry_after" in self.query:
            headers["Retry-After"] = self.query["retry_after"]
        if "retry_after_date" in self.query:
            when = time() + self._number("retry_after_date", 0)
            headers["Retry-After"] = formatdate(when, usegmt=True)
        self._send(status, f"status {status}\n".encode(), "text/plain", headers)

    def _slow_headers(self) -> None:
        if self.fault.stopping.wait(self._number("delay", 5)):
            return
        self._send(200, RSS, "application/rss+xml")

    def _drip(self) -> None:
        count = int(self._number("seconds", 10) * 2)
        chunked = self.query.get("chunked") == "1"
        self._start_stream("text/plain", None if chunked else count)
        for _ in range(count):
            if self.fault.stopping.is_set():
                return
            (self._write_chunk if chunked else self._write)(b".")
            self.fault.stopping.wait(0.5)
        if chunked:
            self._write(b"0\r\n\r\n")

    def _stall(self) -> None:
        self._start_stream("text/plain", 1000)
        self._write(b"." * 10)
        for _ in range(int(self._number("drip", 0) * 2)):
            if self.fault.stopping.wait(0.5):
                return
            self._write(b".")
        self.fault.stopping.wait(self._number("seconds", 5))

    def _truncated(self) -> None:
        self.close_connection = True
        if self.query.get("chunked") == "1":
            self._start_stream("application/rss+xml", None)
            self._write_chunk(RSS[:40])  # and never the terminating zero-length chunk
        else:
            self._start_stream("application/rss+xml", len(RSS) + 1000)
            self._write(RSS)

    def _huge(self) -> None:
        total = int(self._number("mb", 50) * MIB)
        announce = self.query.get("length") == "1"
        self._start_stream("application/octet-stream", total if announce else None)
        block = b"x" * (64 * 1024)
        left = total
        while left > 0 and not self.fault.stopping.is_set():
            piece = block[: min(left, len(block))]
            (self._write if announce else self._write_chunk)(piece)
            left -= len(piece)
        if not announce:
            self._write(b"0\r\n\r\n")

    def _gzip_bomb(self) -> None:
        body = self.fault.gzip_bomb(int(self._number("mb", 50)))
        self._send(200, body, "application/json", {"Content-Encoding": "gzip"})

    def _gzip(self) -> None:
        packer = zlib.compressobj(6, zlib.DEFLATED, 31)
        body = packer.compress(RSS) + packer.flush()
        self._send(200, body, "application/rss+xml; charset=utf-8", {"Content-Encoding": "gzip"})

    def _redirect_loop(self) -> None:
        if "hop" in self.query:
            self._redirect_to(self._keyed("/redirect-loop"))
        else:
            self._redirect_to(self._keyed("/redirect-loop", hop=1))

    def _redirect_chain(self) -> None:
        left = int(self._number("n", 3))
        if left <= 0:
            self._send(200, b"end of chain\n", "text/plain")
        else:
            self._redirect_to(self._keyed("/redirect-chain", n=left - 1))

    def _redirect(self) -> None:
        target = self.query.get("to", "/ok")
        parts = urlsplit(target)
        local = parts.scheme == "file" or (
            not parts.netloc and target.startswith("/")
        ) or parts.hostname in ("127.0.0.1", "localhost")
        if not local:  # this server never sends a client off the machine
            self._send(400, b"redirect target must be local\n", "text/plain")
            return
        self._redirect_to(target, int(self._number("status", 302)))

    def _etag(self) -> None:
        validators = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
        tags = self.headers.get("If-None-Match", "")
        if ETAG in tags or tags.strip() == "*" or (
            not tags and self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self._send(200, RSS, "application/rss+xml; charset=utf-8", validators)

    def _flaky(self) -> None:
        if self.nth <= int(self._number("fail", 1)):
            self._status(503)
        else:
            self._send(200, RSS, "application/rss+xml; charset=utf-8")

    def _headers(self) -> None:
        data = {name.lower(): value for name, value in self.headers.items()}
        self._send(200, json.dumps(data).encode(), "application/json")


# -- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fault_server() -> Iterator[FaultServer]:
    """The misbehaving server, shared by the whole session (use your own `key`s)."""
    server = FaultServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def refused_url() -> Iterator[str]:
    """A URL on 127.0.0.1 whose port is bound (so nobody else takes it) but not listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/feed"
    sock.close()


@pytest.fixture
def unknown_host_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """A URL under .invalid (RFC 2606) whose lookup fails locally.

    The configured resolver may be off the machine, so names under .invalid are
    answered "unknown" here instead of being sent to it.
    """
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else str(host or "")
        if name.rstrip(".").lower().endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return "http://vigie-test.invalid/feed.xml"
