"""Elapsed times as people say them: "1 h 12", "12 min", "2 j 3 h"."""

from __future__ import annotations

from datetime import UTC, datetime

from vigie.i18n import Catalog

_ = Catalog({
    "under_minute": ("moins d'1 min", "under 1 min"),
    "minutes": ("{m} min", "{m} min"),
    "hours": ("{h} h {m:02d}", "{h} h {m:02d}"),
    "days": ("{d} j {h} h", "{d} d {h} h"),
})


def parse(iso_time: str | None) -> datetime | None:
    if not iso_time:
        return None
    try:
        dt = datetime.fromisoformat(iso_time.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def seconds_between(start: str | None, end: str | datetime | None = None) -> float | None:
    """Seconds from `start` to `end` (ISO strings; `end` defaults to now), None if unknown."""
    a = parse(start)
    b = parse(end) if isinstance(end, str) else (end or datetime.now(UTC))
    if a is None or b is None:
        return None
    return max(0.0, (b - a).total_seconds())


def human(seconds: float | None, lang: str | None = None) -> str:
    """A short duration: under a minute, minutes, hours and minutes, days and hours."""
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    if minutes < 1:
        return _("under_minute", lang)
    if minutes < 60:
        return _("minutes", lang, m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("hours", lang, h=hours, m=minutes)
    days, hours = divmod(hours, 24)
    return _("days", lang, d=days, h=hours)


def clock(iso_time: str | None, now: datetime | None = None) -> str:
    """HH:MM in the crisis cell's time zone (Europe/Paris), with the day when not today."""
    from zoneinfo import ZoneInfo

    dt = parse(iso_time)
    if dt is None:
        return "—"
    paris = ZoneInfo("Europe/Paris")
    local = dt.astimezone(paris)
    today = (now or datetime.now(UTC)).astimezone(paris).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d/%m %H:%M")
