"""Road-event logic shared by collectors, the store and pages (no SQL, no Streamlit)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vigie.models import RoadEvent, parse_time


def _field(event: RoadEvent | dict[str, Any], name: str) -> Any:
    return event.get(name) if isinstance(event, dict) else getattr(event, name, None)


def status_at(event: RoadEvent | dict[str, Any], now: datetime) -> str:
    """active / planned / ended, from the event's times and its declared status."""
    if _field(event, "status") == "ended":
        return "ended"
    current = parse_time(now)
    starts = parse_time(_field(event, "starts_at"))
    ends = parse_time(_field(event, "ends_at"))
    if ends and current and ends <= current:
        return "ended"
    if starts and current and starts > current:
        return "planned"
    return "active"
