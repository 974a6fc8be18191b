"""What each export holds: its columns (French headers, HXL hashtags) and its rows.

One `Dataset` per `python -m vigie export` target (posts, claims, roads, map). Rows come from
the store's streaming cursors; each row becomes cells (for CSV, XLSX and HXL) and a GeoJSON
feature (geometry + the same properties). Column names are French because the partners
read them; the HXL hashtags are the machine-readable names (https://hxlstandard.org).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from vigie.geometry import clean_geometry, representative_point
from vigie.store import Store

GEO_DIR = Path(__file__).resolve().parents[2] / "data" / "geo"
EXERCISE_MARK = "EXERCICE"

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    name: str
    hxl: str
    get: Callable[[Row], Any]
    number: bool = False


@dataclass
class Options:
    since: str | None
    until: str
    exercise: bool                      # the file as a whole: an exercise overlaps the period
    author: Callable[[str | None], str | None]


@dataclass(frozen=True)
class Dataset:
    name: str
    columns: tuple[Column, ...]
    rows: Callable[[Store, Options, bool], Iterator[Row]]   # (store, options, located_only)
    geometry: Callable[[Row], dict[str, Any] | None]
    geojson_located_only: bool = False


@lru_cache(maxsize=1)
def departements() -> dict[str, str]:
    """INSEE département code -> name ("21" -> "Côte-d'Or")."""
    path = GEO_DIR / "departements_france.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["insee_dep"]: r["departement"] for r in csv.DictReader(fh)}


def departement_code(insee: str | None) -> str | None:
    if not insee or len(insee) < 5:
        return None
    return insee[:3] if insee.startswith("97") else insee[:2]


def _exercise(row: Row, opts: Options) -> str:
    flag = row.get("incident_exercise")
    exercise = bool(flag) if flag is not None else opts.exercise
    return EXERCISE_MARK if exercise else ""


def _categories(row: Row) -> str:
    try:
        values = json.loads(row.get("categories") or "[]")
    except ValueError:
        return ""
    return ", ".join(str(v) for v in values) if isinstance(values, list) else ""


def _point(row: Row) -> dict[str, Any] | None:
    lat, lon = row.get("lat"), row.get("lon")
    if lat is None or lon is None:
        return None
    return clean_geometry({"type": "Point", "coordinates": [lon, lat]})


def _stored_geometry(row: Row) -> dict[str, Any] | None:
    raw = row.get("geometry")
    try:
        geometry = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        geometry = None
    return clean_geometry(geometry) or _point(row)


def _rep(row: Row) -> tuple[float | None, float | None]:
    if row.get("lat") is not None and row.get("lon") is not None:
        return row["lat"], row["lon"]
    point = representative_point(_stored_geometry(row)) if row.get("geometry") else None
    return point if point else (None, None)


def _with_common(columns: list[Column], opts_getter: Callable[[], Options]) -> None:
    columns.extend([
        Column("incident", "#crisis+name", lambda r: r.get("incident")),
        Column("exercice", "#meta+exercise", lambda r: _exercise(r, opts_getter())),
    ])


# -- posts ---------------------------------------------------------------------------------


def posts_dataset(opts: Options) -> Dataset:
    columns = [
        Column("id", "#meta+id", lambda r: r["id"]),
        Column("date", "#date+reported", lambda r: r["created_at"]),
        Column("source", "#meta+source", lambda r: r["source"]),
        Column("type_source", "#meta+kind", lambda r: r["kind"]),
        Column("auteur", "#meta+author", lambda r: opts.author(r["author"])),
        Column("texte", "#description", lambda r: r["text"]),
        Column("lien", "#meta+source_url", lambda r: r["url"]),
        Column("langue", "#meta+lang", lambda r: r["lang"]),
        Column("commune", "#loc+name", lambda r: r["place"]),
        Column("code_insee", "#loc+code", lambda r: r["insee"]),
        Column("departement", "#adm2+name",
               lambda r: departements().get(departement_code(r["insee"]) or "")),
        Column("code_departement", "#adm2+code", lambda r: departement_code(r["insee"])),
        Column("latitude", "#geo+lat", lambda r: r["lat"], number=True),
        Column("longitude", "#geo+lon", lambda r: r["lon"], number=True),
        Column("precision", "#geo+precision", lambda r: r["precision"]),
        Column("categories", "#sector", _categories),
        Column("urgence", "#severity+num", lambda r: r["urgency"], number=True),
        Column("statut", "#status", lambda r: r["status"]),
        Column("groupe", "#meta+cluster", lambda r: r["cluster_id"]),
    ]
    _with_common(columns, lambda: opts)
    return Dataset(
        "posts", tuple(columns),
        lambda store, o, located: store.iter_export_posts(o.since, o.until,
                                                          located_only=located),
        _point, geojson_located_only=True)


# -- claims --------------------------------------------------------------------------------


def claims_dataset(opts: Options) -> Dataset:
    columns = [
        Column("id", "#meta+id", lambda r: r["id"], number=True),
        Column("titre", "#description+claim", lambda r: r["title"]),
        Column("resume", "#description+summary", lambda r: r["summary"]),
        Column("statut", "#status", lambda r: r["status"]),
        Column("message_public", "#description+public", lambda r: r["public_message"]),
        Column("note_verdict", "#description+verdict", lambda r: r["verdict_note"]),
        Column("publie", "#meta+published", lambda r: int(bool(r["published"])), number=True),
        Column("date", "#date+reported", lambda r: r["created_at"]),
        Column("premiere_apparition", "#date+first_seen", lambda r: r["first_seen"]),
        Column("date_verdict", "#date+verdict", lambda r: r["verdict_at"]),
        Column("publications", "#meta+posts+num", lambda r: r["posts"], number=True),
        Column("latitude", "#geo+lat", lambda r: _round(r["lat"]), number=True),
        Column("longitude", "#geo+lon", lambda r: _round(r["lon"]), number=True),
    ]
    _with_common(columns, lambda: opts)
    return Dataset("claims", tuple(columns),
                   lambda store, o, _located: store.iter_export_claims(o.since, o.until),
                   lambda r: _point({"lat": _round(r["lat"]), "lon": _round(r["lon"])}))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


# -- roads ---------------------------------------------------------------------------------


def _road_columns() -> list[Column]:
    return [
        Column("id", "#meta+id", lambda r: r["id"]),
        Column("route", "#loc+road", lambda r: r["road"]),
        Column("commune", "#loc+name", lambda r: r["commune"]),
        Column("type", "#event+type", lambda r: r["event_type"]),
        Column("statut", "#status", lambda r: r["status"]),
        Column("sens", "#meta+direction", lambda r: r["direction"]),
        Column("debut", "#date+start", lambda r: r["starts_at"]),
        Column("fin", "#date+end", lambda r: r["ends_at"]),
        Column("description", "#description", lambda r: r["description"]),
        Column("deviation", "#description+detour", lambda r: r["detour"]),
        Column("latitude", "#geo+lat", lambda r: _rep(r)[0], number=True),
        Column("longitude", "#geo+lon", lambda r: _rep(r)[1], number=True),
        Column("source", "#meta+source", lambda r: r["source"]),
        Column("manuel", "#meta+manual", lambda r: int(bool(r["manual"])), number=True),
    ]


def roads_dataset(opts: Options) -> Dataset:
    columns = _road_columns()
    _with_common(columns, lambda: opts)
    return Dataset("roads", tuple(columns),
                   lambda store, o, _located: store.iter_export_roads(o.since, o.until),
                   _stored_geometry)


# -- map: the vetted layers (roads, alerts, shelters, judged claims) --------------------------

LAYERS = {"road": "route", "alert": "alerte", "shelter": "hebergement", "claim": "verification"}


def _map_rows(store: Store, opts: Options, _located: bool) -> Iterator[Row]:
    for r in store.iter_export_roads(opts.since, opts.until):
        yield {**r, "layer": LAYERS["road"], "name": r["road"], "type": r["event_type"],
               "start": r["starts_at"], "end": r["ends_at"]}
    for a in store.iter_export_alerts(opts.since, opts.until):
        yield {**a, "layer": LAYERS["alert"], "name": a["headline"] or a["event"],
               "commune": a["area"], "type": a["severity"], "start": a["sent"],
               "end": a["expires"], "description": a["event"]}
    for s in store.iter_export_shelters():
        yield {**s, "layer": LAYERS["shelter"], "name": s["name"], "type": "shelter",
               "start": None, "end": None, "description": s["address"]}
    for c in store.iter_export_claims(opts.since, opts.until):
        if c["status"] in ("confirmed", "false", "misleading") and c["lat"] is not None:
            yield {**c, "layer": LAYERS["claim"], "name": c["title"], "commune": None,
                   "type": c["status"], "start": c["created_at"], "end": c["verdict_at"],
                   "description": c["public_message"], "lat": _round(c["lat"]),
                   "lon": _round(c["lon"])}


def map_dataset(opts: Options) -> Dataset:
    columns = [
        Column("couche", "#meta+layer", lambda r: r["layer"]),
        Column("id", "#meta+id", lambda r: str(r["id"])),
        Column("nom", "#description+name", lambda r: r["name"]),
        Column("commune", "#loc+name", lambda r: r.get("commune")),
        Column("type", "#meta+type", lambda r: r["type"]),
        Column("statut", "#status", lambda r: r.get("status")),
        Column("debut", "#date+start", lambda r: r["start"]),
        Column("fin", "#date+end", lambda r: r["end"]),
        Column("description", "#description", lambda r: r.get("description")),
        Column("latitude", "#geo+lat", lambda r: _rep(r)[0], number=True),
        Column("longitude", "#geo+lon", lambda r: _rep(r)[1], number=True),
    ]
    _with_common(columns, lambda: opts)
    return Dataset("map", tuple(columns), _map_rows, _stored_geometry)


DATASETS: dict[str, Callable[[Options], Dataset]] = {
    "posts": posts_dataset, "claims": claims_dataset, "roads": roads_dataset,
    "map": map_dataset,
}
