"""The one step between every collector (file import included) and the store.

It drops items already stored (so re-collecting is cheap and idempotent), enriches
the new ones, computes road-event statuses, and writes each kind in one short
transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectors.base import Batch
from vigie.contradictions import flag_new_posts
from vigie.models import Post, iso, utc_now
from vigie.roads import status_at
from vigie.store import Store
from vigie.store.posts import post_row

Enricher = Callable[[Post], dict[str, Any]]


def no_enrichment(post: Post) -> dict[str, Any]:
    return {}


def log_road_change(store: Store, road: str | None, commune: str | None, event_type: str,
                    old: str | None, new: str, incident_id: int | None) -> None:
    """A main-courante line when a closure starts or a road reopens (not for every update)."""
    if old == new or event_type not in ("closure", "detour"):
        return
    where = " ".join(x for x in (road, f"({commune})" if commune else None) if x) or "route"
    if new == "active":
        text = f"Route coupée : {where}" if event_type == "closure" else f"Déviation : {where}"
    elif new == "ended" and old is not None:
        text = f"Route rouverte : {where}" if event_type == "closure" else (
            f"Fin de déviation : {where}")
    else:
        return
    store.add_log("vigie", text, kind="system", entity="road_event", incident_id=incident_id)


def refresh_roads(store: Store, now: datetime | None = None) -> int:
    """Move road events along their times and schedules; log closures and reopenings."""
    now = now or utc_now()
    changed = store.refresh_road_statuses(status_at, now)
    for row in changed:
        log_road_change(store, row["road"], row["commune"], row["event_type"],
                        row["old_status"], row["status"], None)
    return len(changed)


@dataclass
class IngestResult:
    posts_added: int = 0
    posts_seen: int = 0
    road_events_changed: int = 0
    road_events_ended: int = 0
    alerts_changed: int = 0
    posts_flagged: int = 0

    @property
    def added(self) -> int:
        return self.posts_added + self.road_events_changed + self.alerts_changed


def ingest(store: Store, batch: Batch, *, collector: str, incident_id: int | None,
           enricher: Enricher = no_enrichment, fetched_at: str | None = None,
           now: datetime | None = None) -> IngestResult:
    """Store a parsed batch. Safe to call twice with the same batch."""
    now = now or utc_now()
    collected_at = iso(now)
    result = IngestResult(posts_seen=len(batch.posts))
    if batch.posts:
        unique: dict[str, Post] = {}
        for post in batch.posts:
            unique.setdefault(post.id, post)
        known = store.existing_post_ids(list(unique))
        rows = []
        for post in unique.values():
            if post.id in known:
                continue
            enrichment = enricher(post)
            rows.append(post_row(post, collected_at=collected_at, collector=collector,
                                 fetched_at=fetched_at or collected_at, incident_id=incident_id,
                                 enrichment=enrichment))
        result.posts_added = store.insert_post_rows(rows)
    if batch.road_events:
        before = store.road_event_statuses([ev.id for ev in batch.road_events])
        statuses = [(ev, status_at(ev, now)) for ev in batch.road_events]
        result.road_events_changed = store.upsert_road_events(statuses, incident_id)
        for ev, status in statuses:  # a batch may hold several versions of one event
            log_road_change(store, ev.road, ev.commune, ev.event_type, before.get(ev.id),
                            status, incident_id)
            before[ev.id] = status
    if batch.complete_snapshot:
        sources = {ev.source for ev in batch.road_events} or {collector}
        for source in sources:
            result.road_events_ended += store.end_missing_road_events(
                source, {ev.id for ev in batch.road_events if ev.source == source})
    if batch.alerts:
        result.alerts_changed = store.upsert_alerts(batch.alerts, incident_id)
    if result.posts_added:  # after the batch's road events: compare with the newest data
        result.posts_flagged = flag_contradictions(store, [row[0] for row in rows], now)
    return result


def flag_contradictions(store: Store, post_ids: list[str], now: datetime) -> int:
    """Flag new posts that contradict the road data; never stops collection."""
    try:
        return flag_new_posts(store, post_ids, now)
    except Exception:
        logging.getLogger("vigie.pipeline").exception("contradiction check failed")
        return 0
