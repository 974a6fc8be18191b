"""Kind `cifs`: Waze CIFS closures and incidents, as XML or JSON.

XML is `<incidents><incident id="...">…</incident></incidents>` (cifsv2.xsd). JSON comes
as `{"incidents": [{"incident": {...}}]}` (Waze's documented shape), as
`{"incidents": [{...}]}` or as a bare list `[{...}]`. Fields may also sit in a nested
`location` object (street, polyline, direction), as older feeds do.

`polyline` is "lat lon lat lon ..." and becomes a GeoJSON LineString (lon, lat).
`<schedule>` children (`<everyday>18:00-22:00</everyday>`, `<tuesday>12:00-14:00,
19:00-21:00</tuesday>`) become `RoadEvent.schedule`, read in local (Paris) time.
Types: ROAD_CLOSED -> closure (a full closure in Waze); ACCIDENT, HAZARD, POLICE, JAM,
CHIT_CHAT -> incident, except construction subtypes -> works and lane closures ->
restriction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element

from collectors._roadkit import (
    BadItem,
    as_dict,
    as_text,
    dedupe_ids,
    fetch_time,
    finish,
    load_json,
    local,
    looks_like_xml,
    parse_xml,
    reject,
    text,
)
from collectors.base import Batch, Fetched, ParseError, Source
from vigie.geometry import latlon_pairs, line_from_positions
from vigie.models import RoadEvent, content_hash, parse_time
from vigie.roads import (
    canonical_road,
    normalise_direction,
    normalise_schedule,
    normalise_text,
)

KIND = "cifs"
_LABELS = {
    "closure": "Route fermée",
    "works": "Travaux",
    "restriction": "Voie fermée",
    "incident": "Incident",
}
_FIELDS = ("id", "type", "subtype", "description", "street", "direction", "polyline",
           "starttime", "endtime", "creationtime", "updatetime", "location_description")


def parse(fetched: Fetched, source: Source) -> Batch:
    items = _xml_items(fetched.body) if looks_like_xml(fetched.body) else _json_items(fetched.body)
    now = fetch_time(fetched)
    batch = Batch(complete_snapshot=True)
    for index, item in enumerate(items):
        try:
            batch.road_events.append(_event(item, source, now))
        except BadItem as exc:
            reject(batch, f"incident {index + 1} : {exc}")
    dedupe_ids(batch.road_events)
    return batch


def _xml_items(body: bytes) -> list[dict[str, Any]]:
    root = parse_xml(body, "CIFS")
    if local(root.tag) != "incidents":
        raise ParseError(f"Document CIFS attendu (<incidents>), reçu <{local(root.tag)[:40]}>.")
    return [_xml_incident(el) for el in root if local(el.tag) == "incident"]


def _xml_incident(el: Element) -> dict[str, Any]:
    item: dict[str, Any] = {"id": el.get("id")}
    for node in el:
        name = local(node.tag)
        if name in ("schedule", "source", "location"):
            item[name] = {local(c.tag): text(c) for c in node}
        elif name in _FIELDS and name != "id":
            item[name] = text(node)
    return item


def _json_items(body: bytes) -> list[Any]:
    doc = load_json(body, "CIFS")
    if isinstance(doc, dict):
        incidents = doc.get("incidents")
        if isinstance(incidents, dict):  # {"incidents": {"incident": [...]}} from converters
            incidents = incidents.get("incident")
            incidents = incidents if isinstance(incidents, list) else [incidents]
        doc = incidents
    if not isinstance(doc, list):
        raise ParseError("Document CIFS attendu : une liste d'incidents ou {\"incidents\": [...]}.")
    items = []
    for entry in doc:
        wrapped = as_dict(entry).get("incident")
        items.append(wrapped if isinstance(wrapped, dict) else entry)
    return items


def _event_type(kind: str, subtype: str) -> str:
    if kind == "ROAD_CLOSED":
        return "closure"
    if "CONSTRUCTION" in kind or "CONSTRUCTION" in subtype:
        return "works"
    if "LANE_CLOSED" in subtype:
        return "restriction"
    return "incident"


def _schedule(value: Any) -> dict[str, list[str]] | None:
    return normalise_schedule(value) or None


def _event(item: Any, source: Source, now: datetime) -> RoadEvent:
    if not isinstance(item, dict):
        raise BadItem("pas un objet incident")
    where = as_dict(item.get("location"))

    def field(name: str) -> str | None:
        return as_text(item.get(name)) or as_text(where.get(name))

    kind = (field("type") or "").upper()
    subtype = (field("subtype") or "").upper()
    if not kind:
        raise BadItem("type manquant")
    event_type = _event_type(kind, subtype)
    native = field("id") or content_hash(item)
    origin = as_dict(item.get("source"))
    extra = {
        k: v
        for k, v in {
            "cifs_type": kind,
            "subtype": subtype or None,
            "created_at": parse_time(field("creationtime")),
            "updated_at": parse_time(field("updatetime")),
            "location_description": normalise_text(field("location_description")),
            "origin": as_text(origin.get("name")) or as_text(origin.get("reference")),
        }.items()
        if v
    }
    event = RoadEvent(
        id=f"{KIND}:{native}",
        source=source.name,
        kind=KIND,
        road=canonical_road(field("street")),
        description=normalise_text(field("description")) or _LABELS[event_type],
        event_type=event_type,
        direction=normalise_direction(field("direction")),
        starts_at=parse_time(field("starttime")),
        ends_at=parse_time(field("endtime")),
        geometry=line_from_positions(latlon_pairs(field("polyline"))),
        schedule=_schedule(item.get("schedule")),
        extra=extra,
    )
    if field("polyline") and event.geometry is None:
        event.extra["geometry_error"] = "polyline illisible"
    return finish(event, now)
