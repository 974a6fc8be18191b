"""Streamlit sessions without a browser, for `python -m bench load --clients ws`.

Each session is what the frontend is to the server: signed in through /api/login as the
browser form does, it opens `/_stcore/stream` with the session cookie (the app reads it
from the handshake through `st.context.cookies`), asks for its page with a `rerun_script`
BackMsg, and then honours the server's `auto_rerun` ForwardMsgs the way the frontend's
timers do: every `interval` seconds a `rerun_script` with the fragment's id and
`is_auto_rerun`, the page's script hash and the current query string, until a
`stop_auto_rerun`. It keeps the frontend's message cache too (it sends the hashes of the
cacheable messages it holds and resolves the server's `ref_hash` references), so the
server does the same work as for a browser: real fragment re-runs, recorded by
/api/metrics as `fragment:<name>`.

Why: in production the wall screens and volunteers' browsers run on other machines. On a
2-core bench machine six Chromium renderers took the CPU the collectors and the server
needed, and the bench measured the browsers. All sessions here share one asyncio loop on
one thread of the bench process, and only parse the protobufs to look for errors.

Errors, as the browser watch sees them: an Exception element in a delta, the wall's
"database unavailable" panel (the `wall-alarm-db` keyed container), and its text. A
websocket closed by the server is a lost session (counted once per session).

The websocket client is the `websockets` package, a dependency of Streamlit itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

UNAVAILABLE = re.compile(r"^(Données indisponibles|Data unavailable)\b")
ALARM_KEY = "wall-alarm-db"
CACHE_SIZE = 2000  # cacheable messages kept per session (the frontend keeps a few runs' worth)


@dataclass
class Target:
    page: str    # url path of the page, as the browser's pathname ("situation")
    query: str   # query string without "?"


@dataclass
class SessionState:
    """What one session knows, as the frontend would."""
    target: Target
    cookie: str
    page_hash: str = ""
    query: str = ""
    timers: dict[str, tuple[float, asyncio.Task[None]]] = field(default_factory=dict)
    cache: OrderedDict[str, Any] = field(default_factory=OrderedDict)
    first_run_done: bool = False
    auto_reruns_seen: int = 0
    reruns_sent: int = 0
    lost: bool = False
    closing: bool = False


def sign_in(base: str, username: str, password: str, cookie_name: str) -> str:
    """The session cookie's value, from the same form POST a browser sends."""
    with requests.Session() as http:
        response = http.post(f"{base}/api/login", allow_redirects=False, timeout=30,
                             data={"username": username, "password": password, "next": "/"})
        token = response.cookies.get(cookie_name)
    if response.status_code != 303 or not token:
        raise RuntimeError(f"sign-in refused: HTTP {response.status_code}")
    return token


def delta_errors(delta: Any) -> tuple[int, list[str]]:
    """(errors, their texts) in one Delta: an Exception element or the wall's alarm
    container count as errors; the alarm's "données indisponibles" line gives the text."""
    which = delta.WhichOneof("type")
    if which == "new_element":
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            return 1, [f"{element.exception.type}: {element.exception.message}"[:200]]
        if kind == "markdown" and UNAVAILABLE.match(element.markdown.body):
            return 0, [element.markdown.body[:200]]
    elif which == "add_block" and delta.add_block.id.endswith(ALARM_KEY):
        return 1, [ALARM_KEY]
    return 0, []


class WsSessions:
    """`count` sessions, alternately on the wall (`situation?kiosk=1`) and the timeline,
    on one event loop in a daemon thread. `watch()` hands over what was seen since the
    last call, like the browser watch's polls."""

    def __init__(self, base: str, username: str, password: str, count: int) -> None:
        from vigie import auth

        self.base = base
        self.ws_url = "ws" + base[len("http"):] + "/_stcore/stream"
        self.origin = f"{urlsplit(base).scheme}://{urlsplit(base).netloc}"
        self.cookie_name = auth.COOKIE_NAME
        self.sessions = [
            SessionState(Target("situation", "kiosk=1") if i % 2 == 0
                         else Target("timeline", ""),
                         sign_in(base, username, password, auth.COOKIE_NAME))
            for i in range(count)]
        self._lock = threading.Lock()
        self._errors = 0
        self._texts: list[str] = []
        self._lost_reported = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="ws-sessions",
                                        daemon=True)
        self._tasks: list[asyncio.Task[None]] = []

    # -- from the bench's thread -------------------------------------------------------

    def open(self, timeout: float = 60.0) -> None:
        """Connect every session and wait until each has drawn its page once and been
        told to re-run a fragment (else it is not signed in, or the page has no panel)."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=30)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(s.first_run_done and s.timers for s in self.sessions) or any(
                    s.lost for s in self.sessions):
                break
            time.sleep(0.2)
        missing = [f"{s.target.page}: run done={s.first_run_done} timers={len(s.timers)} "
                   f"lost={s.lost}" for s in self.sessions
                   if s.lost or not (s.first_run_done and s.timers)]
        if missing:
            self.close()
            raise RuntimeError("websocket sessions did not start: " + "; ".join(missing))

    def watch(self, watch: Any) -> None:
        """Add to a PageWatch the errors seen and the sessions lost since the last call."""
        with self._lock:
            watch.polls += len(self.sessions)
            watch.errors += self._errors
            watch.texts.extend(t for t in self._texts if t not in watch.texts)
            self._errors, self._texts = 0, []
            lost = sum(s.lost for s in self.sessions)
            watch.lost += lost - self._lost_reported
            self._lost_reported = lost

    def stats(self) -> dict[str, int]:
        return {"auto_rerun_msgs": sum(s.auto_reruns_seen for s in self.sessions),
                "reruns_sent": sum(s.reruns_sent for s in self.sessions)}

    def close(self) -> None:
        if not self._thread.is_alive():
            return
        for s in self.sessions:
            s.closing = True
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=15)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    # -- on the loop -------------------------------------------------------------------

    async def _start(self) -> None:
        self._tasks = [asyncio.create_task(self._run(s)) for s in self.sessions]

    async def _stop(self) -> None:
        for s in self.sessions:
            for _, timer in s.timers.values():
                timer.cancel()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _run(self, s: SessionState) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from websockets.asyncio.client import connect

        s.query = s.target.query
        try:
            async with connect(self.ws_url, subprotocols=["streamlit"], origin=self.origin,
                               additional_headers={"Cookie": f"{self.cookie_name}={s.cookie}"},
                               max_size=None, compression=None, open_timeout=30) as ws:
                await self._rerun(ws, s, fragment_id="")
                async for data in ws:
                    msg = ForwardMsg()
                    msg.ParseFromString(data)
                    self._handle(ws, s, msg)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # refused, reset, closed by the server
            if not s.closing:
                self._error_text(f"{s.target.page}: websocket {type(exc).__name__}: {exc}")
        finally:
            for _, timer in s.timers.values():
                timer.cancel()
        if not s.closing:
            s.lost = True

    def _handle(self, ws: Any, s: SessionState, msg: Any) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = s.cache.get(msg.ref_hash)
            if cached is None:
                return  # evicted here already: its content was checked when it came
            s.cache.move_to_end(msg.ref_hash)
            msg, kind = cached, cached.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            s.cache[msg.hash] = msg
            s.cache.move_to_end(msg.hash)
            while len(s.cache) > CACHE_SIZE:
                s.cache.popitem(last=False)
        if kind == "delta":
            self._check_delta(s, msg.delta)
        elif kind == "new_session":
            s.page_hash = msg.new_session.page_script_hash or s.page_hash
        elif kind == "navigation":
            s.page_hash = msg.navigation.page_script_hash or s.page_hash
        elif kind == "page_info_changed":
            s.query = msg.page_info_changed.query_string
        elif kind == "script_finished":
            s.first_run_done = True
        elif kind == "auto_rerun":
            s.auto_reruns_seen += 1
            fid, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            if not fid or interval <= 0:
                return
            current = s.timers.get(fid)
            if current and current[0] == interval:
                return  # the frontend keeps a timer with the same interval
            if current:
                current[1].cancel()
            s.timers[fid] = (interval, asyncio.create_task(self._every(ws, s, fid, interval)))
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                timer = s.timers.pop(fid, None)
                if timer:
                    timer[1].cancel()

    def _check_delta(self, s: SessionState, delta: Any) -> None:
        errors, texts = delta_errors(delta)
        with self._lock:
            self._errors += errors
            self._texts.extend(f"{s.target.page}: {t}" for t in texts
                               if f"{s.target.page}: {t}" not in self._texts)

    def _error_text(self, text: str) -> None:
        with self._lock:
            if text not in self._texts:
                self._texts.append(text)

    async def _every(self, ws: Any, s: SessionState, fid: str, interval: float) -> None:
        with contextlib.suppress(Exception):
            while True:
                await asyncio.sleep(interval)
                await self._rerun(ws, s, fragment_id=fid)

    async def _rerun(self, ws: Any, s: SessionState, fragment_id: str) -> None:
        """The frontend's sendRerunBackMsg: the page by name the first time, then by its
        script hash; the browser's context; the hashes of the messages it holds."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = s.query
        if s.page_hash:
            state.page_script_hash = s.page_hash
        else:
            state.page_name = s.target.page
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        state.cached_message_hashes.extend(s.cache.keys())
        info = state.context_info
        info.timezone = "Europe/Paris"
        info.timezone_offset = -60
        info.locale = "fr-FR"
        info.url = f"{self.base}/{s.target.page}" + (f"?{s.query}" if s.query else "")
        info.is_embedded = False
        info.color_scheme = "dark" if s.target.page == "situation" else "light"
        s.reruns_sent += 1
        await ws.send(msg.SerializeToString())
