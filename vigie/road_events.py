"""Road events as the Roads page, the maps and the public projection use them.

Pure functions: the live status of an event (it moves with the clock between the
collectors' refreshes), the Roads page's filters, and what a coordinator's form becomes
(a manual closure or detour: description, geometry from two points or the commune
centre, times typed in Paris time and stored in UTC).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from vigie.models import iso
from vigie.roads import canonical_road, status_at

PARIS = ZoneInfo("Europe/Paris")
STATUSES = ("active", "planned", "ended")


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def live_status(event: dict[str, Any], when: datetime) -> str:
    """The event's status at `when`. An event its feed or a person ended stays ended from
    the moment it was ended; otherwise its times and weekly schedule decide."""
    if event.get("status") == "ended":
        stamps = [t for t in (parse_time(event.get("ends_at")),
                              parse_time(event.get("updated_at"))) if t]
        if not stamps or min(stamps) <= when:
            return "ended"
    return status_at(event, when)


def with_live_status(events: Iterable[dict[str, Any]], when: datetime) -> list[dict[str, Any]]:
    return [{**e, "live_status": live_status(e, when)} for e in events]


@dataclass
class RoadFilter:
    """The Roads page's filter bar."""

    statuses: Sequence[str] = ("active", "planned")
    road: str | None = None
    commune: str | None = None
    event_types: Sequence[str] = ()
    sources: Sequence[str] = ()

    def keep(self, event: dict[str, Any]) -> bool:
        if self.statuses and event.get("live_status") not in self.statuses:
            return False
        if self.road and event.get("road") != self.road:
            return False
        if self.commune and event.get("commune") != self.commune:
            return False
        if self.event_types and event.get("event_type") not in self.event_types:
            return False
        return not (self.sources and event.get("source") not in self.sources)


_ORDER = {"active": 0, "planned": 1, "ended": 2}


def select(events: Iterable[dict[str, Any]], f: RoadFilter) -> list[dict[str, Any]]:
    """Events that pass the filter: in effect first, then planned, then ended; newest first."""
    kept = [e for e in events if f.keep(e)]
    kept.sort(key=lambda e: e.get("updated_at") or "", reverse=True)
    kept.sort(key=lambda e: _ORDER.get(e.get("live_status"), 3))
    return kept


def choices(events: Iterable[dict[str, Any]], field: str) -> list[str]:
    return sorted({str(e[field]) for e in events if e.get(field)})


# ---------------------------------------------------------------------- manual events

_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def parse_point(text: str | None) -> tuple[float, float] | None:
    """"47.3187, 4.9113" (lat, lon, as copied from a map) -> (47.3187, 4.9113), else None.
    Also "47.3187 4.9113", "47,3187; 4,9113" (French decimal commas)."""
    if not text or not text.strip():
        return None
    numbers = _NUMBER.findall(text)
    if len(numbers) != 2 or _NUMBER.sub("", text).strip(" \t,;") != "":
        return None
    lat, lon = (float(n.replace(",", ".")) for n in numbers)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def manual_geometry(start: tuple[float, float] | None, end: tuple[float, float] | None,
                    centre: tuple[float, float] | None
                    ) -> tuple[dict[str, Any] | None, float | None, float | None]:
    """(GeoJSON geometry, lat, lon) of a manual event: the line between two points, else
    one point, else the commune centre, else nothing."""
    if start and end:
        geometry = {"type": "LineString",
                    "coordinates": [[start[1], start[0]], [end[1], end[0]]]}
        return geometry, round((start[0] + end[0]) / 2, 6), round((start[1] + end[1]) / 2, 6)
    point = start or end or centre
    if point:
        return {"type": "Point", "coordinates": [point[1], point[0]]}, point[0], point[1]
    return None, None, None


_VERB = {"closure": "fermée", "restriction": "circulation restreinte", "works": "travaux",
         "incident": "incident", "detour": "déviation"}


def manual_description(road: str, event_type: str, commune: str | None,
                       start_text: str | None, end_text: str | None) -> str:
    """"D905 fermée entre Velars-sur-Ouche et Plombières-lès-Dijon (Velars-sur-Ouche)"."""
    parts = [canonical_road(road) or road, _VERB.get(event_type, event_type)]
    start_text, end_text = (start_text or "").strip(), (end_text or "").strip()
    if start_text and end_text:
        parts.append(f"entre {start_text} et {end_text}")
    elif start_text or end_text:
        parts.append(f"à hauteur de {start_text or end_text}")
    if commune and commune not in " ".join(parts):
        parts.append(f"({commune})")
    return " ".join(p for p in parts if p)


def paris_to_utc(day: date | None, clock: time | None) -> str | None:
    """A date and time typed in Paris time, as stored (ISO UTC); None without a date."""
    if day is None:
        return None
    local = datetime.combine(day, clock or time(0, 0), tzinfo=PARIS)
    return iso(local.astimezone(UTC))


def utc_to_paris(value: str | None) -> datetime | None:
    parsed = parse_time(value)
    return parsed.astimezone(PARIS) if parsed else None


@dataclass(frozen=True)
class CommuneChoice:
    insee: str
    name: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        return f"{self.name} ({self.insee})"


@cache
def communes_of(departements: tuple[str, ...]) -> tuple[CommuneChoice, ...]:
    """Communes of the configured départements from the gazetteer, by name (for the
    commune search box of the manual-event and shelter forms)."""
    from vigie.enrich.places import gazetteer

    rows = [CommuneChoice(c.insee, c.name, c.lat, c.lon)
            for c in gazetteer().by_insee.values() if c.dep in departements and c.kind == "COM"]
    return tuple(sorted(rows, key=lambda c: (c.name.casefold(), c.insee)))
