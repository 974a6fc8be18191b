"""The *point de situation*: everything a report prints, gathered from SQL aggregates.

`gather()` runs a fixed number of aggregate queries whatever the volume (no post is read
into Python), so a period holding a million posts reports in seconds. The renderers
(Markdown, PDF) only format what is gathered here. People appear as counts only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from vigie.exports import end_of_now
from vigie.models import iso, utc_now
from vigie.reports.labels import ROAD_TYPES, VERDICTS
from vigie.store import PostFilter, Store

MAX_EVENTS = 45
URGENT = 0.7


@dataclass
class Event:
    at: str
    kind: str       # decision / action / alert / closure / reopening / verdict / message
    text: str


@dataclass
class Sitrep:
    generated_at: str
    since: str | None
    until: str
    incident: dict[str, Any] | None
    exercise: bool
    figures: dict[str, int]
    claim_counts: dict[str, int]
    categories: list[dict[str, Any]]
    bucket: str
    volume: list[dict[str, Any]]
    density: list[dict[str, Any]]
    top_places: list[dict[str, Any]]
    events: list[Event]
    events_hidden: int
    verified: list[dict[str, Any]]
    debunked: list[dict[str, Any]]
    people: dict[str, Any]
    roads_closed: list[dict[str, Any]]
    roads_reopened: list[dict[str, Any]]
    alerts: list[dict[str, Any]]
    messages_sent: list[dict[str, Any]]
    timings: dict[str, float] = field(default_factory=dict)


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def bucket_for(since: str | None, until: str) -> str:
    """10-minute bars up to 6 hours, hourly up to 4 days, daily beyond."""
    if not since:
        return "hour"
    span = _parse(until) - _parse(since)
    if span <= timedelta(hours=6):
        return "10min"
    return "hour" if span <= timedelta(days=4) else "day"  # at most ~96 bars, or one a day


_STEPS = {"10min": timedelta(minutes=10), "hour": timedelta(hours=1), "day": timedelta(days=1)}
_KEY_LENGTH = {"10min": 16, "hour": 13, "day": 10}


def buckets(since: str, until: str, bucket: str) -> list[tuple[str, str, str]]:
    """(key, start, end) of every bucket of the period, in UTC, aligned on the bucket size;
    the key is the truncated ISO time used by the charts ('2026-11-25T14')."""
    step = _STEPS[bucket]
    start = _parse(since).replace(second=0, microsecond=0)
    if bucket == "10min":
        start = start.replace(minute=start.minute - start.minute % 10)
    elif bucket == "hour":
        start = start.replace(minute=0)
    else:
        start = start.replace(hour=0, minute=0)
    end = _parse(until)
    out = []
    while start < end:
        key = iso(start)[:_KEY_LENGTH[bucket]]
        out.append((key, max(iso(start), since), min(iso(start + step), until)))
        start += step
    return out


def default_since(store: Store) -> str | None:
    """The start of the active incident (or of its first post, if earlier: a replayed
    exercise or an incident opened late), else of the data."""
    incident = store.active_incident()
    if not incident:
        return store.first_post_time()
    first = store.first_post_time(incident["id"])
    return min(incident["started_at"], first) if first else incident["started_at"]


def _in_force_at(road: dict[str, Any], until: str) -> bool:
    """Still in force at the end of the period (the query already knows it had started)."""
    if road["ends_at"]:
        return road["ends_at"] >= until
    return road["status"] != "ended"


def _events(store: Store, since: str | None, until: str, roads: list[dict[str, Any]],
            alerts: list[dict[str, Any]], verdicts: list[dict[str, Any]],
            sent: list[dict[str, Any]]) -> list[Event]:
    start = since or ""
    events = [Event(e["at"], e["kind"], e["text"])
              for e in store.report_log(since, until, ("decision", "action"))]
    for a in alerts:
        if a["sent"] and start <= a["sent"] < until:
            events.append(Event(a["sent"], "alert",
                                f"{a['headline'] or a['event']} ({a['sender'] or '?'})"))
    for r in roads:
        where = f"{r['road'] or '?'}" + (f" à {r['commune']}" if r["commune"] else "")
        if r["event_type"] == "closure" and r["starts_at"] and start <= r["starts_at"] < until:
            events.append(Event(r["starts_at"], "closure", where))
        if r["event_type"] == "closure" and r["ends_at"] and start <= r["ends_at"] < until:
            events.append(Event(r["ends_at"], "reopening", where))
    for c in verdicts:
        when = c["verdict_at"] or c["created_at"]
        events.append(Event(when, "verdict", f"{VERDICTS[c['status']]} : {c['title']}"))
    for m in sent:
        events.append(Event(m["sent_at"], "message", f"{m['title']} ({m['channel']})"))
    events.sort(key=lambda e: e.at)
    return events


def keep_major(events: list[Event], limit: int = MAX_EVENTS) -> tuple[list[Event], int]:
    """At most `limit` events: road openings and closures give way first (oldest first), so
    decisions, alerts, verdicts and messages stay. Returns (events kept, number dropped)."""
    extra = len(events) - limit
    if extra <= 0:
        return events, 0
    roads = [i for i, e in enumerate(events) if e.kind in ("closure", "reopening")]
    drop = set(roads[:extra])
    kept = [e for i, e in enumerate(events) if i not in drop]
    return kept[-limit:], len(events) - len(kept[-limit:])


def gather(store: Store, since: str | None = None, until: str | None = None) -> Sitrep:
    """Aggregate the period [since, until) into a Sitrep (since defaults to the incident's
    start, until to now)."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    until = until or end_of_now()
    since = since if since is not None else default_since(store)
    incident = store.active_incident()
    exercise = bool(incident and incident["exercise"]) or store.exercise_in_period(since, until)
    figures = store.report_post_figures(since, until, urgent=URGENT)
    lap("figures")
    categories = store.report_categories(since, until)
    lap("categories")
    bucket = bucket_for(since, until)
    if since:
        volume = store.report_volume(buckets(since, until, bucket))  # empty buckets kept
    else:  # no start: let SQL find the buckets
        volume = store.volume(PostFilter(since=since, until=until), bucket=bucket)
    lap("volume")
    density = store.report_density(since, until)
    top_places = store.report_top_places(since, until)
    lap("places")
    roads = store.report_roads(since, until)
    alerts = store.report_alerts(since, until)
    verdicts = store.report_verdicts(since, until)
    sent = store.messages_sent_between(since, until)
    events, hidden = keep_major(_events(store, since, until, roads, alerts, verdicts, sent))
    lap("events")
    closed = [r for r in roads if r["event_type"] in ("closure", "detour", "restriction")
              and _in_force_at(r, until)]
    closed.sort(key=lambda r: (list(ROAD_TYPES).index(r["event_type"]), r["road"] or ""))
    reopened = [r for r in roads if r["event_type"] == "closure" and r["ends_at"]
                and (since or "") <= r["ends_at"] < until]
    return Sitrep(
        generated_at=iso(utc_now()), since=since, until=until, incident=incident,
        exercise=exercise, figures=figures, claim_counts=store.report_claim_counts(until),
        categories=categories, bucket=bucket, volume=volume, density=density,
        top_places=top_places, events=events, events_hidden=hidden,
        verified=[c for c in verdicts if c["status"] == "confirmed"],
        debunked=[c for c in verdicts if c["status"] in ("false", "misleading")],
        people=store.report_people(since, until), roads_closed=closed,
        roads_reopened=reopened,
        alerts=[a for a in alerts if not a["expires"] or a["expires"] >= until],
        messages_sent=sent, timings=timings)
