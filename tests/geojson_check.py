"""A small RFC 7946 checker for the GeoJSON Vigie serves (no dependency on a GIS library).

It checks what uMap and GIS tools rely on: object types, members, coordinate nesting and
ranges (longitude first, WGS84), closed linear rings of four positions or more, no `crs`
member (removed in RFC 7946), and properties that are an object or null."""

from __future__ import annotations

from typing import Any

_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
          "MultiPolygon": 3}


def _position_errors(pos: Any, where: str) -> list[str]:
    if not isinstance(pos, list) or not 2 <= len(pos) <= 3 or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in pos):
        return [f"{where}: bad position {pos!r}"]
    lon, lat = pos[0], pos[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return [f"{where}: out of range {pos!r}"]
    return []


def _coords_errors(coords: Any, depth: int, where: str) -> list[str]:
    if depth == 0:
        return _position_errors(coords, where)
    if not isinstance(coords, list):
        return [f"{where}: coordinates must be an array"]
    errors = []
    for i, c in enumerate(coords):
        errors += _coords_errors(c, depth - 1, f"{where}[{i}]")
    return errors


def geometry_errors(geom: Any, where: str = "geometry") -> list[str]:
    if geom is None:
        return []
    if not isinstance(geom, dict):
        return [f"{where}: not an object"]
    kind = geom.get("type")
    if kind == "GeometryCollection":
        errors = []
        for i, g in enumerate(geom.get("geometries") or []):
            errors += geometry_errors(g, f"{where}.geometries[{i}]")
        return errors
    if kind not in _DEPTH:
        return [f"{where}: unknown type {kind!r}"]
    coords = geom.get("coordinates")
    errors = _coords_errors(coords, _DEPTH[kind], where)
    if errors:
        return errors
    if kind == "LineString" and len(coords) < 2:
        errors.append(f"{where}: a LineString needs two positions")
    if kind == "MultiLineString" and any(len(line) < 2 for line in coords):
        errors.append(f"{where}: a line needs two positions")
    rings = coords if kind == "Polygon" else [r for p in coords for r in p] \
        if kind == "MultiPolygon" else []
    for ring in rings:
        if len(ring) < 4 or ring[0] != ring[-1]:
            errors.append(f"{where}: linear rings are closed, four positions or more")
    return errors


def rfc7946_errors(doc: Any) -> list[str]:
    """Every problem found (empty: valid for what Vigie produces)."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return ["top level: not a FeatureCollection"]
    errors = []
    if "crs" in doc:
        errors.append("top level: 'crs' is not RFC 7946")
    features = doc.get("features")
    if not isinstance(features, list):
        return errors + ["top level: 'features' must be an array"]
    for i, f in enumerate(features):
        where = f"features[{i}]"
        if not isinstance(f, dict) or f.get("type") != "Feature":
            errors.append(f"{where}: not a Feature")
            continue
        if "geometry" not in f or "properties" not in f:
            errors.append(f"{where}: a Feature has 'geometry' and 'properties' members")
        if f.get("properties") is not None and not isinstance(f["properties"], dict):
            errors.append(f"{where}: properties must be an object or null")
        if "id" in f and not isinstance(f["id"], (str, int, float)):
            errors.append(f"{where}: id must be a string or a number")
        errors += geometry_errors(f.get("geometry"), f"{where}.geometry")
    return errors
