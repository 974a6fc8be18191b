"""A crisis database of any size for `python -m bench pages`, built fast but faithfully.

The bundled exercise is replayed through the real pipeline first (tests/report_world.py:
enrichment, near-duplicate clusters, road events, alerts, claims, people, log). Its ~1,200
enriched posts are then the pool: every further post is a clone of one of them (categories,
urgency and reasons, place, lat/lon, language), inserted through the store's own insert
(`Store.insert_post_rows`: the real indexes, `post_categories` and the FTS trigger), over 30
days, denser towards now. Half of them are copies or retweets that join their template's
cluster (a Zipf law on templates, so a few rumours are shared thousands of times); the rest
are distinct messages, each its own cluster. Claims (with linked posts and evidence), ratings,
flagged people, road-contradiction flags, road events, alerts, messages, shelters, spikes and
main-courante lines grow with the number of posts.

The database is cached under $XDG_CACHE_HOME/vigie-bench (or ~/.cache) by size, schema
version and builder version; a reused one is topped up to the present at the same rate, so
the wall's "last hour" stays full.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from vigie.models import iso, utc_now
from vigie.store import Store
from vigie.store.db import _migrations

BUILDER_VERSION = 1
DAYS = 30
BATCH = 20_000
ROLES = ("viewer", "volunteer", "coordinator", "admin")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vigie-bench"


def cache_path(posts: int) -> Path:
    schema = max(number for number, _name, _sql in _migrations())
    return cache_dir() / f"pages-{posts}-s{schema}-b{BUILDER_VERSION}.db"


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def add_role_users(store: Store) -> None:
    """One account per role, named after it (the bench logs in with session_state)."""
    for role in ROLES:
        if not store.get_user(role):
            store.add_user(role, "!bench-no-login", role)


class PostCloner:
    """Clones of the enriched pool, as rows of the store's insert statement."""

    def __init__(self, store: Store, seed: int) -> None:
        self.store = store
        self.rng = random.Random(seed)
        cols = ", ".join(POST_COLS)
        self.pool = store.query(f"SELECT {cols} FROM posts ORDER BY created_at")
        # Zipf weights: the k-th template is copied ~1/k as often (a few go viral).
        order = list(range(len(self.pool)))
        self.rng.shuffle(order)
        self.weights = [0.0] * len(self.pool)
        for rank, i in enumerate(order, start=1):
            self.weights[i] = 1.0 / rank
        self.incident_id = store.active_incident()["id"]

    def rows(self, start: int, count: int, since: datetime, until: datetime,
             density: float = 2.0) -> list[tuple]:
        """`count` posts numbered from `start`, times in [since, until), denser near until."""
        rng, span = self.rng, (until - since).total_seconds()
        now = utc_now()
        out = []
        templates = rng.choices(self.pool, self.weights, k=count)
        for n, t in enumerate(templates, start=start):
            created_dt = until - timedelta(seconds=span * rng.random() ** density)
            created = iso(created_dt)
            pid = f"bench:{n}"
            copy = rng.random() < 0.5
            text = t["text"]
            if copy:
                cluster = t["cluster_id"] or t["id"]
                if rng.random() < 0.4:
                    text = f"RT @{(t['author'] or 'x').lstrip('@')}: {text}"
            else:
                cluster = pid
                text = f"{text} #{n % 997}"
            lat, lon = t["lat"], t["lon"]
            if lat is not None and t["precision"] == "exact":
                lat, lon = lat + rng.uniform(-0.01, 0.01), lon + rng.uniform(-0.01, 0.01)
            age_h = (now - created_dt).total_seconds() / 3600
            if rng.random() < (0.92 if age_h < 6 else 0.25):
                status = "new"
            else:
                status = rng.choices(("triaged", "irrelevant", "escalated"), (60, 35, 5))[0]
            out.append((
                pid, "bench", t["kind"], f"@user{rng.randrange(50_000)}", text, t["url"],
                t["lang"], created, created, lat, lon, t["place"], t["insee"], t["precision"],
                t["categories"], t["category_reasons"], t["urgency"], t["urgency_reasons"],
                t["rumor_signals"], cluster, status, self.incident_id, "bench", created,
                t["url"], None, "{}"))
        return out


POST_COLS = ("id", "kind", "author", "text", "url", "lang", "lat", "lon", "place", "insee",
             "precision", "categories", "category_reasons", "urgency", "urgency_reasons",
             "rumor_signals", "cluster_id", "created_at")


def _insert(store: Store, cloner: PostCloner, first: int, total: int, since: datetime,
            until: datetime, label: str) -> None:
    started = time.perf_counter()
    done = 0
    while done < total:
        n = min(BATCH, total - done)
        store.insert_post_rows(cloner.rows(first + done, n, since, until))
        done += n
        print(f"\r  {label}: {done:,}/{total:,} posts ({time.perf_counter() - started:.0f} s)",
              end="", file=sys.stderr)
    print(file=sys.stderr)


def _side_tables(store: Store, posts: int, rng: random.Random) -> None:
    """Everything people record beside the posts, in proportion to the posts."""
    db = store.db
    now = utc_now()
    scale = max(posts / 1_000_000, 0.002)
    incident_id = store.active_incident()["id"]
    start = now - timedelta(days=DAYS)

    def when(days: float = DAYS) -> str:
        return iso(now - timedelta(seconds=days * 86400 * rng.random() ** 2))

    big = store.query("SELECT cluster_id, count(*) AS n FROM posts WHERE cluster_id IS NOT NULL "
                      "GROUP BY cluster_id ORDER BY n DESC LIMIT ?", (int(400 * scale) + 10,))
    statuses = ("to_verify", "investigating", "confirmed", "false", "misleading", "unverifiable")
    for i, c in enumerate(big):
        status = statuses[i % len(statuses)]
        created = when()
        judged = status in ("confirmed", "false", "misleading", "unverifiable")
        claim_id = db["claims"].insert({
            "title": f"Affirmation {i} : {c['cluster_id']}", "summary": "bench",
            "status": status, "owner": rng.choice(("volunteer", "coordinator", None)),
            "cluster_id": c["cluster_id"], "incident_id": incident_id, "created_at": created,
            "created_by": "volunteer", "updated_at": created, "updated_by": "volunteer",
            "verdict_at": created if judged else None,
            "verdict_by": "coordinator" if judged else None,
            "verdict_note": "Vérifié auprès de la préfecture" if judged else None,
            "public_message": f"Message public {i}" if judged else None,
            "published": int(judged and i % 2 == 0)}).last_pk
        linked = store.query("SELECT id FROM posts WHERE cluster_id = ? LIMIT 200",
                             (c["cluster_id"],))
        db["claim_posts"].insert_all(({"claim_id": claim_id, "post_id": p["id"],
                                       "added_at": created, "added_by": "volunteer"}
                                      for p in linked), pk=("claim_id", "post_id"), ignore=True)
        db["evidence"].insert_all({"claim_id": claim_id, "kind": "note",
                                   "content": f"Élément {k}", "author": "volunteer",
                                   "at": created} for k in range(rng.randrange(4)))
    sample = [r["id"] for r in store.query(
        "SELECT id FROM posts WHERE rowid % ? = 0", (97,))]
    db["ratings"].insert_all(({"post_id": p, "rater": rng.choice(("volunteer", "coordinator")),
                               "source_rating": rng.choice("ABCDEF"),
                               "info_rating": rng.randint(1, 6), "at": when()}
                              for p in sample), ignore=True)
    people_status = ("reported", "escalated", "located", "resolved")
    db["people"].insert_all({
        "kind": rng.choice(("distress", "missing")),
        "description": f"Personne {i} signalée", "place": "Dijon",
        "post_id": rng.choice(sample) if sample else None,
        "status": people_status[i % 4], "reported_at": when(), "incident_id": incident_id,
        "created_by": "volunteer"} for i in range(int(500 * scale) + 10))
    db["post_flags"].insert_all(({
        "post_id": p, "kind": "road_contradiction", "road": f"D{rng.randrange(1, 999)}",
        "post_says": "closed", "feed_says": "open", "place": "Dijon", "words": "coupée",
        "status": rng.choice(("open", "checked")), "incident_id": incident_id,
        "created_at": when()} for p in sample[:int(500 * scale) + 10]), ignore=True)
    events = store.query("SELECT * FROM road_events")
    db["road_events"].insert_all({
        **e, "id": f"bench:{i}:{e['id']}", "source": "bench",
        "road": f"{e['road']}" if i % 3 else f"D{rng.randrange(1, 999)}",
        "status": rng.choice(("active", "ended", "planned")) if i % 2 else e["status"]}
        for i in range(int(8 * scale) + 1) for e in events)
    alerts = store.query("SELECT * FROM alerts")
    db["alerts"].insert_all({**a, "id": f"bench:{i}:{a['id']}", "sent": when()}
                            for i in range(int(10 * scale) + 1) for a in alerts)
    msg_status = ("draft", "approved", "sent")
    for i in range(int(200 * scale) + 10):
        db["messages"].insert({
            "kind": rng.choice(("safety", "solidarity", "debunk", "info")), "hazard": "flood",
            "title": f"Message {i}", "body": f"Consigne {i} : restez chez vous.",
            "status": msg_status[i % 3], "incident_id": incident_id, "created_at": when(),
            "created_by": "volunteer"})
    for i in range(int(40 * scale) + 3):
        store.add_shelter({"name": f"Gymnase {i}", "commune": "Dijon", "lat": 47.32,
                           "lon": 5.04, "capacity": 100, "published": i % 2},
                          "coordinator", incident_id=incident_id, log_text=f"Gymnase {i}")
    kinds = ("entry", "decision", "action", "handover", "system")
    authors = ("coordinator", "volunteer", "admin", "vigie")
    db["log"].insert_all({"at": when(), "author": rng.choice(authors),
                          "kind": rng.choice(kinds), "text": f"Ligne {i} de la main courante",
                          "incident_id": incident_id}
                         for i in range(int(20_000 * scale) + 50))
    db["audit"].insert_all({"at": when(), "actor": "volunteer", "action": "update",
                            "entity": "posts", "entity_id": p, "before": "{}", "after": "{}"}
                           for p in sample[:int(5_000 * scale) + 10])
    for i in range(int(30 * scale) + 3):
        at = iso(now - timedelta(minutes=rng.randrange(60 * 24)))
        store.add_spike(at=at, dimension=rng.choice(("place", "category")), value=f"v{i}",
                        count=20 + i, baseline=3.0, score=0.0001, incident_id=incident_id,
                        dedupe_since=at, log_text=f"Pic {i}")
    db["incidents"].update(incident_id, {"started_at": iso(start)})


def build(path: Path, posts: int, seed: int = 9) -> Store:
    """A fresh database of `posts` posts at `path`."""
    from tests.report_world import build_world

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = build_world(path)
    add_role_users(store)
    existing = store.total_posts()
    now = utc_now()
    if posts > existing:
        cloner = PostCloner(store, seed)
        _insert(store, cloner, existing, posts - existing, now - timedelta(days=DAYS), now,
                "building")
    _side_tables(store, posts, random.Random(seed))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store


def top_up(store: Store, posts: int, seed: int) -> int:
    """Posts from the newest one to now at the built rate (at most 2 days), so a cached
    database still has a full last hour. Returns how many were added."""
    newest = store.scalar("SELECT max(created_at) FROM posts")
    now = utc_now()
    if not newest:
        return 0
    since = max(_parse(newest), now - timedelta(days=2))
    gap = (now - since).total_seconds()
    # density 2 over 30 days: the rate at the present is 1/(2*sqrt(u))... take the mean
    # rate of the built last day as the rate to continue with.
    last_day = int(store.scalar("SELECT count(*) FROM posts WHERE created_at >= ?",
                                (iso(since - timedelta(days=1)),)) or 0)
    count = int(last_day * gap / 86400)
    if count <= 0:
        return 0
    cloner = PostCloner(store, seed + int(now.timestamp()))
    first = int(store.scalar("SELECT count(*) FROM posts")) + int(now.timestamp())
    _insert(store, cloner, first, count, since, now, "topping up")
    return count


def _upgrade_older(path: Path, posts: int) -> None:
    """A cached database of an older schema (same size and builder) becomes this one: the
    store migrates it in place on opening, as it would a deployment's database."""
    for older in sorted(path.parent.glob(f"pages-{posts}-s*-b{BUILDER_VERSION}.db")):
        if older != path and older.with_suffix(".ready").exists():
            Path(f"{older}-shm").unlink(missing_ok=True)
            if Path(f"{older}-wal").exists():
                Path(f"{older}-wal").rename(f"{path}-wal")
            older.rename(path)
            older.with_suffix(".ready").rename(path.with_suffix(".ready"))
            print(f"  migrating the cached {older.name} to the current schema", file=sys.stderr)
            return


def open_world(posts: int, *, fresh: bool = False, path: Path | None = None
               ) -> tuple[Store, float, bool]:
    """The cached database for `posts` (built if missing). Returns (store, seconds, built)."""
    path = path or cache_path(posts)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ready = path.with_suffix(".ready")
    if not fresh and not ready.exists():
        _upgrade_older(path, posts)
    built = fresh or not (path.exists() and ready.exists())
    if built:
        ready.unlink(missing_ok=True)
        store = build(path, posts)
        ready.write_text(iso(utc_now()))
    else:
        store = Store(path)
        top_up(store, posts, 9)
    return store, time.perf_counter() - started, built


def summary(store: Store) -> dict[str, Any]:
    tables = ("posts", "claims", "claim_posts", "evidence", "ratings", "people", "post_flags",
              "road_events", "alerts", "messages", "shelters", "log", "spikes")
    return {t: int(store.scalar(f"SELECT count(*) FROM {t}")) for t in tables}
