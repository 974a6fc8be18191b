"""`replay`: plays a scenario file (JSON Lines) as if it were happening now.

The scenario's clock runs `speed` times faster than the wall clock: an item at
`at` seconds into the scenario is released `at / speed` seconds after the replay
started, stamped with that real time, so an exercise looks like a live crisis.
With `speed = "auto"` (the default) the whole scenario lasts `target_minutes`
(default 30). Items are released once: the cursor (`released_until`) is kept in
the source's state, and ids are stable, so a restart or a repeated run adds
nothing twice. Pausing is a state flag that the exercise controls set.

Scenario format: see data/scenarios/README.md.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from collectors.base import Batch, ParseError, Source
from vigie.models import Alert, Post, RoadEvent, content_hash, iso

_CACHE: dict[tuple[str, float], tuple[dict[str, Any], list[dict[str, Any]]]] = {}


def load_scenario(path: str | Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Header and items of a scenario file, sorted by `at`. Cached per file version."""
    path = Path(path)
    try:
        key = (str(path.resolve()), path.stat().st_mtime)
    except OSError as exc:
        raise ParseError(f"scénario introuvable : {path}") from exc
    if key in _CACHE:
        return _CACHE[key]
    header: dict[str, Any] = {}
    items: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                raise ParseError(f"scénario {path.name}, ligne {line_no} : JSON invalide") from exc
            if not isinstance(obj, dict):
                raise ParseError(f"scénario {path.name}, ligne {line_no} : objet attendu")
            if obj.get("type") == "scenario":
                header = obj
            else:
                items.append(obj)
    if not header:
        raise ParseError(f"scénario {path.name} : en-tête manquant (type = scenario)")
    items.sort(key=lambda o: float(o.get("at", 0)))
    _CACHE.clear()
    _CACHE[key] = (header, items)
    return header, items


def speed_for(source: Source, header: dict[str, Any]) -> float:
    speed = source.options.get("speed", "auto")
    if speed == "auto" or speed is None:
        minutes = float(source.options.get("target_minutes", 30))
        return max(float(header.get("duration_s", 1800)) / (minutes * 60), 0.01)
    return max(float(speed), 0.01)


def incident_for(source: Source) -> dict[str, Any]:
    """What incident the replayed items belong to (an exercise unless the file says not)."""
    header, _ = load_scenario(source.url)
    spec = dict(header.get("incident") or {})
    spec.setdefault("name", header.get("title") or header.get("id") or "Exercice")
    spec["exercise"] = bool(header.get("exercise", True))
    spec["scenario"] = header.get("id") or Path(source.url).stem
    spec["speed"] = speed_for(source, header)
    return spec


def scenario_clock(state: dict[str, Any], now: datetime, speed: float) -> float:
    """Seconds of scenario time elapsed at `now`, excluding paused periods."""
    started = datetime.fromisoformat(state["started_at"].replace("Z", "+00:00"))
    paused_total = float(state.get("paused_total", 0.0))
    if state.get("paused_at"):
        paused_since = datetime.fromisoformat(state["paused_at"].replace("Z", "+00:00"))
        paused_total += max((now - paused_since).total_seconds(), 0.0)
    return max((now - started).total_seconds() - paused_total, 0.0) * speed


def collect(source: Source, state: dict[str, Any], now: datetime) -> Batch:
    """Release every item whose time has come since the last run."""
    header, items = load_scenario(source.url)
    speed = speed_for(source, header)
    state = dict(state)
    if state.get("scenario") != header.get("id") or "started_at" not in state:
        # Full precision: a start rounded to the second would release early items early.
        state = {"scenario": header.get("id"), "started_at": now.isoformat(),
                 "released_until": -1.0}
    clock = scenario_clock(state, now, speed)
    done_until = float(state.get("released_until", -1.0))
    started = datetime.fromisoformat(state["started_at"].replace("Z", "+00:00"))
    paused_total = float(state.get("paused_total", 0.0))

    def real_time(offset: Any) -> str | None:
        if offset is None:
            return None
        return iso(started + timedelta(seconds=float(offset) / speed + paused_total))

    batch = Batch()
    for item in items:
        at = float(item.get("at", 0))
        if at <= done_until:
            continue
        if at > clock:
            break
        try:
            _release(item, source, real_time, batch)
        except (KeyError, TypeError, ValueError) as exc:
            batch.rejected += 1
            batch.errors.append(f"élément {item.get('id')!r} ignoré : {exc}")
    state["released_until"] = clock
    state["finished"] = clock >= float(header.get("duration_s", 0)) and bool(items) and (
        float(items[-1].get("at", 0)) <= clock)
    state["speed"] = speed
    batch.state = state
    return batch


def _release(item: dict[str, Any], source: Source, real_time: Any, batch: Batch) -> None:
    kind = item.get("type")
    when = real_time(item["at"])
    if kind == "post":
        native = item.get("id") or content_hash(item.get("text"), item.get("author"))
        lat, lon = item.get("lat"), item.get("lon")
        batch.posts.append(Post(
            id=f"replay:{source.name}:{native}", source=source.name, kind="replay",
            text=str(item["text"]), author=item.get("author"), url=item.get("url"),
            lang=item.get("lang"), created_at=when,
            lat=float(lat) if lat is not None else None,
            lon=float(lon) if lon is not None else None,
            precision="exact" if lat is not None and lon is not None else "unknown",
            raw_hash=content_hash(item),
            extra={"network": item.get("network"), "scenario_at": item["at"]},
        ))
    elif kind == "road_event":
        geometry = item.get("geometry")
        lat, lon = _representative_point(geometry)
        starts = real_time(item.get("starts_offset", item["at"]))
        ends = real_time(item.get("ends_offset"))
        status = item.get("status", "active")
        if status == "ended" and not ends:
            ends = when
        batch.road_events.append(RoadEvent(
            id=f"replay:{source.name}:{item['id']}", source=source.name, kind="replay",
            road=item.get("road"), description=item.get("description"),
            event_type=item.get("event_type", "closure"), status=status,
            direction=item.get("direction"), starts_at=starts, ends_at=ends,
            geometry=geometry, lat=lat, lon=lon, commune=item.get("commune"),
            detour=item.get("detour"),
        ))
    elif kind == "alert":
        batch.alerts.append(Alert(
            id=f"replay:{source.name}:{item['id']}", source=source.name,
            sender=item.get("sender"), event=item.get("event"), severity=item.get("severity"),
            urgency=item.get("urgency"), certainty=item.get("certainty"),
            headline=item.get("headline"), description=item.get("description"),
            instruction=item.get("instruction"), area=item.get("area"), sent=when,
            expires=real_time(item.get("expires_offset")), status="Exercise",
            msg_type=item.get("msg_type", "Alert"), geometry=item.get("geometry"),
        ))
    else:
        raise ValueError(f"type inconnu {kind!r}")


def _representative_point(geometry: dict[str, Any] | None) -> tuple[float | None, float | None]:
    """Middle vertex of a line (or the point itself), as (lat, lon)."""
    if not geometry:
        return None, None
    coords = geometry.get("coordinates")
    gtype = geometry.get("type")
    try:
        if gtype == "Point":
            return float(coords[1]), float(coords[0])
        if gtype in ("LineString", "MultiPoint"):
            mid = coords[len(coords) // 2]
            return float(mid[1]), float(mid[0])
        if gtype in ("MultiLineString", "Polygon"):
            line = coords[0]
            mid = line[len(line) // 2]
            return float(mid[1]), float(mid[0])
    except (IndexError, TypeError, ValueError):
        pass
    return None, None

