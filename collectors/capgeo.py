"""CAP area shapes to GeoJSON.

CAP writes points as "lat,lon" (latitude first) separated by spaces; GeoJSON
wants [lon, lat]. A circle is "lat,lon radius" with the radius in kilometres;
the map draws polygons, so a circle becomes a 32-sided polygon (its centre and
radius are kept by the caller). A zero radius is a point.
"""

from __future__ import annotations

import math
import re
from typing import Any

from collectors.common import coordinates

EARTH_RADIUS_KM = 6371.0088
CIRCLE_SIDES = 32
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_PAIR_RE = re.compile(rf"({_NUMBER})\s*,\s*({_NUMBER})")
_CIRCLE_RE = re.compile(rf"^\s*({_NUMBER})\s*,\s*({_NUMBER})\s+({_NUMBER})\s*$")


def polygon_ring(text: str | None) -> list[list[float]] | None:
    """A closed [lon, lat] ring from a CAP polygon, or None if it is not one.

    Tolerates '+' signs and stray commas (seen in real NWS messages); refuses
    out-of-range coordinates and rings of fewer than three distinct points.
    """
    if not text:
        return None
    ring: list[list[float]] = []
    for lat_text, lon_text in _PAIR_RE.findall(text):
        point = coordinates(lat_text, lon_text)
        if point is None:
            return None
        ring.append([point[1], point[0]])
    if len({tuple(p) for p in ring}) < 3:
        return None
    if ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    return ring


def parse_circle(text: str | None) -> tuple[float, float, float] | None:
    """(lat, lon, radius_km) from "lat,lon radius", or None."""
    if not text:
        return None
    match = _CIRCLE_RE.match(text)
    if not match:
        return None
    point = coordinates(match.group(1), match.group(2))
    try:
        radius = float(match.group(3))
    except ValueError:
        return None
    if point is None or not math.isfinite(radius) or radius < 0 or radius > 20_000:
        return None
    return point[0], point[1], radius


def circle_ring(lat: float, lon: float, radius_km: float, sides: int = CIRCLE_SIDES) -> list:
    """A closed [lon, lat] ring approximating a circle on the sphere."""
    phi1, lam1 = math.radians(lat), math.radians(lon)
    delta = radius_km / EARTH_RADIUS_KM
    ring = []
    for i in range(sides):
        theta = 2 * math.pi * i / sides
        phi2 = math.asin(
            math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
        )
        lam2 = lam1 + math.atan2(
            math.sin(theta) * math.sin(delta) * math.cos(phi1),
            math.cos(delta) - math.sin(phi1) * math.sin(phi2),
        )
        lon2 = (math.degrees(lam2) + 540) % 360 - 180
        ring.append([round(lon2, 6), round(math.degrees(phi2), 6)])
    ring.append(list(ring[0]))
    return ring


def combine(rings: list[list], points: list[list[float]]) -> dict[str, Any] | None:
    """One GeoJSON geometry for every polygon ring and point of an alert."""
    polygons = [{"type": "Polygon", "coordinates": [r]} for r in rings]
    if rings and not points:
        if len(rings) == 1:
            return polygons[0]
        return {"type": "MultiPolygon", "coordinates": [[r] for r in rings]}
    if points and not rings:
        if len(points) == 1:
            return {"type": "Point", "coordinates": points[0]}
        return {"type": "MultiPoint", "coordinates": points}
    if rings and points:
        shapes = polygons + [{"type": "Point", "coordinates": p} for p in points]
        return {"type": "GeometryCollection", "geometries": shapes}
    return None
