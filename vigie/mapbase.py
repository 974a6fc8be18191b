"""The maps' own base: communes and département outline from data/geo/, no tile server.

pydeck's default basemap downloads tiles from the internet; a crisis room may have none.
Vigie draws the communes of the configured départements (IGN Admin Express, see
data/geo/PROVENANCE.md) as the base, with the département outline and the names of the
larger communes, so that a map is legible offline. Geometries are simplified once per
process (coordinates rounded to about 50 m, repeated vertices dropped): the communes of
Côte-d'Or go from 830 kB to about a third of that in every map sent to a browser.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

GEO_DIR = Path(__file__).resolve().parents[1] / "data" / "geo"
DECIMALS = 4  # about 10 m; vertices closer than STEP to the last kept one are dropped
STEP = 0.0005  # degrees, about 50 m
LABEL_MIN_POPULATION = 800
LABEL_WIDTH_KM, LABEL_HEIGHT_KM = 26.0, 10.0


def _ring(ring: list[list[float]]) -> list[list[float]]:
    kept: list[list[float]] = []
    for lon, lat, *_ in ring:
        point = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if kept and abs(point[0] - kept[-1][0]) < STEP and abs(point[1] - kept[-1][1]) < STEP:
            continue
        kept.append(point)
    if len(kept) < 4:  # too small to simplify: keep it as it was, rounded
        kept = [[round(p[0], DECIMALS), round(p[1], DECIMALS)] for p in ring]
    if kept[0] != kept[-1]:
        kept.append(kept[0])
    return kept


def _simplify(geometry: dict[str, Any]) -> dict[str, Any]:
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r) for r in geometry["coordinates"]]}
    if geometry["type"] == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[_ring(r) for r in poly] for poly in geometry["coordinates"]]}
    return geometry


def _files(pattern: str, departements: Sequence[str]) -> list[Path]:
    out: list[Path] = []
    for dep in departements:
        out.extend(sorted(GEO_DIR.glob(pattern.format(dep=dep))))
    return out


@cache
def communes(departements: tuple[str, ...] = ("21",)) -> dict[str, Any]:
    """The communes of the départements as one simplified FeatureCollection whose features
    carry `code`, `nom` and `kind` = "commune" (empty when no file is shipped)."""
    features = []
    for path in _files("communes-{dep}-*.geojson", departements):
        for feature in json.loads(path.read_text(encoding="utf-8")).get("features", []):
            props = feature.get("properties") or {}
            features.append({"type": "Feature", "geometry": _simplify(feature["geometry"]),
                             "properties": {"code": props.get("code"), "nom": props.get("nom"),
                                            "kind": "commune"}})
    return {"type": "FeatureCollection", "features": features}


@cache
def outline(departements: tuple[str, ...] = ("21",)) -> dict[str, Any]:
    """The outline of the départements (FeatureCollection, maybe empty)."""
    features = []
    for path in _files("departement-{dep}-*.geojson", departements):
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data.get("features") if data.get("type") == "FeatureCollection" else [data]
        for feature in items or []:
            features.append({"type": "Feature", "geometry": _simplify(feature["geometry"]),
                             "properties": {"kind": "departement"}})
    return {"type": "FeatureCollection", "features": features}


@cache
def labels(departements: tuple[str, ...] = ("21",),
           min_population: int = LABEL_MIN_POPULATION) -> tuple[dict[str, Any], ...]:
    """Names of communes to read the map without tiles: the largest first, then smaller
    ones only where they do not crowd a name already kept (a label is about 26 km wide and
    10 km high at the département's scale), so the whole département gets names."""
    from vigie.enrich.places import gazetteer

    rows = sorted(({"name": c.name, "lat": c.lat, "lon": c.lon, "population": c.population}
                   for c in gazetteer().by_insee.values()
                   if c.dep in departements and c.kind == "COM"
                   and c.population >= min_population), key=lambda r: -r["population"])
    kept: list[dict[str, Any]] = []
    for row in rows:
        if all(((row["lon"] - k["lon"]) * 74 / LABEL_WIDTH_KM) ** 2
               + ((row["lat"] - k["lat"]) * 111 / LABEL_HEIGHT_KM) ** 2 >= 1 for k in kept):
            kept.append(row)
    return tuple(kept)


def _bounds(collection: dict[str, Any]) -> tuple[float, float, float, float] | None:
    lons: list[float] = []
    lats: list[float] = []
    stack = [f["geometry"]["coordinates"] for f in collection["features"] if f.get("geometry")]
    while stack:
        item = stack.pop()
        if item and isinstance(item[0], (int, float)):
            lons.append(item[0])
            lats.append(item[1])
        else:
            stack.extend(item)
    if not lons:
        return None
    return min(lons), min(lats), max(lons), max(lats)


def view_for_bounds(box: tuple[float, float, float, float], width: int = 1000,
                    height: int = 600, max_zoom: float = 12.0) -> dict[str, float]:
    """Centre and zoom that frame (west, south, east, north) in about width x height
    pixels (web Mercator, 512-pixel world at zoom 0)."""
    west, south, east, north = box

    def mercator_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = (east - west) / 360
    span_y = (mercator_y(north) - mercator_y(south)) / (2 * math.pi)
    zoom = min(math.log2(width / 512 / max(span_x, 1e-6)),
               math.log2(height / 512 / max(span_y, 1e-6)))
    return {"latitude": (south + north) / 2, "longitude": (west + east) / 2,
            "zoom": round(min(zoom, max_zoom) - 0.15, 2)}


@cache
def home_view(departements: tuple[str, ...] = ("21",), width: int = 1000,
              height: int = 600) -> dict[str, float]:
    """The view that frames the départements; France when nothing is shipped."""
    box = _bounds(outline(departements)) or _bounds(communes(departements))
    if box is None:
        return {"latitude": 46.6, "longitude": 2.4, "zoom": 5.0}
    return view_for_bounds(box, width, height)


def view_for_geometries(geometries: list[dict[str, Any]], fallback: dict[str, float],
                        width: int = 1000, height: int = 600) -> dict[str, float]:
    """The view that frames some geometries (a filtered list of road events), or
    `fallback` when there are none."""
    box = _bounds({"features": [{"geometry": g} for g in geometries if g]})
    if box is None:
        return fallback
    west, south, east, north = box
    pad_x, pad_y = max((east - west) * 0.15, 0.01), max((north - south) * 0.15, 0.01)
    return view_for_bounds((west - pad_x, south - pad_y, east + pad_x, north + pad_y),
                           width, height, max_zoom=13.0)
