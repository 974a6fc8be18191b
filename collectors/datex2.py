"""Kind `datex2`: DATEX II road events, version 2 and 3, matched by local element names.

Two publication types are read:

* **SituationPublication** (v2 `d2LogicalModel/payloadPublication`, v3 `payload`): one
  event per `situationRecord`, id `datex2:<record id>`. The record type gives the kind
  (RoadOrCarriagewayOrLaneManagement roadClosed -> closure, MaintenanceWorks -> works,
  Accident -> incident, ReroutingManagement -> detour...). A rerouting record lends its
  itinerary to the other records of its situation as their `detour`. Records that are
  suspended, cancelled or ended by the publisher are left out.
* **TrafficRegulationPublication** (v3, French DiaLog "arrêtés"): one event per
  `trafficRegulation`, id `datex2:<order id>/<n>`, because one order (arrêté) may hold
  regulations of different kinds (a closure and a storage area, for instance) and each
  regulation has its own places and times. noEntry is a closure unless it only targets
  some vehicles (then a restriction); speed limits, parking bans and other obligations
  are restrictions. When a regulation has several validity periods, the event spans
  them all and keeps each period in `extra["periods"]`.

Places: DiaLog's GeoJSON extension, GML `posList` ("lat lon ..."), linear start/end
coordinates, `pointByCoordinates`, then `locationForDisplay`; ALERT-C codes cannot be
drawn without the national location table and are kept in `extra["alert_c"]`.
Recurring periods become a weekly schedule. Their times of day are taken as local time:
DiaLog writes "18:00:00+00:00" for what its CIFS export of the same arrêté calls
18:00-22:00, so the offset is not trustworthy.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, tostring

from collectors._roadkit import (
    BadItem,
    child,
    children,
    dedupe_ids,
    descendants,
    fetch_time,
    finish,
    local,
    multilingual,
    parse_xml,
    path,
    path_text,
    reject,
    text,
    xsi_type,
)
from collectors.base import Batch, Fetched, ParseError, Source
from vigie.geometry import clean_geometry, latlon_pairs, line_from_positions, merge_geometries
from vigie.models import RoadEvent, content_hash, parse_time
from vigie.roads import (
    WEEKDAYS,
    canonical_road,
    extract_road,
    normalise_direction,
    normalise_pr,
    normalise_schedule,
    normalise_text,
)

KIND = "datex2"
_SITUATION, _REGULATION = "SituationPublication", "TrafficRegulationPublication"

# ------------------------------------------------------------------------------ entry


def parse(fetched: Fetched, source: Source) -> Batch:
    root = parse_xml(fetched.body, "DATEX II")
    now = fetch_time(fetched)
    lang = str(source.options.get("lang") or "fr")
    publications = _publications(root)
    if not publications:
        raise ParseError(
            "Document DATEX II non reconnu : ni SituationPublication ni "
            "TrafficRegulationPublication."
        )
    batch = Batch(complete_snapshot=True)
    for kind, publication in publications:
        if kind == _SITUATION:
            _situations(publication, source, now, lang, batch)
        else:
            _regulations(publication, source, now, lang, batch)
    dedupe_ids(batch.road_events)
    return batch


def _publications(root: Element) -> list[tuple[str, Element]]:
    """(type, element) for each publication in a v2 or v3 document, in order."""
    found: list[tuple[str, Element]] = []
    candidates = [root, *(el for el in root.iter() if el is not root)]
    unsupported = None
    for el in candidates:
        if local(el.tag) not in ("payload", "payloadPublication"):
            continue
        declared = xsi_type(el)
        if declared.endswith(_SITUATION) or (not declared and child(el, "situation") is not None):
            found.append((_SITUATION, el))
        elif declared.endswith(_REGULATION) or (
            not declared and next(descendants(el, "trafficRegulationOrder"), None) is not None
        ):
            found.append((_REGULATION, el))
        else:
            unsupported = declared or local(el.tag)
    if not found and unsupported:
        raise ParseError(
            f"Publication DATEX II « {unsupported[:60]} » non prise en charge "
            "(attendu : SituationPublication ou TrafficRegulationPublication)."
        )
    return found


# ---------------------------------------------------------------------- situations

_CLOSED = {"roadClosed", "carriagewayClosures", "closedPermanentlyForTheWinter",
           "roadClosedForTheWinter"}
_WORKS = {"MaintenanceWorks", "ConstructionWorks", "Roadworks"}
_MANAGEMENT = {"SpeedManagement", "WinterDrivingManagement", "GeneralNetworkManagement",
               "NetworkManagement", "GeneralInstructionOrMessageToRoadUsers",
               "RoadOrCarriagewayOrLaneManagement"}
# The element holding the record's sub-kind, by record type.
_SUBTYPE_FIELDS = {
    "RoadOrCarriagewayOrLaneManagement": "roadOrCarriagewayOrLaneManagementType",
    "MaintenanceWorks": "roadMaintenanceType",
    "ConstructionWorks": "constructionWorkType",
    "Accident": "accidentType",
    "EnvironmentalObstruction": "environmentalObstructionType",
    "GeneralObstruction": "obstructionType",
    "VehicleObstruction": "vehicleObstructionType",
    "AnimalPresenceObstruction": "animalPresenceType",
    "PoorEnvironmentConditions": "poorEnvironmentType",
    "NonWeatherRelatedRoadConditions": "nonWeatherRelatedRoadConditionType",
    "ReroutingManagement": "reroutingManagementType",
    "SpeedManagement": "speedManagementType",
    "WinterDrivingManagement": "winterEquipmentManagementType",
    "AbnormalTraffic": "abnormalTrafficType",
    "GeneralNetworkManagement": "generalNetworkManagementType",
}
# French wording when the publisher gives no comment: (type, subtype) then (type, None).
_LABELS = {
    ("RoadOrCarriagewayOrLaneManagement", "roadClosed"): "Route fermée",
    ("RoadOrCarriagewayOrLaneManagement", "carriagewayClosures"): "Chaussée fermée",
    ("RoadOrCarriagewayOrLaneManagement", "laneClosures"): "Voie(s) fermée(s)",
    ("RoadOrCarriagewayOrLaneManagement", "singleAlternateLineTraffic"): "Circulation alternée",
    ("RoadOrCarriagewayOrLaneManagement", "contraflow"): "Basculement de circulation",
    ("RoadOrCarriagewayOrLaneManagement", None): "Restriction de circulation",
    ("EnvironmentalObstruction", "flooding"): "Inondation",
    ("EnvironmentalObstruction", "fallenTrees"): "Chute d'arbres",
    ("EnvironmentalObstruction", "rockfalls"): "Chute de pierres",
    ("EnvironmentalObstruction", "landslips"): "Glissement de terrain",
    ("EnvironmentalObstruction", None): "Obstacle naturel",
    ("MaintenanceWorks", None): "Travaux d'entretien",
    ("ConstructionWorks", None): "Travaux",
    ("Roadworks", None): "Travaux",
    ("Accident", None): "Accident",
    ("ReroutingManagement", None): "Déviation",
    ("SpeedManagement", None): "Limitation de vitesse",
    ("WinterDrivingManagement", None): "Équipements hiver obligatoires",
    ("GeneralObstruction", None): "Obstacle sur la chaussée",
    ("VehicleObstruction", None): "Véhicule sur la chaussée",
    ("AnimalPresenceObstruction", None): "Animaux sur la chaussée",
    ("AbnormalTraffic", None): "Trafic perturbé",
    ("PoorEnvironmentConditions", None): "Conditions météo difficiles",
    ("WeatherRelatedRoadConditions", None): "Chaussée glissante ou enneigée",
    ("NonWeatherRelatedRoadConditions", None): "Chaussée dégradée",
}


def _record_event_type(rtype: str, subtype: str | None) -> str:
    if rtype == "ReroutingManagement":
        return "detour"
    if rtype == "RoadOrCarriagewayOrLaneManagement" and subtype in _CLOSED:
        return "closure"
    if rtype in _WORKS:
        return "works"
    if rtype in _MANAGEMENT:
        return "restriction"
    return "incident"


def _situations(pub: Element, source: Source, now: datetime, lang: str, batch: Batch) -> None:
    for situation in descendants(pub, "situation"):
        events: list[RoadEvent] = []
        detours: list[str] = []
        for index, record in enumerate(children(situation, "situationRecord")):
            try:
                event = _record(situation, record, index, source, now, lang)
            except BadItem as exc:
                reject(batch, f"situationRecord {record.get('id') or index + 1} : {exc}")
                continue
            if event is None:
                continue
            if event.event_type == "detour" and event.detour:
                detours.append(event.detour)
            events.append(event)
        roads = [e.road for e in events if e.road and e.event_type != "detour"]
        for event in events:
            if detours and event.event_type != "detour" and not event.detour:
                event.detour = " ; ".join(detours)
            if roads and not event.road and event.event_type != "detour":
                event.road = roads[0]  # records of one situation describe one place
        batch.road_events.extend(events)


def _record(situation: Element, record: Element, index: int, source: Source, now: datetime,
            lang: str) -> RoadEvent | None:
    life = path(record, "management", "lifeCycleManagement")
    if any(path_text(life, flag) == "true" for flag in ("cancel", "end")):
        return None
    validity = child(record, "validity")
    if path_text(validity, "validityStatus") == "suspended":
        return None
    rtype = xsi_type(record) or "SituationRecord"
    field = _SUBTYPE_FIELDS.get(rtype)
    subtype = text(next(descendants(record, field), None)) if field else None
    label = _LABELS.get((rtype, subtype)) or _LABELS.get((rtype, None)) or rtype
    comments = [multilingual(path(c, "comment"), lang) or multilingual(c, lang)
                for c in children(record, "generalPublicComment")]
    comment = normalise_text(" ".join(c for c in comments if c))
    location = child(record, "groupOfLocations")
    if location is None:
        location = child(record, "locationReference")
    spec = path(validity, "validityTimeSpecification")
    periods = [_period(spec)] if spec is not None else []
    native = (record.get("id") or
              (f"{situation.get('id')}:{index + 1}" if situation.get("id") else None) or
              content_hash(tostring(record)))
    detour = None
    if rtype == "ReroutingManagement":
        itinerary = next(descendants(record, "reroutingItineraryDescription"), None)
        detour = normalise_pr(multilingual(itinerary, lang)) or comment
    extra: dict[str, Any] = {"datex_type": rtype, "nature": label}
    for key, value in (
        ("subtype", subtype),
        ("situation_id", situation.get("id")),
        ("severity", path_text(situation, "overallSeverity")),
        ("information_status", status if (status := path_text(
            situation, "headerInformation", "informationStatus")) != "real" else None),
        ("alert_c", _alert_c(location)),
    ):
        if value:
            extra[key] = value
    event = RoadEvent(
        id=f"{KIND}:{native}",
        source=source.name,
        kind=KIND,
        road=_road(location, comment),
        description=normalise_pr(comment) or detour or label,
        event_type=_record_event_type(rtype, subtype),
        direction=_direction(location),
        geometry=_location_geometry(location),
        detour=detour,
        extra=extra,
    )
    _apply_periods(event, periods)
    return finish(event, now)


# ---------------------------------------------------------------------- regulations

_ACCESS_LABELS = {"noEntry": "Circulation interdite", "noThroughTraffic": "Accès riverains"}
_PARKING_LABELS = {"parkingProhibited": "Stationnement interdit",
                   "standingProhibited": "Arrêt interdit",
                   "standingAndParkingProhibited": "Arrêt et stationnement interdits"}
_OVER_ORDER = {"cancelled", "revoked", "withdrawn", "suspended", "expired"}


def _regulations(pub: Element, source: Source, now: datetime, lang: str, batch: Batch) -> None:
    for order in descendants(pub, "trafficRegulationOrder"):
        if (path_text(order, "status") or "") in _OVER_ORDER:
            continue
        regulations = children(order, "trafficRegulation")
        for index, regulation in enumerate(regulations, 1):
            try:
                event = _regulation(order, regulation, index, source, now, lang)
            except BadItem as exc:
                reject(batch, f"trafficRegulation {index} de {order.get('id')} : {exc}")
                continue
            if event is not None:
                batch.road_events.append(event)


def _regulation_kind(regulation: Element, condition: Element | None,
                     lang: str) -> tuple[str, str, str]:
    """(event_type, French summary, regulation type) of one trafficRegulation."""
    kinds = children(regulation, "typeOfRegulation")
    first = kinds[0] if kinds else None
    rtype = xsi_type(first) if first is not None else ""
    vehicles = [c for c in descendants(condition, "conditions")
                if xsi_type(c) == "VehicleCondition" and path_text(c, "negate") != "true"]
    summaries = []
    for kind in kinds:
        summaries.append(_summary(kind, lang))
    summary = " ; ".join(dict.fromkeys(s for s in summaries if s)) or "Réglementation"
    access = path_text(first, "accessRestrictionType")
    if rtype == "AccessRestriction" and access == "noEntry" and not vehicles:
        return "closure", summary, rtype
    if vehicles:
        summary += " (certains véhicules)"
    return "restriction", summary, rtype


def _summary(kind: Element, lang: str) -> str | None:
    rtype = xsi_type(kind)
    if rtype == "AccessRestriction":
        access = path_text(kind, "accessRestrictionType") or ""
        return _ACCESS_LABELS.get(access, "Restriction d'accès")
    if rtype == "SpeedLimit":
        value = text(next(descendants(kind, "numericValue"), None)) or text(
            next(descendants(kind, "speedValue"), None))
        return f"Vitesse limitée à {value} km/h" if value else "Limitation de vitesse"
    if rtype == "StandingOrParkingRestriction":
        parking = path_text(kind, "standingOrParkingRestrictionType") or ""
        return _PARKING_LABELS.get(parking, "Stationnement réglementé")
    if rtype == "OvertakingRestriction" or "Overtaking" in rtype:
        return "Dépassement interdit"
    other = multilingual(next(descendants(kind, "otherObligation"), None), lang)
    return normalise_text(other) or (rtype or None)


def _regulation(order: Element, regulation: Element, index: int, source: Source,
                now: datetime, lang: str) -> RoadEvent | None:
    if (path_text(regulation, "status") or "active") in ("inactive", "suspended"):
        return None
    condition = child(regulation, "condition")
    event_type, summary, rtype = _regulation_kind(regulation, condition, lang)
    specs = [s for s in descendants(condition, "validityTimeSpecification")]
    if not specs:
        specs = [s for s in descendants(child(order, "validityByOrder"),
                                        "validityTimeSpecification")]
    periods = [_period(s) for s in specs]
    locations = [el for el in descendants(condition, "locationByOrder")] + [
        el for el in descendants(condition, "implementedLocation")]
    order_text = normalise_pr(multilingual(child(order, "description"), lang))
    place_texts = [normalise_pr(multilingual(d, lang))
                   for loc in locations for d in descendants(loc, "locationDescription")]
    place_texts = [p for p in dict.fromkeys(place_texts) if p]
    roads = [r for r in dict.fromkeys(_road_names(loc) for loc in locations) if r]
    road = ", ".join(roads) or extract_road(order_text) or (place_texts[0] if place_texts else None)
    description = " — ".join(p for p in (summary, order_text) if p)
    order_id = order.get("id") or path_text(order, "regulationId") or content_hash(tostring(order))
    extra: dict[str, Any] = {"order_id": order_id, "regulation_type": rtype or None}
    for key, value in (
        ("regulation_id", path_text(order, "regulationId")),
        ("authority", multilingual(child(order, "issuingAuthority"), lang)),
        ("order_status", path_text(order, "status")),
        ("places", [p for p in place_texts if p != road] or None),
        ("vehicles", _vehicle_notes(condition) or None),
        ("public_url", text(next(descendants(order, "publicUrl"), None))),
    ):
        if value:
            extra[key] = value
    event = RoadEvent(
        id=f"{KIND}:{order_id}/{index}",
        source=source.name,
        kind=KIND,
        road=road,
        description=description,
        event_type=event_type,
        geometry=merge_geometries([_location_geometry(loc) for loc in locations]),
        extra={k: v for k, v in extra.items() if v},
    )
    _apply_periods(event, periods)
    return finish(event, now)


_OPERATORS = {"lessThan": "<", "lessThanOrEqualTo": "≤", "greaterThan": ">",
              "greaterThanOrEqualTo": "≥", "equalTo": "="}


def _vehicle_notes(condition: Element | None) -> list[str]:
    """Notes on vehicle conditions ("vehicleType heavyGoodsVehicle", "sauf vehicleLength < 12")."""
    notes = []
    for cond in descendants(condition, "conditions"):
        if xsi_type(cond) != "VehicleCondition":
            continue
        parts = []
        for group in descendants(cond, "vehicleCharacteristics"):
            for item in group:
                op = _OPERATORS.get(path_text(item, "comparisonOperator") or "", "")
                leaves = [el for el in item.iter() if len(el) == 0 and text(el)
                          and local(el.tag) not in ("comparisonOperator", "typeOfWeight")]
                parts.extend(" ".join(p for p in (local(leaf.tag), op, text(leaf)) if p)
                             for leaf in leaves)
        if parts:
            prefix = "sauf " if path_text(cond, "negate") == "true" else ""
            notes.append(prefix + ", ".join(parts))
    return notes


# --------------------------------------------------------------------------- periods


def _period(spec: Element) -> dict[str, Any]:
    """Start, end and weekly schedule of one validityTimeSpecification."""
    schedule: dict[str, list[str]] = {}
    for valid in children(spec, "validPeriod"):
        windows = [_window(t) for t in children(valid, "recurringTimePeriodOfDay")]
        windows = [w for w in windows if w]
        days = [text(d) for p in children(valid, "recurringDayWeekMonthPeriod")
                for d in children(p, "applicableDay")]
        days = [d for d in days if d in WEEKDAYS]
        if not windows and not days:
            continue
        for day in days or list(WEEKDAYS):
            schedule.setdefault(day, [])
            schedule[day].extend(w for w in (windows or ["00:00-24:00"]) if w not in schedule[day])
    excluded = {
        text(d)
        for exc in children(spec, "exceptionPeriod")
        if not children(exc, "recurringTimePeriodOfDay")
        for p in children(exc, "recurringDayWeekMonthPeriod")
        for d in children(p, "applicableDay")
    }
    if excluded & set(WEEKDAYS):
        if not schedule:
            schedule = {day: ["00:00-24:00"] for day in WEEKDAYS}
        schedule = {d: w for d, w in schedule.items() if d not in excluded}
    compressed = _compress(schedule) if schedule else None
    if compressed == {"everyday": ["00:00-24:00"]}:
        compressed = None
    return {
        "start": parse_time(path_text(spec, "overallStartTime")),
        "end": parse_time(path_text(spec, "overallEndTime")),
        "schedule": compressed,
    }


def _window(el: Element) -> str | None:
    start, end = path_text(el, "startTimeOfPeriod"), path_text(el, "endTimeOfPeriod")
    if not start or not end:
        return None
    window = f"{start[:5]}-{end[:5]}"
    return window if normalise_schedule({"everyday": window}) else None


def _compress(schedule: dict[str, list[str]]) -> dict[str, list[str]]:
    """Write seven identical days as "everyday", as CIFS does."""
    days = [schedule.get(d) for d in WEEKDAYS]
    if all(days) and all(sorted(d) == sorted(days[0]) for d in days):
        return {"everyday": list(days[0])}
    return {d: list(w) for d, w in schedule.items() if w}


def _apply_periods(event: RoadEvent, periods: list[dict[str, Any]]) -> None:
    """Span all periods; keep a schedule only when every period has one."""
    if not periods:
        return
    starts = [p["start"] for p in periods]
    ends = [p["end"] for p in periods]
    event.starts_at = None if None in starts else min(starts)
    event.ends_at = None if None in ends else max(ends)
    if all(p["schedule"] for p in periods):
        merged: dict[str, list[str]] = {}
        for period in periods:
            for day, windows in _expand(period["schedule"]).items():
                merged.setdefault(day, [])
                merged[day].extend(w for w in windows if w not in merged[day])
        event.schedule = _compress(merged)
    if len(periods) > 1:
        event.extra["periods"] = periods


def _expand(schedule: dict[str, list[str]]) -> dict[str, list[str]]:
    out = {d: list(w) for d, w in schedule.items() if d != "everyday"}
    for day in WEEKDAYS:
        for window in schedule.get("everyday", []):
            out.setdefault(day, [])
            if window not in out[day]:
                out[day].append(window)
    return out


# -------------------------------------------------------------------------- locations

_GROUPS = ("locationContainedInItinerary", "locationContainedInGroup")


def _location_geometry(loc: Element | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    groups = [el for el in loc.iter() if local(el.tag) in _GROUPS]
    if groups:
        return merge_geometries([_single_geometry(g) for g in groups])
    return _single_geometry(loc)


def _single_geometry(loc: Element) -> dict[str, Any] | None:
    """The best geometry one location offers, most precise first."""
    shapes = []
    for el in descendants(loc, "geoJsonGeometry"):
        try:
            shapes.append(clean_geometry(json.loads(text(el) or "")))
        except (ValueError, RecursionError):
            continue
    if any(shapes):
        return merge_geometries(shapes)
    lines = [_pos_list(el) for el in descendants(loc, "posList")]
    if any(lines):
        return merge_geometries(lines)
    starts = [_coordinates(el) for el in descendants(loc, "linearCoordinatesStartPoint")]
    ends = [_coordinates(el) for el in descendants(loc, "linearCoordinatesEndPoint")]
    pairs = [line_from_positions([s, e] if s != e else [s])
             for s, e in zip(starts, ends, strict=False) if s and e]
    if any(pairs):
        return merge_geometries(pairs)
    points = [_coordinates(el) for el in descendants(loc, "pointByCoordinates")]
    if not any(points):
        points = [_coordinates(el) for el in descendants(loc, "locationForDisplay")]
    return merge_geometries([line_from_positions([p]) for p in points if p])


def _pos_list(el: Element) -> dict[str, Any] | None:
    tokens = (text(el) or "").split()
    if (el.get("srsDimension") or "2").strip() == "3":
        tokens = [t for i, t in enumerate(tokens) if i % 3 != 2]
    return line_from_positions(latlon_pairs(" ".join(tokens)))


def _coordinates(el: Element) -> list[float] | None:
    """[lon, lat] from the first latitude/longitude pair under `el`."""
    lat = text(next(descendants(el, "latitude"), None))
    lon = text(next(descendants(el, "longitude"), None))
    if not lat or not lon:
        return None
    positions = latlon_pairs(f"{lat} {lon}")
    return positions[0] if positions else None


def _road_names(loc: Element) -> str | None:
    """Road numbers, else road names, else TPEG link names, of one location."""
    for tag in ("roadNumber", "roadName"):
        names = [canonical_road(text(el)) for el in descendants(loc, tag)]
        names = [n for n in names if n]
        if names:
            return ", ".join(dict.fromkeys(names))
    links = [multilingual(d, "fr") for d in descendants(loc, "name")
             if path_text(d, "tpegLinearLocationDescriptorType") == "linkName"
             or path_text(d, "tpegPointLocationDescriptorType") == "linkName"]
    links = [normalise_text(x) for x in links if x]
    return ", ".join(dict.fromkeys(x for x in links if x)) or None


def _road(loc: Element | None, comment: str | None) -> str | None:
    return (_road_names(loc) if loc is not None else None) or extract_road(comment)


def _direction(loc: Element | None) -> str | None:
    for tag in ("alertCDirectionCoded", "tpegDirection", "directionRelative",
                "directionRelativeOnLinearSection", "directionBoundOnLinearSection",
                "directionBound", "tpegDirectionRoad"):
        value = text(next(descendants(loc, tag), None))
        if value:
            return normalise_direction(value)
    return None


def _alert_c(loc: Element | None) -> dict[str, Any] | None:
    codes = [text(el) for el in descendants(loc, "specificLocation")]
    codes = [c for c in codes if c]
    if not codes:
        return None
    return {
        "country": text(next(descendants(loc, "alertCLocationCountryCode"), None)),
        "table": text(next(descendants(loc, "alertCLocationTableNumber"), None)),
        "locations": codes,
    }
