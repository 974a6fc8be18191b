"""`python -m bench pages`: every page's script run at scale, against an empty database and
against a naive "read whole tables into pandas" version of the same page.

    python -m bench pages [--posts 1000000] [--runs 7] [--naive-runs 3] [--pages a,b]

The database (bench/pages_world.py) is built once and cached by size and schema version.
Each page runs the way a browser session runs it: the real app script (app.py: the frame,
then the page) under Streamlit's AppTest, signed in as an admin (the role that sees every
tab; the public map anonymously). One warm-up run, then `--runs` timed reruns: median and
p95. The naive version (bench/naive_pages.py) computes the same visible figures from whole
tables in pandas, without drawing anything, so its time is a lower bound and the speedup
is conservative. AppTest's own cost is measured on a page that only checks the login.

Ends with one JSON line: per page median_ms, p95_ms, empty_median_ms, naive_median_ms,
speedup; plus posts, goal and met.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import naive_pages
from bench.pages_world import add_role_users, open_world, summary

__all__ = ["main", "run_bench", "summary"]
from vigie.store import Store
from vigie.ui.shell import PAGES

ROOT = Path(__file__).resolve().parents[1]
GOAL = {"median_ms": 150, "speedup": 50}
ROLE = {"public": None}  # every other page: admin, who sees every tab
TRIVIAL = ('"""Only the login check: what AppTest and the frame cost on their own."""\n'
           "from vigie.ui.session import require\n\nrequire('timeline')\n")


def _quiet() -> None:
    """AppTest from a bare process logs a ScriptRunContext warning per widget."""
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _use_db(path: Path) -> None:
    """Point the app at another database, with no cache carried over from the last one."""
    import streamlit as st

    os.environ["VIGIE_DB"] = str(path)
    st.cache_data.clear()
    st.cache_resource.clear()


def stats(seconds: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds; p95 by the nearest-rank method."""
    ms = sorted(s * 1000 for s in seconds)
    rank = max(0, min(len(ms) - 1, round(0.95 * len(ms) + 0.5) - 1))
    return statistics.median(ms), ms[rank]


def time_page(page_file: str, role: str | None, runs: int
              ) -> tuple[list[float], list[float]]:
    """Reruns of the real app on one page, after one warm-up run: wall and CPU seconds
    (this process's CPU time: what the page costs whatever else the machine runs)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if role:
        at.session_state["vigie_user"] = role
    at.run()
    at.switch_page(page_file)
    at.run()  # warm-up: imports, caches, SQLite's page cache
    _check(at, page_file)
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        at.run()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    _check(at, page_file)
    return times, cpu


def _check(at: Any, page_file: str) -> None:
    if at.exception:
        raise RuntimeError(f"{page_file}: {[e.value for e in at.exception]}")
    texts = " ".join(str(e.value) for e in [*at.warning, *at.error])
    if "Connexion requise" in texts or "ne permet pas" in texts:
        raise RuntimeError(f"{page_file}: refused ({texts[:200]})")


def time_trivial(runs: int) -> list[float]:
    """AppTest's cost on its own: a script that only checks the login, run directly."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "trivial.py"
        script.write_text(TRIVIAL, encoding="utf-8")
        at = AppTest.from_file(str(script), default_timeout=60)
        at.session_state["vigie_user"] = "admin"
        at.run()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
    return times


def time_call(fn: Callable[[], Any], runs: int) -> list[float]:
    """A naive version's runs. No warm-up: each run reads every table again anyway."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def empty_world(path: Path) -> Store:
    """A fresh database: the schema, one account per role, an open exercise."""
    store = Store(path)
    add_role_users(store)
    store.create_incident("Exercice crue", exercise=True, scenario="bench")
    return store


def run_bench(posts: int, runs: int, naive_runs: int, pages: list[str] | None = None,
              fresh: bool = False, db: Path | None = None) -> dict[str, Any]:
    _quiet()
    chosen = [(p, f) for p, f, _i, _s in PAGES if not pages or p in pages]
    store, build_s, built = open_world(posts, fresh=fresh, path=db)
    counts = summary(store)
    print(f"database {store.path} ({'built' if built else 'cached, topped up'} in "
          f"{build_s:.1f} s): " + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
          flush=True)
    big_path = store.path
    store.close()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="vigie-bench-pages-") as tmp:
        empty_path = Path(tmp) / "empty.db"
        empty_world(empty_path).close()
        _use_db(big_path)
        trivial = stats(time_trivial(runs))
        for path, page_file in chosen:
            _use_db(big_path)
            wall, cpu = time_page(page_file, ROLE.get(path, "admin"), runs)
            median, p95 = stats(wall)
            results[path] = {"median_ms": round(median, 1), "p95_ms": round(p95, 1),
                             "cpu_median_ms": round(stats(cpu)[0], 1)}
            print(f"  {path}: {median:.0f} ms", file=sys.stderr, flush=True)
        for path, page_file in chosen:
            _use_db(empty_path)
            median, _p95 = stats(time_page(page_file, ROLE.get(path, "admin"), runs)[0])
            results[path]["empty_median_ms"] = round(median, 1)
        naive_store = Store(big_path)
        for path, _file in (chosen if naive_runs else []):
            fn = naive_pages.NAIVE[path]
            median, _p95 = stats(time_call(lambda fn=fn: fn(naive_store), naive_runs))
            results[path]["naive_median_ms"] = round(median, 1)
            results[path]["speedup"] = round(median / max(results[path]["median_ms"], 0.1), 1)
            print(f"  naive {path}: {median:.0f} ms", file=sys.stderr, flush=True)
        naive_store.close()
    for r in results.values():
        r.setdefault("naive_median_ms", None)
        r.setdefault("speedup", None)
        r["met"] = r["median_ms"] <= GOAL["median_ms"] and (r["speedup"] or 0) >= GOAL["speedup"]
        # A page whose tables do not grow with the posts (messages, log, published items)
        # has a naive version that is itself within the page goal: there is nothing to be
        # 50x faster than. Reported as such, next to the strict `met`, never instead of it.
        r["speedup_applies"] = (r["naive_median_ms"] is None
                                or r["naive_median_ms"] > GOAL["median_ms"])
        r["met_where_applicable"] = r["median_ms"] <= GOAL["median_ms"] and (
            not r["speedup_applies"] or (r["speedup"] or 0) >= GOAL["speedup"])
    return {"bench": "pages", "posts": counts["posts"], "runs": runs, "naive_runs": naive_runs,
            "build_s": round(build_s, 1), "apptest_trivial_median_ms": round(trivial[0], 1),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "pages": results, "goal": GOAL, "met": all(r["met"] for r in results.values()),
            "met_where_applicable": all(r["met_where_applicable"] for r in results.values())}


def verdict(r: dict[str, Any]) -> str:
    if r["met"]:
        return "met"
    if r.get("met_where_applicable"):
        return "NOT met (the naive version is within the page goal: no 50x to win)"
    return "NOT met"


def table(report: dict[str, Any]) -> str:
    head = (f"{'page':<10} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'empty ms':>9} "
            f"{'naive ms':>10} {'speedup':>8}  goal")
    lines = [head]
    for name, r in report["pages"].items():
        lines.append(f"{name:<10} {r['median_ms']:>10.0f} {r['p95_ms']:>8.0f} "
                     f"{r['cpu_median_ms']:>7.0f} "
                     f"{r['empty_median_ms']:>9.0f} {r['naive_median_ms'] or 0:>10.0f} "
                     f"{r['speedup'] or 0:>7.0f}x  {verdict(r)}")
    lines.append(f"AppTest on a page that only checks the login: "
                 f"{report['apptest_trivial_median_ms']:.0f} ms (included in every figure)")
    lines.append(f"load average {report['load_average']} on {os.cpu_count()} cores")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pages", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per page (after one "
                        "warm-up)")
    parser.add_argument("--naive-runs", type=int, help="timed runs of each naive version "
                        "(default: min(runs, 3); each reads whole tables; 0: skip them)")
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--db", type=Path, help="database to build or reuse instead of the "
                        "cache")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    naive_runs = min(args.runs, 3) if args.naive_runs is None else args.naive_runs
    report = run_bench(args.posts, max(1, args.runs), naive_runs,
                       args.pages.split(",") if args.pages else None, args.fresh, args.db)
    print(table(report))
    print(json.dumps(report, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
