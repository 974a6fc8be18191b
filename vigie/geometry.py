"""Small GeoJSON helpers for road events: read, check, merge and summarise geometries.

Road feeds disagree on axis order ("lat lon" in CIFS polylines and DATEX II posList,
"lon lat" in GeoJSON) and sometimes ship broken coordinates. Everything here returns
GeoJSON in WGS84 (lon, lat) or None, never raises on bad input, and never recurses
deeper than a GeoJSON geometry can nest, so a hostile payload cannot exhaust the stack.
"""

from __future__ import annotations

import math
from typing import Any

Position = list[float]

_LINE_TYPES = {"LineString", "MultiLineString"}
_POINT_TYPES = {"Point", "MultiPoint"}
# Nesting depth of "coordinates" per geometry type.
_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _position(value: Any) -> Position | None:
    """A GeoJSON position [lon, lat(, alt)] with both axes in range, as [lon, lat]."""
    if not isinstance(value, (list, tuple)) or len(value) < 2:
        return None
    lon, lat = _number(value[0]), _number(value[1])
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return [lon, lat]


def latlon_pairs(text: Any) -> list[Position]:
    """Read "lat lon lat lon ..." (CIFS polyline, DATEX II posList) into [[lon, lat], ...].

    Commas are accepted as separators too. A pair whose latitude is out of range but
    whose swapped values are valid is taken as "lon lat" (a frequent publisher slip, even
    in Waze's own examples). An odd count or an unreadable pair gives an empty list.
    """
    if not isinstance(text, str):
        return []
    tokens = text.replace(",", " ").split()
    if not tokens or len(tokens) % 2:
        return []
    out: list[Position] = []
    for i in range(0, len(tokens), 2):
        lat, lon = _number(tokens[i]), _number(tokens[i + 1])
        if lat is None or lon is None:
            return []
        if not -90 <= lat <= 90 and -90 <= lon <= 90 and -180 <= lat <= 180:
            lat, lon = lon, lat
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return []
        out.append([lon, lat])
    return out


def line_from_positions(positions: list[Position]) -> dict[str, Any] | None:
    """LineString for two or more positions, Point for one, None for none."""
    if not positions:
        return None
    if len(positions) == 1:
        return {"type": "Point", "coordinates": positions[0]}
    return {"type": "LineString", "coordinates": positions}


def _clean_coords(coords: Any, depth: int) -> Any:
    if depth == 0:
        return _position(coords)
    if not isinstance(coords, list):
        return None
    parts = [_clean_coords(c, depth - 1) for c in coords]
    parts = [p for p in parts if p]
    return parts or None


def clean_geometry(geometry: Any) -> dict[str, Any] | None:
    """Return a checked copy of a GeoJSON geometry (positions cut to [lon, lat]) or None.

    Invalid positions are dropped; a line left with fewer than two positions becomes
    None (or a Point when one valid position remains). GeometryCollections are flattened
    one level, as GeoJSON forbids nesting them.
    """
    if not isinstance(geometry, dict):
        return None
    kind = geometry.get("type")
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list):
            return None
        parts = [
            clean_geometry(m)
            for m in members
            if isinstance(m, dict) and m.get("type") != "GeometryCollection"
        ]
        return merge_geometries(parts)
    if not isinstance(kind, str) or kind not in _DEPTH:
        return None
    coords = _clean_coords(geometry.get("coordinates"), _DEPTH[kind])
    if coords is None:
        return None
    if kind == "LineString":
        return line_from_positions(coords)
    if kind == "MultiLineString":
        lines = [line for line in coords if len(line) >= 2]
        return {"type": kind, "coordinates": lines} if lines else None
    if kind == "Polygon":
        rings = [ring for ring in coords if len(ring) >= 4]
        return {"type": kind, "coordinates": rings} if rings else None
    if kind == "MultiPolygon":
        polys = [[r for r in poly if len(r) >= 4] for poly in coords]
        polys = [p for p in polys if p]
        return {"type": kind, "coordinates": polys} if polys else None
    return {"type": kind, "coordinates": coords}


def merge_geometries(geometries: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    """Merge clean geometries: lines into a MultiLineString, points into a MultiPoint.

    A single geometry is returned as is; mixed kinds become a GeometryCollection.
    """
    parts: list[dict[str, Any]] = []
    for g in geometries:
        if g and g.get("type") == "GeometryCollection":
            parts.extend(m for m in g.get("geometries", []) if m)
        elif g:
            parts.append(g)
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    kinds = {g["type"] for g in parts}
    if kinds <= _LINE_TYPES:
        lines: list[list[Position]] = []
        for g in parts:
            lines.extend([g["coordinates"]] if g["type"] == "LineString" else g["coordinates"])
        return {"type": "MultiLineString", "coordinates": lines}
    if kinds <= _POINT_TYPES:
        points: list[Position] = []
        for g in parts:
            points.extend([g["coordinates"]] if g["type"] == "Point" else g["coordinates"])
        return {"type": "MultiPoint", "coordinates": points}
    return {"type": "GeometryCollection", "geometries": parts}


def _planar(a: Position, ref_lat: float) -> tuple[float, float]:
    """Equirectangular projection: good enough to compare short distances along a road."""
    return a[0] * math.cos(math.radians(ref_lat)), a[1]


def _seg_len(a: Position, b: Position) -> float:
    ref = (a[1] + b[1]) / 2
    ax, ay = _planar(a, ref)
    bx, by = _planar(b, ref)
    return math.hypot(bx - ax, by - ay)


def _midpoint_along(path: list[Position]) -> Position:
    """The point halfway along a path, interpolated on the segment that contains it."""
    lengths = [_seg_len(path[i], path[i + 1]) for i in range(len(path) - 1)]
    total = sum(lengths)
    if total == 0:
        return path[0]
    half = total / 2
    run = 0.0
    for i, length in enumerate(lengths):
        if run + length >= half and length > 0:
            t = (half - run) / length
            a, b = path[i], path[i + 1]
            return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
        run += length
    return path[-1]


def _closest_on_lines(lines: list[list[Position]]) -> Position:
    """The point of several lines closest to their length-weighted centre.

    Multi-part lines (a closure drawn as many short pieces, in any order) have no
    meaningful "halfway"; the point nearest the centre of mass is on the road and central.
    """
    weight = cx = cy = 0.0
    for line in lines:
        for a, b in zip(line, line[1:], strict=False):
            w = _seg_len(a, b) or 1e-12
            weight += w
            cx += w * (a[0] + b[0]) / 2
            cy += w * (a[1] + b[1]) / 2
    centre = [cx / weight, cy / weight]
    best, best_d = lines[0][0], math.inf
    for line in lines:
        for a, b in zip(line, line[1:], strict=False):
            ax, ay = _planar(a, centre[1])
            bx, by = _planar(b, centre[1])
            px, py = _planar(centre, centre[1])
            dx, dy = bx - ax, by - ay
            seg2 = dx * dx + dy * dy
            t = 0.0 if seg2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / seg2))
            d = math.hypot(ax + t * dx - px, ay + t * dy - py)
            if d < best_d:
                best_d = d
                best = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
    return best


def representative_point(geometry: Any) -> tuple[float, float] | None:
    """(lat, lon) that stands for a geometry on a map or in a list.

    A LineString gives its midpoint along its length; a MultiPoint is read as an ordered
    path (WZDx uses it for the start and end of an event) and gives its midpoint too; a
    MultiLineString gives the point on the lines nearest their centre; a polygon the
    mean of its outer ring. Invalid input gives None.
    """
    geom = clean_geometry(geometry)
    if geom is None:
        return None
    kind = geom.get("type")
    if kind == "GeometryCollection":
        for member in geom["geometries"]:
            if member["type"] in _LINE_TYPES:
                return representative_point(member)
        return representative_point(geom["geometries"][0])
    coords = geom["coordinates"]
    if kind == "Point":
        point = coords
    elif kind in ("LineString", "MultiPoint"):
        point = _midpoint_along(coords)
    elif kind == "MultiLineString":
        point = _midpoint_along(coords[0]) if len(coords) == 1 else _closest_on_lines(coords)
    else:
        ring = coords[0] if kind == "Polygon" else coords[0][0]
        ring = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
        point = [sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)]
    return round(point[1], 7), round(point[0], 7)
