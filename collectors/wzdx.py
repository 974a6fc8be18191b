"""Kind `wzdx`: road events from a WZDx feed (Work Zone Data Exchange, US DOT).

Reads WorkZoneFeed v4.x (`feed_info`, `properties.core_details`) and the flat v3
properties (`road_event_feed_info`, `road_name`, `event_type` beside the dates).
A DeviceFeed (arrow boards, cameras...) carries no road events: a feed made only of
devices is refused with a clear message; device features in a mixed feed are ignored.

Mapping: work-zone -> works, or closure when `vehicle_impact` is all-lanes-closed;
detour -> detour; restriction -> restriction. Events the feed marks cancelled or
completed are left out: the feed is a complete snapshot, so the store ends them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from collectors._roadkit import (
    BadItem,
    as_dict,
    as_list,
    as_text,
    dedupe_ids,
    fetch_time,
    finish,
    load_json,
    reject,
)
from collectors.base import Batch, Fetched, ParseError, Source
from vigie.geometry import clean_geometry
from vigie.models import RoadEvent, content_hash, parse_time
from vigie.roads import canonical_road, normalise_direction, normalise_text

KIND = "wzdx"
_TYPES = {"work-zone": "works", "detour": "detour", "restriction": "restriction"}
_OVER = {"cancelled", "completed"}


def parse(fetched: Fetched, source: Source) -> Batch:
    doc = load_json(fetched.body, "WZDx")
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list) or doc.get("type") != "FeatureCollection":
        raise ParseError("Ce document n'est pas un flux WZDx (FeatureCollection GeoJSON attendue).")
    now = fetch_time(fetched)
    batch = Batch(complete_snapshot=True)
    devices = 0
    for index, feature in enumerate(features):
        if _is_device(feature):
            devices += 1
            continue
        try:
            event = _event(feature, source, now)
        except BadItem as exc:
            reject(batch, f"élément {index + 1} : {exc}")
            continue
        if event is not None:
            batch.road_events.append(event)
    if devices and devices == len(features):
        raise ParseError(
            "Ce flux WZDx est un DeviceFeed (équipements de chantier : panneaux, caméras...), "
            "pas un flux d'événements routiers (WorkZoneFeed)."
        )
    dedupe_ids(batch.road_events)
    _link_detours(batch.road_events)
    return batch


def _is_device(feature: Any) -> bool:
    core = as_dict(as_dict(as_dict(feature).get("properties")).get("core_details"))
    return "device_type" in core and "event_type" not in core


def _event(feature: Any, source: Source, now: datetime) -> RoadEvent | None:
    if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
        raise BadItem("pas un Feature GeoJSON avec des propriétés")
    props = feature["properties"]
    core = as_dict(props.get("core_details")) or props  # v3 keeps everything flat
    raw_type = as_text(core.get("event_type")) or "work-zone"
    status = as_text(props.get("event_status"))
    if status in _OVER:
        return None
    impact = as_text(props.get("vehicle_impact"))
    event_type = _TYPES.get(raw_type)
    if event_type is None:
        raise BadItem(f"type d'événement WZDx inconnu : {raw_type[:40]}")
    if event_type == "works" and impact == "all-lanes-closed":
        event_type = "closure"
    native = (
        as_text(feature.get("id"))
        or as_text(core.get("id"))
        or as_text(props.get("road_event_id"))
        or content_hash(feature)
    )
    names = [n for n in (canonical_road(as_text(x)) for x in as_list(core.get("road_names"))) if n]
    if not names:
        names = [n for n in (canonical_road(as_text(props.get(k))) for k in
                             ("road_name", "road_number")) if n]
    event = RoadEvent(
        id=f"{KIND}:{native}",
        source=source.name,
        kind=KIND,
        road=", ".join(dict.fromkeys(names)) or None,
        description=normalise_text(as_text(core.get("description")))
        or normalise_text(as_text(core.get("name"))),
        event_type=event_type,
        direction=normalise_direction(as_text(core.get("direction"))),
        starts_at=parse_time(as_text(props.get("start_date"))),
        ends_at=parse_time(as_text(props.get("end_date"))),
        geometry=clean_geometry(feature.get("geometry")),
        extra=_extra(core, props, raw_type, impact),
    )
    return finish(event, now)


def _extra(core: dict[str, Any], props: dict[str, Any], raw_type: str,
           impact: str | None) -> dict[str, Any]:
    extra: dict[str, Any] = {"wzdx_event_type": raw_type}
    if impact:
        extra["vehicle_impact"] = impact
    for key in ("name", "data_source_id"):
        if as_text(core.get(key)):
            extra[key] = as_text(core.get(key))
    for key in ("beginning_cross_street", "ending_cross_street", "work_zone_type"):
        if as_text(props.get(key)):
            extra[key] = as_text(props.get(key))
    speed = props.get("reduced_speed_limit_kph")
    if isinstance(speed, (int, float)) and not isinstance(speed, bool):
        extra["reduced_speed_limit_kph"] = speed
    works = [as_text(as_dict(w).get("type_name")) for w in as_list(props.get("types_of_work"))]
    if any(works):
        extra["types_of_work"] = [w for w in works if w]
    related = [
        {"type": as_text(as_dict(r).get("type")), "id": as_text(as_dict(r).get("id"))}
        for r in as_list(core.get("related_road_events"))
    ]
    related = [r for r in related if r["type"] and r["id"]]
    if related:
        extra["related"] = related
    return extra


def _link_detours(events: list[RoadEvent]) -> None:
    """Fill `detour` of an event from the detour events it points to in the same feed."""
    by_native = {e.id.split(":", 1)[1]: e for e in events}
    for event in events:
        parts = []
        for rel in event.extra.get("related", []):
            target = by_native.get(rel["id"])
            if rel["type"] == "related-detour" and target and target.event_type == "detour":
                parts.append(" : ".join(p for p in (target.road, target.description) if p))
        if parts and not event.detour:
            event.detour = " ; ".join(parts)
