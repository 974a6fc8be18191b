"""`python -m bench ingest [--posts N] [--new M]`: the full pipeline against raw inserts.

Builds a database that already holds N posts (through the real pipeline, so the
near-duplicate index and FTS are as large as they would be), copies it, then in the
same run:

- **pipeline**: M new posts through `vigie.pipeline.ingest` with enrichment
  (language, categories, urgency, rumors, places, near-duplicate clusters), in
  collector-sized batches, into the first copy;
- **raw**: the same M rows (already enriched, so the rows are identical) inserted with
  plain `executemany` into the second copy, which has the same indexes, triggers and FTS.

Posts are made from the bundled scenario's texts with realistic variation: a share are
retweets and copies of earlier posts, the rest are new messages. Prints the figures,
then one JSON line: posts per second both ways and their ratio (goal: >= 0.5).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from collectors.base import Batch
from vigie.models import Post, iso, utc_now
from vigie.pipeline import StoreEnricher, ingest
from vigie.store import Store
from vigie.store.posts import _INSERT_POST, post_row

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "data" / "scenarios" / "crue-cote-dor.jsonl"
BATCH = 200


def scenario_texts() -> list[str]:
    texts = []
    with SCENARIO.open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if item.get("type") == "post":
                texts.append(item["text"])
    return texts


def make_posts(count: int, start: int, rng: random.Random, texts: list[str],
               prefix: str) -> list[Post]:
    """Posts over the last 30 days: 35% copies (RT, other link), 65% varied messages."""
    now = utc_now().timestamp()
    posts: list[Post] = []
    for i in range(start, start + count):
        roll = rng.random()
        if posts and roll < 0.2:
            src = rng.choice(posts[-500:])
            text = f"RT @{src.author}: {src.text}"
        elif posts and roll < 0.35:
            src = rng.choice(posts[-500:])
            text = f"{src.text} https://exemple.invalid/{rng.randrange(10**6)}"
        else:
            words = rng.choice(texts).split()
            rng.shuffle(words[len(words) // 2:]) if len(words) > 6 else None
            text = " ".join(words) + f" #{rng.choice(['crue21', 'inondation', 'CotedOr'])}{i}"
        posts.append(Post(
            id=f"{prefix}:{i}", source="bench", kind="bench", text=text, author=f"user{i % 5000}",
            created_at=iso_from(now - rng.uniform(0, 30 * 86400)), lang=None))
    return posts


def dedup_recall(trials: int = 3000, seed: int = 5) -> dict[str, float]:
    """Near-duplicate joins on pairs of word sequences with a known Jaccard similarity of
    word pairs (one copy with some words replaced): the share joined at J in [0.65, 0.75)
    (recall) and at J < 0.45 (false joins). Not timed."""
    from vigie.enrich.dedup import MemoryClusterIndex, cluster, keys_for

    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(5000)]
    counts = {"recall_j07": [0, 0], "false_joins_j_below_045": [0, 0]}
    for _ in range(trials):
        n = rng.randrange(12, 40)
        a = [rng.choice(vocab) for _ in range(n)]
        b = list(a)
        for _ in range(rng.randrange(1, max(2, n // 3))):
            b[rng.randrange(n)] = rng.choice(vocab)
        pa, pb = set(zip(a, a[1:], strict=False)), set(zip(b, b[1:], strict=False))
        j = len(pa & pb) / len(pa | pb)
        name = ("recall_j07" if 0.65 <= j < 0.75 else
                "false_joins_j_below_045" if j < 0.45 else None)
        if name is None:
            continue
        index = MemoryClusterIndex()
        cluster("a", "", index, keys=keys_for(a))
        joined = cluster("b", "", index, keys=keys_for(b)).cluster_id == "a"
        counts[name][0] += 1
        counts[name][1] += joined
    return {k: round(v[1] / v[0], 3) for k, v in counts.items() if v[0]}


def iso_from(ts: float) -> str:
    from datetime import UTC, datetime

    return iso(datetime.fromtimestamp(ts, UTC))


def fill(store: Store, posts: list[Post]) -> None:
    enricher = StoreEnricher(store, departements=("21",))
    for i in range(0, len(posts), 1000):
        ingest(store, Batch(posts=posts[i:i + 1000]), collector="bench", incident_id=None,
               enricher=enricher)


def time_pipeline(db: Path, posts: list[Post]) -> float:
    """Seconds to ingest `posts` through the full pipeline, in collector-sized batches."""
    store = Store(db)
    enricher = StoreEnricher(store, departements=("21",))
    t0 = time.perf_counter()
    for i in range(0, len(posts), BATCH):
        ingest(store, Batch(posts=posts[i:i + BATCH]), collector="bench", incident_id=None,
               enricher=enricher)
    elapsed = time.perf_counter() - t0
    store.close()
    return elapsed


def time_raw(db: Path, rows: list[tuple]) -> float:
    """Seconds to insert the same rows with plain `executemany`, same batches."""
    raw = Store(db)
    conn = raw.conn
    t0 = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        chunk = rows[i:i + BATCH]
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(_INSERT_POST, chunk)
        conn.executemany(
            "INSERT OR IGNORE INTO post_categories(post_id, category, created_at) "
            "VALUES (?, ?, ?)",
            [(r[0], c, r[7]) for r in chunk for c in json.loads(r[14])])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    raw.close()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ingest", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=20_000, help="posts already stored (N)")
    parser.add_argument("--new", type=int, default=5_000, help="posts ingested and timed (M)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="paired rounds, each on fresh copies of the N-post database; "
                             "the figures are their medians (default 3)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    texts = scenario_texts()
    pipeline_s: list[float] = []
    raw_s: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.db"
        store = Store(base)
        t0 = time.perf_counter()
        fill(store, make_posts(args.posts, 0, rng, texts, "old"))
        print(f"prefilled {args.posts} posts in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        new = make_posts(args.new, args.posts, rng, texts, "new")
        rows: list[tuple] = []
        for n in range(max(1, args.rounds)):
            pipe_db, raw_db = Path(tmp) / f"pipeline{n}.db", Path(tmp) / f"raw{n}.db"
            shutil.copy(base, pipe_db)
            shutil.copy(base, raw_db)
            posts = [Post(**{**vars(p), "extra": dict(p.extra)}) for p in new]  # filled in place
            if n % 2 and rows:  # odd rounds: raw first, so drift favours neither side
                raw_s.append(time_raw(raw_db, rows))
                pipeline_s.append(time_pipeline(pipe_db, posts))
            else:
                pipeline_s.append(time_pipeline(pipe_db, posts))
                if not rows:  # the raw side inserts exactly the rows the pipeline stored
                    rows = stored_rows(pipe_db, posts)
                raw_s.append(time_raw(raw_db, rows))
            pipe_db.unlink()
            raw_db.unlink()
            print(f"round {n + 1}: pipeline {args.new / pipeline_s[-1]:.0f} posts/s, raw "
                  f"{args.new / raw_s[-1]:.0f} posts/s, ratio {raw_s[-1] / pipeline_s[-1]:.3f}",
                  file=sys.stderr)

    ratios = [r / p for r, p in zip(raw_s, pipeline_s, strict=True)]
    result = {
        "bench": "ingest", "posts_stored_before": args.posts, "posts_timed": args.new,
        "rounds": len(ratios),
        "pipeline_posts_per_s": round(args.new / statistics.median(pipeline_s), 1),
        "raw_insert_posts_per_s": round(args.new / statistics.median(raw_s), 1),
        "ratio": round(statistics.median(ratios), 3),
        "ratios": [round(r, 3) for r in ratios], "goal_ratio": 0.5,
        "dedup": dedup_recall(),
    }
    print(f"pipeline: {result['pipeline_posts_per_s']} posts/s; raw inserts with the same "
          f"indexes and FTS: {result['raw_insert_posts_per_s']} posts/s; ratio {result['ratio']} "
          f"(median of {len(ratios)} rounds)", file=sys.stderr)
    print(f"near-duplicates: joined {result['dedup']['recall_j07']:.1%} of pairs at Jaccard "
          f"0.65-0.75, {result['dedup']['false_joins_j_below_045']:.1%} below 0.45",
          file=sys.stderr)
    print(json.dumps(result))
    return 0


def stored_rows(db: Path, posts: list[Post]) -> list[tuple]:
    """The rows the pipeline stored for `posts`, as the raw side inserts them."""
    store = Store(db)
    collected = iso(utc_now())
    rows = [post_row(Post(**vars(p)), collected_at=collected, collector="bench",
                     fetched_at=collected, incident_id=None, enrichment=enrich_row(store, p))
            for p in posts]
    store.close()
    return rows


def enrich_row(store: Store, post: Post) -> dict:
    row = store.get_post(post.id) or {}
    post.place, post.lat, post.lon = row.get("place"), row.get("lat"), row.get("lon")
    post.precision, post.lang = row.get("precision", "unknown"), row.get("lang")
    return {k: row.get(k) for k in ("categories", "category_reasons", "urgency",
                                    "urgency_reasons", "rumor_signals", "cluster_id", "insee")}
