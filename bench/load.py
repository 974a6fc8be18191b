"""`python -m bench load [--clients ws|browser] [--sessions N] [--rate 1000] [--duration S]`:
the dashboard under ingest.

One run, on a temporary database:

1. a few thousand posts are stored first (`--prefill`, through the real pipeline), so the
   pages have something to draw;
2. a real server (`streamlit run app.py` on a free 127.0.0.1 port) starts, and with it,
   through its lifespan, the real collectors process;
3. N sessions, each signed in as a viewer, sit on the wall (`/situation?kiosk=1`, odd
   sessions) or the timeline (even sessions); their panels re-run themselves (st.fragment
   run_every). `--clients ws` (the default): bare websocket sessions (bench/ws_sessions.py)
   that sign in through /api/login, open `/_stcore/stream` with the session cookie and
   answer the server's `auto_rerun` messages as the frontend does, so the server runs the
   same fragment re-runs; all of them share one asyncio thread of this process. In
   production the wall screens and volunteers' browsers run on other machines: on a small
   bench machine, Chromium renderers would take the CPU the server and the collectors
   need, and the bench would measure the browsers. `--clients browser`: headless Chromium
   (Debian's /usr/bin/chromium through Playwright) signed in through /signin, to see what
   a person sees, rendering included;
4. **idle** phase: `--idle` seconds with no ingest;
5. **load** phase: `--duration` seconds while the collectors ingest `--rate` posts/s. The
   source is a `replay` of a generated scenario that holds `rate` posts per second (speed
   1, polled every second), enabled through the store as the Admin page does: the posts go
   through the collectors' real runner and `vigie.pipeline.ingest` (enrichment,
   near-duplicates, FTS, contradiction check, spike detection) in their own process,
   writing the same SQLite file the server reads. No test-only code path is involved.

Rerun times come from the server itself (`/api/metrics`, vigie/metrics.py): each full page
run and each fragment-only re-run, as Streamlit executes it. Timing in the client would add
the browser's rendering and the websocket, and on a 2-core machine the browsers' own CPU
would count as the server's slowness. Memory: VmRSS of the server and of its children (the
collectors) from /proc, every second. Lock errors: "database is locked" and
OperationalError in the server's and the collectors' output and in the sources' recorded
errors, plus any exception or "données indisponibles" panel seen on the pages. The CPU the
clients took (this process and the browsers, not the server's tree) is reported too.

Ingest: every 2 s, the stored posts of the load source and the scheduled time of the
newest one. `achieved_rate` counts stored posts between the first and the last sample;
it reads low when the last sample falls while a batch is being written (with a poll every
second and a pipeline busy most of that second, a batch holds 2-3 s of posts). So the goal
is judged on `sustained_rate`, how fast the newest stored post's scheduled time advanced
(times the rate), with `lag_s`, how far behind its schedule it was (at most 10 s): a
pipeline that cannot keep up shows a lag that grows without bound.

Prints a table, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench.ingest import scenario_texts

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("VIGIE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-background-timer-throttling",
                 "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"]
SOURCE = "bench-load"
VIEWER = "bench-viewer"
LOCK_PATTERNS = re.compile(r"database is locked|OperationalError", re.IGNORECASE)
GOAL_RATIO = 2.0          # p95 under ingest at most twice the idle p95
GOAL_RATE_SHARE = 0.95    # the ingest must absorb 95 % of the target rate (sustained rate)
GOAL_MAX_LAG_S = 10.0     # ... with the newest stored post never more than 10 s behind
GROWTH_MB = 30.0          # memory "grows" when the last third's peak exceeds the first's by more


@dataclass
class PageWatch:
    """What the sessions showed: exceptions and panels that could not read the database."""
    polls: int = 0
    errors: int = 0
    texts: list[str] = field(default_factory=list)
    lost: int = 0  # browser: polls of a dead page; ws: sessions whose websocket closed


# -- posts at a given rate, as a replay scenario ---------------------------------------

def varied_texts(count: int, rng: random.Random, texts: list[str], tag: str) -> Iterator[str]:
    """Like a live crisis: 20 % retweets, 15 % copies with another link, 65 % messages of
    their own (the scenario's words, half shuffled, a unique hashtag)."""
    recent: list[str] = []
    for i in range(count):
        roll = rng.random()
        if recent and roll < 0.2:
            text = f"RT @user{rng.randrange(5000)}: {rng.choice(recent)}"
        elif recent and roll < 0.35:
            text = f"{rng.choice(recent)} https://exemple.invalid/{rng.randrange(10**6)}"
        else:
            words = rng.choice(texts).split()
            if len(words) > 6:
                tail = words[len(words) // 2:]
                rng.shuffle(tail)
                words[len(words) // 2:] = tail
            text = " ".join(words) + f" #{tag}{i}"
            recent.append(text)
            if len(recent) > 500:
                recent.pop(0)
        yield text


def write_scenario(path: Path, rate: float, seconds: float, seed: int = 7) -> int:
    """A replay scenario with `rate` posts per scenario second for `seconds` (plus a margin,
    so a late start never runs dry). Returns the number of posts."""
    count = int(rate * (seconds + 30))
    rng = random.Random(seed)
    header = {"type": "scenario", "id": "bench-load", "title": "Banc de charge",
              "exercise": True, "duration_s": seconds + 30,
              "incident": {"name": "Banc de charge", "area": "Côte-d'Or",
                           "departements": ["21"], "keywords": ["crue"]}}
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(header, ensure_ascii=False) + "\n")
        for i, text in enumerate(varied_texts(count, rng, scenario_texts(), "charge")):
            fh.write(json.dumps({"type": "post", "at": round(i / rate, 4), "id": f"l{i}",
                                 "network": "twitter", "author": f"@user{i % 5000}",
                                 "text": text}, ensure_ascii=False) + "\n")
    return count


def prefill(db: Path, count: int, seed: int = 11) -> None:
    """`count` posts of the last 6 hours through the real pipeline, before the server starts."""
    from datetime import UTC, datetime

    from collectors.base import Batch
    from vigie.models import Post, iso, utc_now
    from vigie.pipeline import StoreEnricher, ingest
    from vigie.store import Store

    if count <= 0:
        return
    rng = random.Random(seed)
    now = utc_now()
    store = Store(db)
    try:
        enricher = StoreEnricher(store, departements=("21",))
        texts = list(varied_texts(count, rng, scenario_texts(), "avant"))
        for start in range(0, count, 500):
            posts = [Post(id=f"bench:pre{i}", source="bench-prefill", kind="bench",
                          text=texts[i], author=f"user{i % 5000}",
                          created_at=iso(datetime.fromtimestamp(
                              now.timestamp() - rng.uniform(0, 6 * 3600), UTC)))
                     for i in range(start, min(start + 500, count))]
            ingest(store, Batch(posts=posts), collector="bench-prefill", incident_id=None,
                   enricher=enricher)
    finally:
        store.close()


# -- the server ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def vigie_server(tmp: Path, db: Path, sources: Path) -> Iterator[dict[str, Any]]:
    """`streamlit run app.py` on a free port; its lifespan starts the collectors."""
    port = free_port()
    env = {**os.environ, "VIGIE_DB": str(db), "VIGIE_SOURCES": str(sources),
           "STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
           "VIGIE_ADMIN_PASSWORD": secrets.token_urlsafe(16)}
    log_path = tmp / "server.log"
    log = log_path.open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py"], cwd=ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            with suppress(requests.RequestException):
                if requests.get(f"{base}/_stcore/health", timeout=2).ok:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        yield {"url": base, "proc": proc, "log": log_path, "db": db,
               "collectors_log": Path(str(db) + ".collectors.log")}
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the lifespan stops the collectors it started
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        _stop_collectors(db)
        log.close()


def _stop_collectors(db: Path) -> None:
    from vigie.process import lock_path

    path = lock_path(db)
    with suppress(OSError, ValueError, ProcessLookupError, PermissionError):
        pid = int(path.read_text().strip() or 0)
        if pid:
            os.kill(pid, signal.SIGTERM)


# -- memory -------------------------------------------------------------------------------

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with suppress(OSError, IndexError, ValueError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def rss_mb(pid: int) -> float:
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def rss_tree(pid: int) -> tuple[float, float]:
    """(the process's RSS, with every descendant's) in MB."""
    tree = _children()
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += rss_mb(p)
        todo.extend(tree.get(p, []))
    return rss_mb(pid), total


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of one process, from /proc/<pid>/stat."""
    if not pid:
        return 0.0
    with suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def clients_cpu_seconds(server_pid: int) -> float:
    """CPU of this process and of its descendants outside the server's tree (the browsers
    and Playwright's driver; the collectors are the server's children)."""
    tree = _children()
    total, todo = 0.0, [os.getpid()]
    while todo:
        p = todo.pop()
        total += cpu_seconds(p)
        todo.extend(c for c in tree.get(p, []) if c != server_pid)
    return total


def collectors_pid(db: Path) -> int | None:
    from vigie.process import lock_path

    with suppress(OSError, ValueError):
        return int(lock_path(db).read_text().strip() or 0) or None
    return None


def wal_mb(db: Path) -> float:
    with suppress(OSError):
        return Path(str(db) + "-wal").stat().st_size / 2**20
    return 0.0


# -- sessions -----------------------------------------------------------------------------

WAIT_APP = ("() => { const a = document.querySelector(\"[data-testid='stApp']\");"
            " return a && a.getAttribute('data-test-script-state') !== 'running'; }")
PAGE_ERRORS = ("() => Array.from(document.querySelectorAll(\"[data-testid='stException'],"
               " .st-key-wall-alarm-db\")).map(e => e.innerText.slice(0, 200))")


def open_sessions(browser: Any, base: str, password: str, count: int) -> list[Any]:
    pages = []
    for i in range(count):
        target = "/situation?kiosk=1" if i % 2 == 0 else "/timeline"
        context = browser.new_context(viewport={"width": 1600, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/signin?next={target}")
        page.fill("#username", VIEWER)
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
        page.wait_for_function(WAIT_APP, timeout=60_000)
        pages.append(page)
    return pages


def watch_pages(pages: list[Any], watch: PageWatch) -> None:
    """One poll of every page: exceptions and alarm panels now on screen."""
    for page in pages:
        watch.polls += 1
        try:
            found = page.evaluate(PAGE_ERRORS)
        except Exception:  # the page died or navigated away: a lost session
            watch.lost += 1
            continue
        if found:
            watch.errors += len(found)
            watch.texts.extend(t for t in found if t not in watch.texts)


class BrowserClients:
    """The Chromium pages, behind the same `watch` as the websocket sessions."""

    def __init__(self, pages: list[Any]) -> None:
        self.pages = pages

    def watch(self, watch: PageWatch) -> None:
        watch_pages(self.pages, watch)


@contextmanager
def open_clients(kind: str, base: str, password: str, count: int) -> Iterator[Any]:
    """`count` signed-in sessions of `kind` ("ws" or "browser"), closed on exit."""
    if kind == "ws":
        from bench.ws_sessions import WsSessions

        sessions = WsSessions(base, VIEWER, password, count)
        try:
            sessions.open()
            yield sessions
        finally:
            sessions.close()
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_ARGS)
        try:
            yield BrowserClients(open_sessions(browser, base, password, count))
        finally:
            browser.close()


# -- phases -------------------------------------------------------------------------------

@dataclass
class Samples:
    rss: list[tuple[float, float, float]] = field(default_factory=list)  # (t, server, total)
    wal: list[float] = field(default_factory=list)  # MB
    posts: list[tuple[float, int]] = field(default_factory=list)
    lag: list[tuple[float, float]] = field(default_factory=list)  # (t, seconds behind)


def count_posts(db: Path) -> int:
    from vigie.store import Store
    from vigie.store.posts import PostFilter

    store = Store(db)
    try:  # the load source is the only replay: the (kind, created_at) index counts them
        return store.count_posts(PostFilter(kinds=["replay"]), cap=10**9)
    finally:
        store.close()


def ingest_lag(db: Path, now: float) -> float | None:
    """Seconds between now and the scheduled time of the newest stored post of the load
    source (a replay stamps each post with its time in the scenario). Bounded when the
    collectors keep up, growing when they fall behind."""
    from datetime import datetime

    from vigie.store import Store

    store = Store(db, migrate=False)
    try:  # (kind, created_at) index
        newest = store.scalar("SELECT max(created_at) FROM posts WHERE kind = 'replay'")
    finally:
        store.close()
    if not newest:
        return None
    return now - datetime.fromisoformat(newest.replace("Z", "+00:00")).timestamp()


def sustained_rate(lag: list[tuple[float, float]], rate: float) -> float | None:
    """Posts per second the collectors absorbed, from how fast the newest stored post's
    scheduled time advanced (the replay releases every post up to it, in order), from the
    first sample that saw the ingest to the last. Unlike counting stored posts between two
    samples, a sample taken while a big batch is still being written does not count as
    posts never stored: that wait shows as lag instead."""
    if len(lag) < 2 or lag[-1][0] - lag[0][0] < 1:
        return None
    (t0, lag0), (t1, lag1) = lag[0], lag[-1]
    return rate * ((t1 - lag1) - (t0 - lag0)) / (t1 - t0)


def run_phase(seconds: float, server: dict[str, Any], clients: Any, watch: PageWatch,
              samples: Samples, db: Path | None = None) -> None:
    """Sample memory every second, look at the sessions every 3 s and, under load, count
    the stored posts every 2 s."""
    pid = server["proc"].pid
    end = time.monotonic() + seconds
    tick = 0
    while time.monotonic() < end:
        own, total = rss_tree(pid)
        samples.rss.append((time.time(), own, total))
        samples.wal.append(wal_mb(server["db"]))
        if tick % 3 == 0:
            clients.watch(watch)
        if db is not None and tick % 2 == 0:
            samples.posts.append((time.time(), count_posts(db)))
            behind = ingest_lag(db, time.time())
            if behind is not None:
                samples.lag.append((time.time(), behind))
        tick += 1
        time.sleep(max(0.0, min(1.0, end - time.monotonic())))


def set_ingest(db: Path, enabled: bool) -> None:
    """Enable or disable the load source the way the Admin page does; the running
    collectors pick it up at their next tick."""
    from vigie.store import Store

    store = Store(db)
    try:
        row = store.get_source(SOURCE)
        store.edit_source(SOURCE, row["version"], {"enabled": enabled}, "bench")
    finally:
        store.close()


def metrics(base: str, since: float) -> dict[str, Any]:
    response = requests.get(f"{base}/api/metrics", params={"since": since}, timeout=10)
    response.raise_for_status()
    return response.json()


def lock_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip()[:200] for line in path.read_text(errors="replace").splitlines()
            if LOCK_PATTERNS.search(line)]


def source_lock_errors(db: Path) -> int:
    from vigie.store import Store

    store = Store(db)
    try:
        row = store.get_source(SOURCE) or {}
    finally:
        store.close()
    return int(bool(row.get("last_error") and LOCK_PATTERNS.search(row["last_error"])))


# -- the run ------------------------------------------------------------------------------

def growth(values: list[float]) -> tuple[float, bool]:
    """MB between the peak of the last third and the peak of the first third of the load
    phase; growing when over GROWTH_MB and 10 %. (The first third holds the collectors'
    start: the replay reads its scenario then.)"""
    if len(values) < 6:
        return 0.0, False
    third = len(values) // 3
    first, last = max(values[:third]), max(values[-third:])
    delta = last - first
    return round(delta, 1), delta > GROWTH_MB and last > first * 1.10


def series(rss: list[tuple[float, float, float]], points: int = 12) -> list[list[float]]:
    """About `points` samples (seconds since the first, server MB, total MB)."""
    if not rss:
        return []
    step = max(1, len(rss) // points)
    t0 = rss[0][0]
    picked = [*rss[::step], rss[-1]] if (len(rss) - 1) % step else rss[::step]
    return [[round(t - t0), round(own), round(total)] for t, own, total in picked]


def steady_rate(posts: list[tuple[float, int]]) -> float | None:
    """Posts per second from the first count that saw the ingest begin to the last one: the
    collectors pick the source up at their next tick, which is not the pipeline's speed."""
    started = [(t, n) for t, n in posts if n > posts[0][1]] if posts else []
    if len(started) < 2 or started[-1][0] - started[0][0] < 1:
        return None
    return (started[-1][1] - started[0][1]) / (started[-1][0] - started[0][0])


def run(sessions: int, rate: float, duration: float, idle: float, prefill_posts: int,
        warmup: float, keep: bool = False, clients: str = "ws") -> dict[str, Any]:
    from vigie import auth
    from vigie.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="vigie-load-"))
    db = tmp / "vigie.db"
    scenario = tmp / "load.jsonl"
    t0 = time.monotonic()
    write_scenario(scenario, rate, duration + warmup)
    (tmp / "sources.toml").write_text(
        f'[[source]]\nname = "{SOURCE}"\nkind = "replay"\nurl = "{scenario}"\n'
        "every = 1\nspeed = 1\nenabled = false\n", encoding="utf-8")
    store = Store(db)
    password = secrets.token_urlsafe(16)
    auth.add_user(store, VIEWER, password, "viewer")
    store.close()
    prefill(db, prefill_posts)
    print(f"setup: scenario of {rate:g} posts/s and {prefill_posts} posts stored in "
          f"{time.monotonic() - t0:.1f} s ({tmp})", file=sys.stderr)

    watch_idle, watch_load = PageWatch(), PageWatch()
    idle_samples, load_samples = Samples(), Samples()
    with vigie_server(tmp, db, tmp / "sources.toml") as server:
        start_rss = rss_tree(server["proc"].pid)
        server_pid = server["proc"].pid
        with open_clients(clients, server["url"], password, sessions) as opened:
            run_phase(warmup, server, opened, watch_idle, Samples())
            idle_since = time.time()
            run_phase(idle, server, opened, watch_idle, idle_samples)
            idle_metrics = metrics(server["url"], idle_since)
            before = count_posts(db)
            ingester = collectors_pid(db)
            cpu_before = (cpu_seconds(ingester), cpu_seconds(server_pid),
                          clients_cpu_seconds(server_pid))
            set_ingest(db, True)
            load_since = time.time()
            run_phase(duration, server, opened, watch_load, load_samples, db)
            load_metrics = metrics(server["url"], load_since)
            load_seconds = time.time() - load_since
            cpu = (cpu_seconds(ingester) - cpu_before[0],
                   cpu_seconds(server_pid) - cpu_before[1],
                   clients_cpu_seconds(server_pid) - cpu_before[2])
            after = count_posts(db)
            set_ingest(db, False)
            opened.watch(watch_load)
        source_errors = source_lock_errors(db)
        end_rss = rss_tree(server["proc"].pid)
    server_lock = lock_lines(server["log"])
    ingest_lock = lock_lines(server["collectors_log"])
    rss_all = [*idle_samples.rss, *load_samples.rss]
    delta, growing_total = growth([r[2] for r in load_samples.rss])
    server_delta, growing_server = growth([r[1] for r in load_samples.rss])
    growing = growing_total or growing_server
    achieved = steady_rate(load_samples.posts) or (
        (after - before) / load_seconds if load_seconds else 0.0)
    sustained = sustained_rate(load_samples.lag, rate)
    lags = [lag for _t, lag in load_samples.lag]
    idle_p95 = idle_metrics["all"].get("p95_ms")
    load_p95 = load_metrics["all"].get("p95_ms")
    ratio = round(load_p95 / idle_p95, 2) if idle_p95 and load_p95 else None
    lock_errors = len(server_lock) + len(ingest_lock) + source_errors + sum(
        1 for t in watch_idle.texts + watch_load.texts if LOCK_PATTERNS.search(t))
    result = {
        "bench": "load", "clients": clients, "sessions": sessions,
        "duration_s": round(load_seconds, 1),
        "idle_s": idle, "target_rate": rate, "achieved_rate": round(achieved, 1),
        "sustained_rate": round(sustained, 1) if sustained is not None else None,
        "lag_s": {"max": round(max(lags), 1), "end": round(lags[-1], 1),
                  "median": round(sorted(lags)[len(lags) // 2], 1)} if lags else None,
        "posts_ingested": after - before, "prefill_posts": prefill_posts,
        # CPU the collectors got under load, as a share of one core, and what the pipeline
        # did per CPU second: tells a slow pipeline from a busy machine
        "ingest_cpu_share": round(cpu[0] / load_seconds, 2) if load_seconds else None,
        "ingest_posts_per_cpu_s": round((after - before) / cpu[0], 1) if cpu[0] else None,
        "server_cpu_share": round(cpu[1] / load_seconds, 2) if load_seconds else None,
        # the sessions' own CPU (this process, with the browsers if any)
        "clients_cpu_share": round(cpu[2] / load_seconds, 2) if load_seconds else None,
        "wal_mb_peak": round(max([*idle_samples.wal, *load_samples.wal, 0.0]), 1),
        "lock_errors": lock_errors,
        "lock_errors_by_place": {"server_log": len(server_lock), "ingest_log": len(ingest_lock),
                                 "source_health": source_errors},
        "page_errors": watch_idle.errors + watch_load.errors,
        "sessions_lost": watch_idle.lost + watch_load.lost,
        "idle_p95_ms": idle_p95, "load_p95_ms": load_p95, "ratio": ratio,
        "idle_runs": idle_metrics["all"]["count"], "load_runs": load_metrics["all"]["count"],
        "p95_ms_by_run": {name: [idle_metrics["runs"].get(name, {}).get("p95_ms"),
                                 load_metrics["runs"].get(name, {}).get("p95_ms")]
                          for name in sorted({*idle_metrics["runs"], *load_metrics["runs"]})},
        "rss_mb": {"start": round(start_rss[1], 1),
                   "peak": round(max(r[2] for r in rss_all), 1),
                   "end": round(end_rss[1], 1),
                   "server_start": round(start_rss[0], 1),
                   "server_peak": round(max(r[1] for r in rss_all), 1),
                   "server_end": round(end_rss[0], 1),
                   "load_growth": delta, "server_load_growth": server_delta,
                   "growing": growing},
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "goal": {"lock_errors": 0, "page_errors": 0,
                 "min_rate": round(rate * GOAL_RATE_SHARE, 1),
                 "max_lag_s": GOAL_MAX_LAG_S, "max_ratio": GOAL_RATIO,
                 "memory": "bounded"},
    }
    result["met"] = bool(lock_errors == 0 and result["page_errors"] == 0
                         and result["sessions_lost"] == 0
                         and (sustained or 0.0) >= rate * GOAL_RATE_SHARE
                         and bool(lags) and max(lags) <= GOAL_MAX_LAG_S
                         and ratio is not None and ratio <= GOAL_RATIO and not growing)
    result["_detail"] = {"idle": idle_metrics["runs"], "load": load_metrics["runs"],
                         "page_texts": (watch_idle.texts + watch_load.texts)[:5],
                         "lock_lines": (server_lock + ingest_lock)[:5],
                         "posts": load_samples.posts, "tmp": str(tmp),
                         "rss_series": series(rss_all),
                         "wal_series": [round(w) for w in [*idle_samples.wal,
                                                           *load_samples.wal][::10]]}
    if not keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return result


def print_table(result: dict[str, Any]) -> None:
    detail = result["_detail"]
    names = sorted(set(detail["idle"]) | set(detail["load"]))
    print(f"{'run':<26}{'idle n':>8}{'p50':>8}{'p95':>8}{'load n':>9}{'p50':>8}{'p95':>8}"
          f"{'max':>9}")
    for name in [*names, "all"]:
        i = detail["idle"].get(name, {}) if name != "all" else {"count": result["idle_runs"],
                                                                 "p95_ms": result["idle_p95_ms"]}
        ld = detail["load"].get(name, {}) if name != "all" else {
            "count": result["load_runs"], "p95_ms": result["load_p95_ms"]}

        def cell(d: dict[str, Any], key: str, width: int = 8) -> str:
            value = d.get(key)
            return f"{value:>{width}}" if value is not None else f"{'-':>{width}}"

        print(f"{name:<26}{cell(i, 'count')}{cell(i, 'p50_ms')}{cell(i, 'p95_ms')}"
              f"{cell(ld, 'count', 9)}{cell(ld, 'p50_ms')}{cell(ld, 'p95_ms')}"
              f"{cell(ld, 'max_ms', 9)}")
    rss = result["rss_mb"]
    lag = result["lag_s"] or {}
    print(f"sustained: {result['sustained_rate']} posts/s absorbed (the newest stored post "
          f"{lag.get('median')} s behind its scheduled time at the median, {lag.get('max')} s "
          f"at most, {lag.get('end')} s at the end)")
    print(f"ingest: {result['achieved_rate']} posts/s achieved for {result['target_rate']:g} "
          f"wanted ({result['posts_ingested']} posts in {result['duration_s']} s)")
    print(f"  the collectors got {result['ingest_cpu_share']} of a core: "
          f"{result['ingest_posts_per_cpu_s']} posts per CPU second; the server "
          f"{result['server_cpu_share']} of a core, the {result['clients']} clients "
          f"{result['clients_cpu_share']}; WAL peak {result['wal_mb_peak']} MB")
    print(f"lock errors: {result['lock_errors']} {result['lock_errors_by_place']}; "
          f"page errors: {result['page_errors']}; sessions lost: {result['sessions_lost']}")
    for text in detail["page_texts"] + detail["lock_lines"]:
        print(f"  {text}")
    print(f"p95 rerun: idle {result['idle_p95_ms']} ms, under ingest {result['load_p95_ms']} ms "
          f"(x{result['ratio']})")
    print(f"memory (server + collectors): start {rss['start']} MB, peak {rss['peak']} MB, end "
          f"{rss['end']} MB; server alone {rss['server_start']}/{rss['server_peak']}/"
          f"{rss['server_end']} MB; growth over the load phase {rss['load_growth']} MB "
          f"(server {rss['server_load_growth']} MB){' (growing)' if rss['growing'] else ''}")
    print("  over time (s, server MB, with children MB): "
          + " ".join(f"{t}:{a}/{b}" for t, a, b in detail["rss_series"]))
    print("  WAL MB every 10 s: " + " ".join(str(w) for w in detail["wal_series"]))
    print(f"load average {result['loadavg']} on {result['cpus']} CPUs; met: {result['met']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", choices=("ws", "browser"), default="ws",
                        help="websocket sessions (default: the browsers belong to other "
                             "machines) or headless Chromium")
    parser.add_argument("--sessions", type=int, default=6, help="sessions (default 6)")
    parser.add_argument("--rate", type=float, default=1000.0, help="posts per second to ingest")
    parser.add_argument("--duration", type=float, default=60.0,
                        help="seconds under ingest (default 60)")
    parser.add_argument("--idle", type=float, default=None,
                        help="seconds without ingest before (default: --duration)")
    parser.add_argument("--prefill", type=int, default=5000,
                        help="posts stored before the server starts (default 5000)")
    parser.add_argument("--warmup", type=float, default=10.0,
                        help="seconds after the sessions open, not measured (default 10)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.rate <= 0 or args.duration <= 0:
        parser.error("--sessions, --rate and --duration must be positive")
    if args.clients == "browser" and not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)", file=sys.stderr)
        return 2
    result = run(args.sessions, args.rate, args.duration,
                 args.duration if args.idle is None else args.idle, args.prefill, args.warmup,
                 keep=args.keep, clients=args.clients)
    print_table(result)
    print(json.dumps({k: v for k, v in result.items() if not k.startswith("_")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
