"""`python -m bench report`: the point de situation and the exports on a million posts.

Builds (once, then reuses) a database of N posts spread over 48 hours: the bundled
scenario's posts cloned with new ids and times, their ground-truth categories in
`post_categories`, a geotag on 15 % of them, a commune on 60 %, plus the scenario's road
events, alerts and the volunteers' claims and people (tests/report_world.py). Then it runs
the real commands in child processes, so the figures include start-up, and reports wall
time, CPU time and peak memory (max RSS) of each.

    python -m bench report [--posts 1000000] [--db PATH] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from vigie.models import iso, utc_now
from vigie.store import Store

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "data" / "scenarios" / "crue-cote-dor.jsonl"
COMMUNES = ROOT / "data" / "scenarios" / "communes_21.csv"
HOURS = 48
BATCH = 20_000


def _templates() -> list[dict]:
    with SCENARIO.open(encoding="utf-8") as fh:
        return [p for p in map(json.loads, fh) if p["type"] == "post"]


def _communes() -> list[dict]:
    with COMMUNES.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build(path: Path, posts: int, seed: int = 8) -> Store:
    """A world (scenario + volunteers' work) grown to `posts` posts."""
    from tests.report_world import build_world

    store = build_world(path)
    existing = store.count_export_posts(None, iso(utc_now() + timedelta(days=1)))
    rng = random.Random(seed)
    templates, communes = _templates(), _communes()
    incident_id = store.active_incident()["id"]
    start = utc_now() - timedelta(hours=HOURS)
    weights = [c for c in communes if float(c["population_2021"] or 0) > 0]
    population = [float(c["population_2021"]) for c in weights]
    todo = posts - existing
    started = time.perf_counter()
    done = 0
    while done < todo:
        rows = []
        for _ in range(min(BATCH, todo - done)):
            t = rng.choice(templates)
            created = iso(start + timedelta(seconds=rng.random() * HOURS * 3600))
            commune = rng.choices(weights, population)[0] if rng.random() < 0.6 else None
            lat = lon = None
            if commune and rng.random() < 0.25:
                lat = float(commune["lat"]) + rng.uniform(-0.01, 0.01)
                lon = float(commune["lng"]) + rng.uniform(-0.01, 0.01)
            n = existing + done + len(rows)
            rows.append((
                f"bench:{n}", "bench", t["network"], t["author"], t["text"], t.get("url"),
                t["lang"], created, created, lat, lon,
                commune["commune_article"] if commune else None,
                commune["insee_com"] if commune else None,
                "exact" if lat is not None else ("commune" if commune else "unknown"),
                json.dumps(t["truth"]["categories"]), "{}", rng.random() ** 3, "[]", "[]",
                None, "new", incident_id, "bench", created, None, None, "{}"))
        store.insert_post_rows(rows)
        done += len(rows)
        print(f"\r  {existing + done:,} posts ({time.perf_counter() - started:.0f} s)",
              end="", file=sys.stderr)
    print(file=sys.stderr)
    store.conn.execute("ANALYZE")
    return store


CHILD = (
    "import resource, runpy, sys\n"
    "sys.argv = ['vigie', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('vigie', run_name='__main__')\n"
    "finally:\n"
    "    r = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    print('maxrss', r.ru_maxrss, r.ru_utime + r.ru_stime, file=sys.stderr)\n"
)


def run(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of `python -m vigie ARGS` in its own
    process. CPU time says what the command costs even on a machine busy with other work."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=ROOT, text=True,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("maxrss ")]
    if done.returncode not in (0, None) and not lines:
        raise RuntimeError(done.stderr[-2000:])
    _tag, rss, cpu = lines[-1].split()
    return elapsed, float(cpu), int(rss) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="database to build or reuse")
    parser.add_argument("--out", type=Path, help="where the outputs go (default: a temp dir)")
    parser.add_argument("--skip-exports", action="store_true")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="vigie-bench-report-"))
    db = args.db or tmp / "bench.db"
    out = args.out or tmp
    out.mkdir(parents=True, exist_ok=True)
    if not db.exists() or Store(db).count_export_posts(None, "9999") < args.posts:
        print(f"building {db} with {args.posts:,} posts...", file=sys.stderr)
        build(db, args.posts)
    store = Store(db)
    total = store.count_export_posts(None, "9999")
    span = store.query_one("SELECT min(created_at) AS a, max(created_at) AS b FROM posts")
    print(f"database: {db} ({db.stat().st_size / 1e6:.0f} MB), {total:,} posts from "
          f"{span['a']} to {span['b']}")
    base = ["--db", str(db)]
    since = ["--since", span["a"]]
    jobs = [("report sitrep pdf (whole period)",
             [*base, "report", "sitrep", "--format", "pdf", "--out", str(out / "pds.pdf"),
              *since]),
            ("report sitrep md (whole period)",
             [*base, "report", "sitrep", "--format", "md", "--out", str(out / "pds.md"),
              *since])]
    if not args.skip_exports:
        for fmt in ("csv", "xlsx", "geojson", "hxl"):
            jobs.append((f"export posts {fmt}",
                         [*base, "export", "posts", "--format", fmt, "--out",
                          str(out / f"posts.{fmt}")]))
    print(f"{'command':<36} {'wall s':>8} {'CPU s':>8} {'max RSS MB':>11}")
    for label, job in jobs:
        seconds, cpu, rss = run(job)
        print(f"{label:<36} {seconds:8.2f} {cpu:8.2f} {rss:11.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
