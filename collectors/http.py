"""The one place collectors touch the network (and the local files a source may name).

Every source kind gets the same bounded behaviour here, so that one slow, huge or
hostile server cannot stall the collectors process or fill its memory:

- connect and read timeouts, plus a total deadline per `fetch` that also cuts a
  server dripping one byte at a time (the elapsed time is checked while streaming);
- a cap on the (decompressed) body size, checked against Content-Length first and
  then while streaming, so a 50 MB answer never lands in memory;
- redirects followed by hand (bounded, loops detected, only http/https targets,
  credentials dropped when the host changes);
- retries of transient faults with exponential backoff and full jitter, a bounded
  number of attempts and a bounded total sleep; `Retry-After` honoured on 429/503
  up to a cap, beyond which the error carries `retry_after` so that the runner
  schedules the source later instead of blocking on it.

Failures raise `FetchError` with a `code` from a fixed set; `describe` turns it into
a sentence a volunteer understands. A `Fetcher` holds one `requests.Session`: use
one per thread.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import math
import mimetypes
import os
import random
import socket
import stat
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

import requests
import urllib3.exceptions as u3

import vigie
from collectors.base import Fetched, Request
from collectors.http_messages import describe
from collectors.http_text import DecodedText, decode_text, media_type, sniff

__all__ = [
    "CODES",
    "DecodedText",
    "FetchError",
    "Fetcher",
    "USER_AGENT",
    "decode_text",
    "describe",
    "media_type",
    "parse_retry_after",
    "sniff",
]

log = logging.getLogger(__name__)

VERSION = getattr(vigie, "__version__", None) or "0.1.0"
USER_AGENT = f"Vigie/{VERSION} (+https://github.com/vigie-msgu/vigie; crisis-cell dashboard)"
MIB = 1024 * 1024
CHUNK = 64 * 1024

CODES = frozenset(
    {
        "timeout",
        "refused",
        "dns",
        "tls",
        "too_large",
        "http_error",
        "rate_limited",
        "unavailable",
        "server_error",
        "redirect_loop",
        "truncated",
        "deadline",
        "bad_url",
        "network",
    }
)
# Faults worth another attempt: the same request may well succeed a moment later.
_TRANSIENT = frozenset(
    {"timeout", "refused", "network", "truncated", "rate_limited", "unavailable"}
)
_RETRY_SERVER_STATUSES = frozenset({500, 502, 504})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Headers that must not follow a redirect to another host (tokens, cookies).
_PRIVATE_HEADERS = ("authorization", "proxy-authorization", "cookie")


class FetchError(Exception):
    """A fetch that failed, with a `code` from `CODES` that the runner and the UI act on.

    `retry_after` (seconds) is set when the server asked to wait (429/503); `limit`
    is the timeout in seconds or the size cap in bytes that was hit, for messages.
    """

    def __init__(
        self,
        code: str,
        detail: str,
        retry_after: float | None = None,
        status: int | None = None,
        *,
        limit: float | None = None,
        url: str = "",
    ) -> None:
        if code not in CODES:
            raise ValueError(f"unknown fetch error code {code!r}")
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.retry_after = retry_after
        self.status = status
        self.limit = limit
        self.url = url
        self.attempts = 1
        self.elapsed = 0.0

    @property
    def transient(self) -> bool:
        """True when retrying the same request later may succeed."""
        if self.code == "server_error":
            return self.status in _RETRY_SERVER_STATUSES
        return self.code in _TRANSIENT


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date), else None."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Fetcher:
    """Fetches `Request`s with timeouts, size cap, redirects and retries (see module doc)."""

    def __init__(
        self,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
        deadline: float = 60.0,
        max_bytes: int = 10 * MIB,
        max_redirects: int = 5,
        attempts: int = 3,
        backoff_base: float = 1.0,
        backoff_cap: float = 30.0,
        max_total_sleep: float = 30.0,
        max_retry_after: float = 30.0,
        base_dir: str | os.PathLike[str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
        session: requests.Session | None = None,
        user_agent: str = USER_AGENT,
        trust_env: bool = True,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.attempts = attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_total_sleep = max_total_sleep
        self.max_retry_after = max_retry_after
        self.base_dir = Path(base_dir) if base_dir is not None else None
        self.sleep = sleep
        self.clock = clock
        self.rng = rng
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        # False ignores proxy variables and .netrc (hermetic tests); True suits deployments.
        self.session.trust_env = trust_env

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ---------------------------------------------------------------------------

    def fetch(self, request: Request) -> Fetched:
        """Return the body and lower-cased headers of `request.url`, or raise `FetchError`.

        A 304 Not Modified (after If-None-Match / If-Modified-Since in `request.headers`)
        returns a `Fetched` with status 304 and an empty body. A filesystem path or a
        file:// URL is read from disk under the same size cap.
        """
        path = self._local_path(request.url)
        if path is not None:
            return _read_local(path, self.max_bytes)
        started = self.clock()
        deadline_at = started + self.deadline
        slept = 0.0
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(request, deadline_at)
            except FetchError as err:
                err.attempts = attempt
                err.elapsed = self.clock() - started
                wait = self._retry_wait(err, attempt, slept, deadline_at)
                if wait is None:
                    raise
                log.info("retry %s in %.1f s after %s", request.url, wait, err)
                self.sleep(wait)
                slept += wait

    # -- retries --------------------------------------------------------------------------

    def _retry_wait(
        self, err: FetchError, attempt: int, slept: float, deadline_at: float
    ) -> float | None:
        """Seconds to sleep before the next attempt, or None to give up and raise `err`."""
        if not err.transient or attempt >= self.attempts:
            return None
        budget = min(self.max_total_sleep - slept, deadline_at - self.clock())
        if err.retry_after is not None:
            # The server said when; waiting less would be refused again, and waiting
            # longer than the cap blocks other sources: the runner reschedules instead.
            if err.retry_after > self.max_retry_after or err.retry_after >= budget:
                return None
            return err.retry_after
        if budget <= 0:
            return None
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        return min(self.rng() * ceiling, budget)  # "full jitter"

    # -- one attempt ----------------------------------------------------------------------

    def _attempt(self, request: Request, deadline_at: float) -> Fetched:
        url = request.url
        params: dict | None = dict(request.params) or None
        headers = dict(request.headers)
        seen: set[str] = set()
        for _hop in range(self.max_redirects + 1):
            response = self._send(url, params, headers, deadline_at)
            try:
                location = response.headers.get("location")
                if response.status_code not in _REDIRECTS or not location:
                    return self._finish(response, deadline_at)
                here = response.url
                seen.add(here)
                target = _redirect_target(here, location)
                if target is None:
                    raise FetchError("bad_url", f"redirect to unusable URL {location!r}", url=url)
                if target in seen:
                    raise FetchError("redirect_loop", f"redirect loop back to {target}", url=url)
                headers = _headers_for_redirect(headers, here, target)
                url, params = target, None
            finally:
                response.close()
        raise FetchError(
            "redirect_loop", f"more than {self.max_redirects} redirects", url=request.url
        )

    def _send(
        self, url: str, params: dict | None, headers: dict[str, str], deadline_at: float
    ) -> requests.Response:
        remaining = deadline_at - self.clock()
        if remaining <= 0:
            raise FetchError("deadline", "no time left", limit=self.deadline, url=url)
        timeout = (min(self.connect_timeout, remaining), min(self.read_timeout, remaining))
        try:
            return self.session.get(
                url,
                params=params,
                headers=headers,
                timeout=timeout,
                stream=True,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise self._classify(exc, url, remaining) from exc
        except (ValueError, u3.LocationValueError) as exc:
            raise FetchError("bad_url", str(exc), url=url) from exc

    def _finish(self, response: requests.Response, deadline_at: float) -> Fetched:
        status = response.status_code
        headers = {key.lower(): value for key, value in response.headers.items()}
        content_type = headers.get("content-type", "")
        if status == 304:
            return Fetched(b"", url=response.url, status=304, headers=headers,
                           content_type=content_type)
        if not 200 <= status < 300:
            raise _status_error(status, headers, response.url)
        declared = _content_length(headers)
        if declared is not None and declared > self.max_bytes:
            raise FetchError(
                "too_large",
                f"Content-Length {declared} exceeds {self.max_bytes} bytes",
                limit=self.max_bytes,
                url=response.url,
            )
        body = self._read_body(response, deadline_at)
        return Fetched(body, url=response.url, status=status, headers=headers,
                       content_type=content_type)

    def _read_body(self, response: requests.Response, deadline_at: float) -> bytes:
        """Stream the body, stopping at the size cap and at the deadline."""
        raw = response.raw
        url = response.url
        body = bytearray()
        while True:
            remaining = deadline_at - self.clock()
            if remaining <= 0:
                raise FetchError(
                    "deadline", f"body still arriving after {self.deadline} s ({len(body)} bytes)",
                    limit=self.deadline, url=url,
                )
            _set_socket_timeout(raw, min(self.read_timeout, remaining))
            try:
                # read1 returns what has arrived instead of waiting for a full chunk,
                # so a drip server cannot hold the loop away from the deadline check.
                chunk = raw.read1(CHUNK, decode_content=True)
            except u3.ReadTimeoutError as exc:
                raise self._timeout(url, remaining, exc) from exc
            except u3.SSLError as exc:
                raise FetchError("tls", str(exc), url=url) from exc
            except u3.ProtocolError as exc:
                raise FetchError(
                    "truncated", f"connection closed after {len(body)} bytes: {exc}", url=url
                ) from exc
            except u3.DecodeError as exc:
                raise FetchError("network", f"unreadable compressed body: {exc}", url=url) from exc
            except (u3.HTTPError, OSError) as exc:
                raise FetchError("network", str(exc), url=url) from exc
            if not chunk:
                return bytes(body)
            body += chunk
            if len(body) > self.max_bytes:
                raise FetchError(
                    "too_large", f"body exceeds {self.max_bytes} bytes",
                    limit=self.max_bytes, url=url,
                )

    # -- errors ---------------------------------------------------------------------------

    def _timeout(self, url: str, remaining: float, exc: BaseException) -> FetchError:
        """A read timed out: on the read timeout itself, or on what was left of the deadline."""
        if remaining < self.read_timeout:
            return FetchError("deadline", str(exc), limit=self.deadline, url=url)
        return FetchError("timeout", str(exc), limit=self.read_timeout, url=url)

    def _classify(self, exc: requests.RequestException, url: str, remaining: float) -> FetchError:
        """Map a requests exception to a `FetchError` code (`remaining`: deadline left)."""
        causes = list(_causes(exc))
        if isinstance(exc, requests.exceptions.SSLError):
            return FetchError("tls", str(exc), url=url)
        if any(isinstance(c, (u3.NameResolutionError, socket.gaierror)) for c in causes):
            return FetchError("dns", str(exc), url=url)
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return FetchError("refused", str(exc), url=url)
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            if remaining < self.connect_timeout:
                return FetchError("deadline", str(exc), limit=self.deadline, url=url)
            return FetchError("timeout", str(exc), limit=self.connect_timeout, url=url)
        if isinstance(exc, requests.exceptions.Timeout):
            return self._timeout(url, remaining, exc)
        if isinstance(
            exc,
            (
                requests.exceptions.InvalidURL,
                requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema,
                requests.exceptions.URLRequired,
                requests.exceptions.InvalidHeader,
            ),
        ):
            return FetchError("bad_url", str(exc), url=url)
        if isinstance(exc, requests.exceptions.TooManyRedirects):
            return FetchError("redirect_loop", str(exc), url=url)
        if isinstance(exc, requests.exceptions.ChunkedEncodingError):
            return FetchError("truncated", str(exc), url=url)
        return FetchError("network", str(exc), url=url)

    # -- local files ----------------------------------------------------------------------

    def _local_path(self, url: str) -> Path | None:
        """The file a local source names, or None for a network URL."""
        if not url or not url.strip():
            raise FetchError("bad_url", "empty URL")
        try:
            parts = urlsplit(url)
        except ValueError as exc:  # "http://[::1"
            raise FetchError("bad_url", str(exc), url=url) from exc
        scheme = parts.scheme.lower()
        if scheme in ("http", "https"):
            return None
        if scheme == "file":
            if parts.netloc not in ("", "localhost"):
                raise FetchError("bad_url", f"remote file URL {url!r}", url=url)
            return Path(url2pathname(parts.path))
        if scheme and not (len(scheme) == 1 and os.name == "nt"):  # "C:\..." on Windows
            raise FetchError("bad_url", f"unsupported URL scheme {scheme!r}", url=url)
        path = Path(url).expanduser()
        if not path.is_absolute() and self.base_dir is not None:
            path = self.base_dir / path
        return path


def _read_local(path: Path, max_bytes: int) -> Fetched:
    """Read a regular file under the size cap (never a FIFO or device that could block)."""
    where = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        reason = exc.strerror or exc
        raise FetchError("bad_url", f"cannot read {where}: {reason}", url=where) from exc
    if not stat.S_ISREG(info.st_mode):
        raise FetchError("bad_url", f"{where} is not a regular file", url=where)
    if info.st_size > max_bytes:
        raise FetchError(
            "too_large", f"{where} is {info.st_size} bytes", limit=max_bytes, url=where
        )
    try:
        with path.open("rb") as handle:
            body = handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or exc
        raise FetchError("bad_url", f"cannot read {where}: {reason}", url=where) from exc
    if len(body) > max_bytes:
        raise FetchError("too_large", f"{where} grew past the cap", limit=max_bytes, url=where)
    content_type = mimetypes.guess_type(path.name)[0] or ""
    headers = {"content-length": str(len(body))}
    if content_type:
        headers["content-type"] = content_type
    return Fetched(body, url=path.absolute().as_uri(), status=200, headers=headers,
                   content_type=content_type)


def _status_error(status: int, headers: dict[str, str], url: str) -> FetchError:
    if status == 429:
        wait = parse_retry_after(headers.get("retry-after"))
        return FetchError("rate_limited", "HTTP 429", retry_after=wait, status=status, url=url)
    if status == 503:
        wait = parse_retry_after(headers.get("retry-after"))
        return FetchError("unavailable", "HTTP 503", retry_after=wait, status=status, url=url)
    if status >= 500:
        return FetchError("server_error", f"HTTP {status}", status=status, url=url)
    return FetchError("http_error", f"HTTP {status}", status=status, url=url)


def _content_length(headers: dict[str, str]) -> int | None:
    value = headers.get("content-length", "").split(",")[0].strip()
    return int(value) if value.isdigit() else None


def _redirect_target(here: str, location: str) -> str | None:
    """The absolute http(s) URL a Location header points to, or None (file:, garbage)."""
    try:
        target = urljoin(here, location.strip())
        scheme = urlsplit(target).scheme.lower()
    except ValueError:
        return None
    return target if scheme in ("http", "https") else None


def _headers_for_redirect(headers: dict[str, str], here: str, target: str) -> dict[str, str]:
    """Drop credentials when a redirect changes host, port or downgrades the scheme."""
    old, new = urlsplit(here), urlsplit(target)
    same = (old.hostname, old.port) == (new.hostname, new.port) and not (
        old.scheme == "https" and new.scheme == "http"
    )
    if same:
        return headers
    return {k: v for k, v in headers.items() if k.lower() not in _PRIVATE_HEADERS}


def _set_socket_timeout(raw: object, seconds: float) -> None:
    """Shrink the socket timeout to what is left of the deadline (best effort)."""
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(max(seconds, 0.01))


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (causes, contexts, urllib3 reasons, args)."""
    stack: list[object] = [exc]
    seen: list[BaseException] = []
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        yield item
        stack.extend([item.__cause__, item.__context__, getattr(item, "reason", None)])
        stack.extend(item.args)
