"""Seed a database with posts of the bundled exercise scenario, enriched for real.

The posts come from data/scenarios/crue-cote-dor.jsonl (Vigie's own fictional scenario, see
data/scenarios/README.md); enrichment runs the real pipeline (categories, urgency, places,
near-duplicate clusters with an in-memory index), so the triage queue groups copies of a
rumor the way it does in production.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from tests.conftest import ROOT
from vigie.auth import ROLES
from vigie.enrich.dedup import MemoryClusterIndex
from vigie.enrich.pipeline import apply, enrich
from vigie.models import Post, iso
from vigie.store import Store
from vigie.store.posts import post_row

_INDEXES: dict[str, MemoryClusterIndex] = {}  # one near-duplicate index per database file
SCENARIO = ROOT / "data" / "scenarios" / "crue-cote-dor.jsonl"


@cache
def _scenario_posts() -> tuple[dict[str, Any], ...]:
    with SCENARIO.open(encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    return tuple(i for i in items if i.get("type") == "post")


def scenario_items(keep: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    return [i for i in _scenario_posts() if keep(i)]


def seed(store: Store, items: list[dict[str, Any]], *, incident_id: int | None = None,
         start: datetime | None = None) -> list[str]:
    """Insert scenario posts as if collected since `start` (default: now - their span). Posts
    seeded later into the same database join the clusters of earlier ones."""
    index = _INDEXES.setdefault(str(store.path), MemoryClusterIndex())
    last = max(i["at"] for i in items)
    start = start or datetime.now(UTC) - timedelta(seconds=last + 60)
    rows, ids = [], []
    for item in items:
        created = iso(start + timedelta(seconds=item["at"]))
        post = Post(id=f"replay:{item['id']}", source="exercice", kind="replay",
                    text=item["text"], author=item.get("author"), lang=item.get("lang"),
                    created_at=created, lat=item.get("lat"), lon=item.get("lon"),
                    url=item.get("url"))
        e = enrich(post, index=index)
        apply(post, e)
        rows.append(post_row(post, collected_at=created, collector="test", fetched_at=created,
                             incident_id=incident_id, enrichment=post.extra["enrichment"]))
        ids.append(post.id)
    store.insert_post_rows(rows)
    return ids


def rumor(rumor_id: str, n: int | None = None) -> list[dict[str, Any]]:
    items = scenario_items(lambda i: (i.get("truth") or {}).get("rumor") == rumor_id)
    return items[:n] if n else items


def person_posts(n: int = 2) -> list[dict[str, Any]]:
    return scenario_items(lambda i: "help_request" in (i.get("truth") or {}).get(
        "categories", []))[:n]


def volunteer_db(store: Store) -> int:
    """Accounts per role (no usable password: AppTest injects the user, and hashing four
    passwords with argon2 costs seconds) and an active exercise incident; returns its id."""
    for role in ROLES:
        if not store.get_user(role):
            store.add_user(role, "!no-login", role)
    return store.create_incident("Exercice crue", exercise=True, scenario="test",
                                 departements=["21"])
