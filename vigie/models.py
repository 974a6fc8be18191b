"""Records that collectors produce and the store keeps.

They are plain dataclasses so that parsers stay pure (bytes -> records) and know
nothing of SQLite or Streamlit. Times are ISO 8601 strings in UTC ("...Z").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    """Render an aware datetime as ISO 8601 UTC with a Z suffix, to the second."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: Any) -> str | None:
    """Normalise a timestamp from any feed into ISO UTC, or None when unreadable.

    Accepts ISO 8601 (with or without offset, 'Z'), epoch seconds, and
    datetime objects. Naive times are taken as UTC.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        try:
            return iso(value)
        except (OverflowError, ValueError):  # e.g. year 9999 with a negative offset
            return None
    if isinstance(value, (int, float)):
        try:
            return iso(datetime.fromtimestamp(float(value), UTC))
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    try:
        return iso(datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        return None


def content_hash(*parts: Any) -> str:
    """A short stable hash used for ids of items that carry none, and for provenance."""
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, default=str, ensure_ascii=False).encode())
        h.update(b"\x00")
    return h.hexdigest()[:24]


@dataclass
class Post:
    """One social-media item (or news item, or imported row).

    `id` is `kind:native_id` and is stable: the same item collected twice is one row.
    """

    id: str
    source: str
    kind: str
    text: str
    author: str | None = None
    url: str | None = None
    lang: str | None = None
    created_at: str | None = None
    lat: float | None = None
    lon: float | None = None
    place: str | None = None
    # exact (geotag) / commune (from the gazetteer) / unknown
    precision: str = "unknown"
    # Provenance: the original URL of the item and a hash of its raw form.
    origin_url: str | None = None
    raw_hash: str | None = None
    # Kind-specific extras kept as JSON (e.g. reposted_by, media, native ids).
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RoadEvent:
    """A closure, restriction, works, incident or detour on a road.

    `event_type` is one of: closure, restriction, works, incident, detour.
    `status` is active / planned / ended; the store recomputes it from times.
    `geometry` is a GeoJSON geometry dict in WGS84 (lon, lat order).
    """

    id: str
    source: str
    kind: str
    road: str | None = None
    description: str | None = None
    event_type: str = "closure"
    status: str = "active"
    direction: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    geometry: dict[str, Any] | None = None
    lat: float | None = None
    lon: float | None = None
    commune: str | None = None
    detour: str | None = None
    # CIFS-like weekly schedule: {"everyday": ["18:00-22:00"], "tuesday": [...]}
    schedule: dict[str, list[str]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class AlertInfo:
    """One language block of a CAP alert."""

    lang: str
    event: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    severity: str | None = None
    urgency: str | None = None
    certainty: str | None = None
    area: str | None = None


@dataclass
class Alert:
    """An official alert (CAP 1.1/1.2).

    Top-level fields come from the French info block when there is one, else the first.
    """

    id: str
    source: str
    sender: str | None = None
    event: str | None = None
    severity: str | None = None
    urgency: str | None = None
    certainty: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    area: str | None = None
    sent: str | None = None
    expires: str | None = None
    status: str | None = None  # CAP status: Actual, Exercise, System, Test, Draft
    msg_type: str | None = None
    geometry: dict[str, Any] | None = None
    infos: list[AlertInfo] = field(default_factory=list)
    url: str | None = None
    # Optional (added by the CAP collector): CAP fields the columns above do not hold,
    # e.g. identifier, references (for Update/Cancel), web, effective, onset,
    # parameters, geocodes, circles (radius in km), cap_version, warnings.
    extra: dict[str, Any] = field(default_factory=dict)


Record = Post | RoadEvent | Alert
