"""Time windows used by filter bars, and the chart bucket that suits each."""

from __future__ import annotations

from datetime import datetime, timedelta

from vigie.models import iso, utc_now

# key -> (duration, bucket for volume charts)
PERIODS: dict[str, tuple[timedelta | None, str]] = {
    "1h": (timedelta(hours=1), "minute"),
    "6h": (timedelta(hours=6), "10min"),
    "24h": (timedelta(hours=24), "hour"),
    "7d": (timedelta(days=7), "hour"),
    "30d": (timedelta(days=30), "day"),
    "all": (None, "day"),
}


def window(period: str, now: datetime | None = None) -> tuple[str | None, str]:
    """(since as ISO UTC or None, bucket) for a period key."""
    duration, bucket = PERIODS[period]
    now = now or utc_now()
    return (iso(now - duration) if duration else None), bucket


def bucket_label(bucket_key: str) -> str:
    """Complete a truncated ISO bucket ('2026-11-25T17') into a parseable timestamp."""
    full = "0000-01-01T00:00:00"
    if len(bucket_key) < 10:
        return bucket_key
    return bucket_key + full[len(bucket_key):] + "Z"
