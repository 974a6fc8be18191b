"""The public projection: the one description of what anyone may see without a login.

`projection(store)` builds a GeoJSON FeatureCollection (RFC 7946) from published items
only: road events in effect or planned, shelters a coordinator published, and verdicts
(confirmed facts, debunked rumors) with their public message. The public page draws it and
`/api/public.geojson` serves it, so they cannot drift apart. It reads the store's
`public_*` queries, which name their columns: no author, post, person, note, owner, user
name or feed `extra` can reach it, and it takes no parameter a visitor could change.
During an exercise the collection and every feature say so.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime
from typing import Any

from vigie.geometry import clean_geometry
from vigie.models import iso, utc_now
from vigie.road_events import live_status
from vigie.roads import event_style

EXERCISE_NOTICE = "EXERCICE — données fictives, ne pas diffuser comme réelles"
PUBLIC_ROAD_STATUSES = ("active", "planned")
CACHE_SECONDS = 5.0

_TYPE_LABELS = {"closure": "Fermeture", "restriction": "Circulation restreinte",
                "works": "Travaux", "incident": "Incident", "detour": "Déviation"}
_STATUS_LABELS = {"active": "En cours", "planned": "Prévu"}
_SHELTER_STATUS = {"open": "Ouvert", "full": "Complet", "closed": "Fermé"}
_CLAIM_LABELS = {"confirmed": "Information vérifiée", "false": "Rumeur démentie : faux",
                 "misleading": "Rumeur démentie : trompeur"}


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def _geometry(geometry: Any, lat: Any, lon: Any) -> dict[str, Any] | None:
    geom = clean_geometry(geometry)
    if geom is None and isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        geom = clean_geometry({"type": "Point", "coordinates": [lon, lat]})
    if geom is None:
        return None
    if geom["type"] == "GeometryCollection":
        return {"type": "GeometryCollection",
                "geometries": [{**g, "coordinates": _round(g["coordinates"])}
                               for g in geom["geometries"]]}
    return {"type": geom["type"], "coordinates": _round(geom["coordinates"])}


def _hex(rgb: list[int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb[:3])


def road_feature(event: dict[str, Any], status: str) -> dict[str, Any]:
    style = event_style(event.get("event_type"))
    label = _TYPE_LABELS.get(event.get("event_type"), style["label"])
    road = event.get("road") or ""
    umap = {"color": _hex(style["color"]), "weight": style["width"]}
    if style["dash"]:
        umap["dashArray"] = ",".join(str(d) for d in style["dash"])
    return {
        "type": "Feature",
        "id": f"road:{event['id']}",
        "geometry": _geometry(event.get("geometry"), event.get("lat"), event.get("lon")),
        "properties": {
            "layer": "road", "name": " — ".join(x for x in (road, label) if x),
            "road": road or None, "event_type": event.get("event_type"), "type_label": label,
            "status": status, "status_label": _STATUS_LABELS[status],
            "description": event.get("description"), "detour": event.get("detour"),
            "direction": event.get("direction"), "commune": event.get("commune"),
            "starts_at": event.get("starts_at"), "ends_at": event.get("ends_at"),
            "updated_at": event.get("updated_at"), "color": umap["color"],
            "_umap_options": umap,
        },
    }


def shelter_feature(shelter: dict[str, Any]) -> dict[str, Any]:
    status = shelter.get("status") or "open"
    return {
        "type": "Feature",
        "id": f"shelter:{shelter['id']}",
        "geometry": _geometry(None, shelter.get("lat"), shelter.get("lon")),
        "properties": {
            "layer": "shelter", "name": shelter.get("name"), "commune": shelter.get("commune"),
            "address": shelter.get("address"), "capacity": shelter.get("capacity"),
            "status": status, "status_label": _SHELTER_STATUS.get(status, status),
            "updated_at": shelter.get("updated_at"), "color": "#2e7d32",
            "_umap_options": {"color": "#2e7d32"},
        },
    }


def claim_feature(claim: dict[str, Any]) -> dict[str, Any]:
    status = claim["status"]
    label = _CLAIM_LABELS[status]
    return {
        "type": "Feature",
        "id": f"claim:{claim['id']}",
        "geometry": None,  # verdicts have no place of their own (RFC 7946 §3.2 allows null)
        "properties": {
            "layer": "fact" if status == "confirmed" else "debunk", "name": label,
            "status": status, "status_label": label, "message": claim["public_message"],
            "verdict_at": claim.get("verdict_at") or claim.get("updated_at"),
        },
    }


def projection(store: Any, now: datetime | None = None) -> dict[str, Any]:
    """The public FeatureCollection (see the module doc)."""
    now = now or utc_now()
    features = []
    for event in store.public_road_events():
        status = live_status(event, now)
        if status in PUBLIC_ROAD_STATUSES:
            features.append(road_feature(event, status))
    features.extend(shelter_feature(s) for s in store.public_shelters())
    features.extend(claim_feature(c) for c in store.public_claims())
    incident = store.active_incident()
    exercise = bool(incident and incident.get("exercise"))
    if exercise:
        for feature in features:
            props = feature["properties"]
            props["exercise"] = True
            props["name"] = f"[EXERCICE] {props.get('name') or ''}".strip()
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "name": "Vigie — carte publique",
        "generated_at": iso(now),
        "exercise": exercise,
        "features": features,
    }
    if exercise:
        collection["notice"] = EXERCISE_NOTICE
    return collection


_cache: dict[str, tuple[float, bytes]] = {}
_cache_lock = threading.Lock()


def projection_bytes(store: Any) -> bytes:
    """The projection as UTF-8 GeoJSON, rebuilt at most every CACHE_SECONDS per database:
    a public map read by many browsers costs the database one query batch."""
    key = str(store.path)
    with _cache_lock:
        hit = _cache.get(key)
        if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]
    body = json.dumps(projection(store), ensure_ascii=False, separators=(",", ":")).encode()
    with _cache_lock:
        _cache[key] = (time.monotonic(), body)
    return body


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
