"""Builders for the wall, spike and exercise tests: posts at chosen times, incidents,
claims, people (test data written through the store, as collectors and volunteers would)."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from vigie.models import Post, iso
from vigie.store import Store
from vigie.store.posts import post_row

_ids = count(1)


def add_post(store: Store, at: datetime, *, text: str = "message", place: str | None = None,
             categories: list[str] | None = None, urgency: float = 0.0,
             incident_id: int | None = None, source: str = "test", cluster: str | None = None,
             lat: float | None = None, lon: float | None = None) -> str:
    """One post created at `at`, with the enrichment given; returns its id."""
    post_id = f"test:{next(_ids)}"
    post = Post(id=post_id, source=source, kind="test", text=text, created_at=iso(at),
                place=place, lat=lat, lon=lon)
    row = post_row(post, collected_at=iso(at), collector=source, fetched_at=iso(at),
                   incident_id=incident_id,
                   enrichment={"categories": categories or [], "urgency": urgency,
                               "cluster_id": cluster})
    store.insert_post_rows([row])
    return post_id


def add_series(store: Store, now: datetime, counts: list[int], *, window: timedelta,
               **post: Any) -> None:
    """counts[0] posts in the window ending at `now`, counts[1] in the one before, ...
    spread evenly inside each window."""
    for index, n in enumerate(counts):
        end = now - window * index
        for k in range(n):
            add_post(store, end - window * (k + 0.5) / max(n, 1), **post)


def add_claim(store: Store, title: str, status: str, incident_id: int | None) -> int:
    with store.write() as conn:
        cur = conn.execute(
            "INSERT INTO claims(title, status, incident_id, created_at, verdict_at) "
            "VALUES (?, ?, ?, ?, ?)", (title, status, incident_id, store.now(), store.now()))
        return int(cur.lastrowid)


def add_person(store: Store, description: str, reported_at: datetime,
               incident_id: int | None, post_id: str | None = None) -> int:
    with store.write() as conn:
        cur = conn.execute(
            "INSERT INTO people(kind, description, status, reported_at, incident_id, post_id) "
            "VALUES ('distress', ?, 'reported', ?, ?, ?)",
            (description, iso(reported_at), incident_id, post_id))
        return int(cur.lastrowid)
