"""pydeck layers shared by the Map, Roads and public pages.

Every datum carries its tooltip as two plain-text fields, `tip_title` and `tip`, which
the deck's one template places (Streamlit escapes the values it puts into the template;
we also turn "<" and ">" into look-alikes, so no value can ever form a tag, whatever the
renderer does). Every layer has an `id`, which is how
a click tells the page what was picked. The base is Vigie's own (communes, outline,
names: vigie/mapbase.py), so no tile server is needed; tiles are an option.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from vigie import mapbase
from vigie.geometry import clean_geometry
from vigie.roads import event_style
from vigie.ui.safe import clean

CATEGORY_RGB: dict[str, list[int]] = {
    "help_request": [229, 57, 53], "casualties": [183, 28, 28],
    "missing_or_found": [251, 140, 0], "infrastructure": [171, 71, 188],
    "roads_traffic": [255, 202, 40], "evacuation_shelter": [30, 136, 229],
    "caution_advice": [102, 187, 106], "solidarity": [38, 166, 154],
    "sympathy": [158, 158, 158], "other_relevant": [129, 212, 250],
    "not_relevant": [97, 97, 97],
}
UNCATEGORISED_RGB = [224, 224, 224]
SEVERITY_RGB = {"Extreme": [215, 25, 28], "Severe": [245, 124, 0], "Moderate": [255, 193, 7],
                "Minor": [255, 235, 59]}
SHELTER_RGB = [46, 160, 67]
TOOLTIP_STYLE = {"backgroundColor": "#1b1f2a", "color": "#fafafa", "fontSize": "13px",
                 "maxWidth": "360px", "whiteSpace": "pre-line", "border": "1px solid #444"}
TOOLTIP_HTML = "<b>{tip_title}</b><br/>{tip}"
PIXELS, METERS = pdk.types.String("pixels"), pdk.types.String("meters")
# pydeck turns every plain string into a JavaScript expression: literal strings must be
# wrapped (else "pixels" is read as a variable and the layer fails to initialise).
FONT = pdk.types.String("Noto Sans, DejaVu Sans, Arial, sans-serif")
# Every character a French or English name may need (a TextLayer only draws the characters
# of its atlas; "auto" would be an expression too).
CHARACTERS = pdk.types.String("".join(chr(c) for c in range(32, 127))
                              + "àâäæçéèêëîïôöœùûüÿÀÂÄÆÇÉÈÊËÎÏÔÖŒÙÛÜŸ’«»–—…°")
CARTO_STYLE = "https://basemaps.cartocdn.com/gl/dark-matter-gl-style/style.json"
JITTER_M = 600  # posts placed at a commune centre are spread around it by up to this
DASHES = 14  # a detour line is drawn as this many dashes


def tip_text(value: Any, limit: int = 300) -> str:
    """Collected text made safe for a tooltip: no control or direction characters, no
    angle brackets, bounded length."""
    text = clean("" if value is None else str(value)).replace("<", "‹").replace(">", "›")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tip(title: Any, *lines: Any) -> dict[str, str]:
    """A datum's tooltip: a title (shown in bold) and lines."""
    return {"tip_title": tip_text(title, 120),
            "tip": "\n".join(tip_text(line) for line in lines if line)}


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=default_serialize, separators=(",", ":"))


_FROZEN_JSON: dict[str, str] = {}


def frozen(layer: pdk.Layer, key: str) -> pdk.Layer:
    """Mark a layer that never changes (the communes, the outline, the names) under `key`:
    CompactDeck serializes it once per process instead of on every run (the communes of a
    département are 1.5 MB of JSON, 0.1 s per run of every map)."""
    layer.vigie_frozen_key = key
    return layer


class CompactDeck(pdk.Deck):
    """pydeck indents its JSON (two spaces per level, one number per line): five times
    the bytes for commune polygons. Same content, compact; frozen layers pre-serialized."""

    def to_json(self) -> str:
        layers, tokens = [], {}
        for layer in self.layers:
            key = getattr(layer, "vigie_frozen_key", None)
            if key is None:
                layers.append(layer)
                continue
            if key not in _FROZEN_JSON:
                _FROZEN_JSON[key] = _dumps(layer)
            token = f"@@vigie-frozen-{len(tokens)}@@"
            tokens[json.dumps(token)] = _FROZEN_JSON[key]
            layers.append(token)
        saved, self.layers = self.layers, layers
        try:
            text = _dumps(self)
        finally:
            self.layers = saved
        for token, value in tokens.items():
            text = text.replace(token, value, 1)
        return text


# ---------------------------------------------------------------------------- base


def base_layers(departements: Sequence[str], *, labels: bool = True,
                commune_tip: str = "") -> list[pdk.Layer]:
    """Communes (filled, thin borders), the département outline and the main names:
    built once per process and frozen (see `frozen`); callers must not change them."""
    return list(_base_layers(tuple(departements), labels, commune_tip))


@lru_cache(maxsize=32)
def _base_layers(deps: tuple[str, ...], labels: bool, commune_tip: str
                 ) -> tuple[pdk.Layer, ...]:
    key = f"base|{','.join(deps)}|{commune_tip}|"
    communes = {"type": "FeatureCollection", "features": [
        _with_tip(f, tip(f["properties"]["nom"], commune_tip))
        for f in mapbase.communes(deps)["features"]]}
    layers = [
        pdk.Layer("GeoJsonLayer", communes, id="communes", stroked=True, filled=True,
                  get_fill_color=[34, 39, 50, 255], get_line_color=[88, 96, 114, 255],
                  line_width_min_pixels=0.6, pickable=True, auto_highlight=True,
                  highlight_color=[255, 255, 255, 28]),
        pdk.Layer("GeoJsonLayer", mapbase.outline(deps), id="outline", stroked=True,
                  filled=False, get_line_color=[190, 198, 214, 255],
                  line_width_min_pixels=2.2, pickable=False),
    ]
    if labels:
        layers.append(label_layer(list(mapbase.labels(deps))))
    return tuple(frozen(layer, key + layer.id) for layer in layers)


def _with_tip(feature: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    """A copy of a GeoJSON feature with its tooltip (on the feature and in properties:
    the tooltip template reads either)."""
    return {**feature, **fields, "properties": {**feature["properties"], **fields}}


def label_layer(rows: list[dict[str, Any]]) -> pdk.Layer:
    return pdk.Layer("TextLayer", rows, id="labels", get_position=["lon", "lat"],
                     get_text="name", get_size=12, size_units=PIXELS,
                     get_color=[205, 210, 222, 230], get_pixel_offset=[0, -12],
                     character_set=CHARACTERS, font_family=FONT, font_weight=600,
                     outline_width=2, outline_color=[14, 17, 23, 255],
                     font_settings={"sdf": True}, pickable=False)


# --------------------------------------------------------------------------- posts


def _jitter(post_id: str, lat: float, lon: float) -> tuple[float, float]:
    """A stable offset (same post, same place) within JITTER_M of a commune centre."""
    digest = hashlib.blake2b(post_id.encode(), digest_size=4).digest()
    angle = digest[0] / 255 * 2 * math.pi
    dist = math.sqrt(int.from_bytes(digest[1:3], "big") / 65535) * JITTER_M
    dlat = dist * math.cos(angle) / 111_200
    dlon = dist * math.sin(angle) / (111_200 * max(math.cos(math.radians(lat)), 0.1))
    return lat + dlat, lon + dlon


def post_rows(posts: Iterable[dict[str, Any]], labels: dict[str, str],
              urgency_text: Callable[[float], str]) -> list[dict[str, Any]]:
    rows = []
    for p in posts:
        lat, lon = float(p["lat"]), float(p["lon"])
        if p.get("precision") != "exact":
            lat, lon = _jitter(p["id"], lat, lon)
        categories = p.get("categories") or []
        first = categories[0] if categories else None
        urgency = float(p.get("urgency") or 0)
        rows.append({
            "id": p["id"], "lat": lat, "lon": lon, "urgency": urgency,
            "radius": 220 + 900 * urgency,
            "color": [*CATEGORY_RGB.get(first, UNCATEGORISED_RGB), 215],
            **tip(" · ".join(x for x in (p.get("author"), p.get("place")) if x) or "—",
                       p.get("text"),
                       ", ".join(labels.get(c, c) for c in categories[:3]),
                       urgency_text(urgency) if urgency >= 0.05 else ""),
        })
    return rows


def posts_layer(rows: list[dict[str, Any]]) -> pdk.Layer:
    return pdk.Layer("ScatterplotLayer", rows, id="posts", get_position=["lon", "lat"],
                     get_radius="radius", radius_units=METERS, radius_min_pixels=3,
                     radius_max_pixels=16, get_fill_color="color", stroked=True,
                     get_line_color=[14, 17, 23, 200], line_width_min_pixels=0.5,
                     pickable=True, auto_highlight=True)


def bin_rows(bins: Iterable[dict[str, Any]], title: Callable[[int], str],
             cell_km: float) -> list[dict[str, Any]]:
    rows = []
    for b in bins:
        n = int(b["posts"])
        heat = min(1.0, float(b.get("max_urgency") or 0))
        rows.append({
            "id": f"bin:{b['gy']}:{b['gx']}", "lat": b["lat"], "lon": b["lon"], "posts": n,
            "radius": min(250 * math.sqrt(n), cell_km * 700),
            "color": [int(80 + 175 * heat), int(170 - 120 * heat), int(230 - 190 * heat), 190],
            **tip(title(n)),
        })
    return rows


def bins_layer(rows: list[dict[str, Any]]) -> pdk.Layer:
    return pdk.Layer("ScatterplotLayer", rows, id="bins", get_position=["lon", "lat"],
                     get_radius="radius", radius_units=METERS, radius_min_pixels=3,
                     radius_max_pixels=40, get_fill_color="color", stroked=True,
                     get_line_color=[255, 255, 255, 120], line_width_min_pixels=0.5,
                     pickable=True, auto_highlight=True)


def cluster_rows(clusters: Iterable[dict[str, Any]],
                 title: Callable[[int], str]) -> list[dict[str, Any]]:
    rows = []
    for c in clusters:
        n = int(c["posts"])
        rows.append({
            "id": c["cluster_id"], "lat": c["lat"], "lon": c["lon"], "posts": n,
            "label": str(n), "radius": 350 * math.sqrt(n),
            **tip(title(n), c.get("text")),
        })
    return rows


def cluster_layers(rows: list[dict[str, Any]]) -> list[pdk.Layer]:
    return [
        pdk.Layer("ScatterplotLayer", rows, id="clusters", get_position=["lon", "lat"],
                  get_radius="radius", radius_units=METERS, radius_min_pixels=7,
                  radius_max_pixels=48, get_fill_color=[0, 188, 212, 70], stroked=True,
                  get_line_color=[0, 229, 255, 230], line_width_min_pixels=1.5,
                  pickable=True, auto_highlight=True),
        pdk.Layer("TextLayer", rows, id="cluster_counts", get_position=["lon", "lat"],
                  get_text="label", get_size=12, get_color=[255, 255, 255, 240],
                  font_weight=700, character_set=CHARACTERS, font_family=FONT, outline_width=2,
                  outline_color=[14, 17, 23, 255], font_settings={"sdf": True},
                  pickable=False),
    ]


# --------------------------------------------------------------------------- roads


def _paths(geometry: Any) -> list[list[list[float]]]:
    geom = clean_geometry(geometry)
    if not geom:
        return []
    members = geom["geometries"] if geom["type"] == "GeometryCollection" else [geom]
    out: list[list[list[float]]] = []
    for g in members:
        if g["type"] == "LineString":
            out.append(g["coordinates"])
        elif g["type"] == "MultiLineString":
            out.extend(g["coordinates"])
        elif g["type"] == "MultiPoint" and len(g["coordinates"]) >= 2:
            out.append(g["coordinates"])
    return out


def road_rows(events: Iterable[dict[str, Any]], describe: Any
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(path rows, point rows): lines for events with a line geometry, and a marker for
    every located event (a 1 km closure is a speck at the département's scale; the
    marker keeps it visible and clickable). `describe(event)` gives the tooltip."""
    paths, points = [], []
    for e in events:
        style = event_style(e.get("event_type"))
        alpha = 110 if e.get("live_status") == "planned" else 235
        base = {"id": e["id"], "color": [*style["color"], alpha], "width": style["width"],
                **describe(e), "detour": e.get("event_type") == "detour"}
        for i, line in enumerate(_paths(e.get("geometry"))):
            paths.append({**base, "path": line, "part": i})
        if e.get("lat") is not None and e.get("lon") is not None:
            points.append({**base, "lat": e["lat"], "lon": e["lon"]})
    return paths, points


def _length(path: list[list[float]]) -> float:
    return sum(math.hypot((b[0] - a[0]) * math.cos(math.radians(a[1])), b[1] - a[1])
               for a, b in zip(path, path[1:], strict=False))


def _point_at(path: list[list[float]], distance: float) -> tuple[int, list[float]]:
    """(index of the segment, point) at `distance` (degrees, as _length) along a path."""
    run = 0.0
    for i, (a, b) in enumerate(zip(path, path[1:], strict=False)):
        seg = math.hypot((b[0] - a[0]) * math.cos(math.radians(a[1])), b[1] - a[1])
        if seg > 0 and run + seg >= distance:
            t = (distance - run) / seg
            return i, [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
        run += seg
    return len(path) - 2, path[-1]


def dashes(path: list[list[float]], count: int = DASHES) -> list[list[list[float]]]:
    """A path cut into `count` dashes (60 % drawn, 40 % gap) along its length. Drawn
    dashes keep a detour distinct from a closure in any renderer and without colour."""
    total = _length(path)
    if total == 0 or len(path) < 2:
        return [path]
    step = total / count
    out = []
    for k in range(count):
        i0, start = _point_at(path, k * step)
        i1, end = _point_at(path, k * step + 0.6 * step)
        out.append([start, *path[i0 + 1:i1 + 1], end])
    return out


def road_layers(paths: list[dict[str, Any]], points: list[dict[str, Any]]) -> list[pdk.Layer]:
    """Closures and the rest as solid lines, detours dashed, and the events' markers."""
    solid = [p for p in paths if not p["detour"]]
    dashed = [{**p, "path": piece} for p in paths if p["detour"] for piece in dashes(p["path"])]
    common = dict(get_path="path", get_color="color", get_width="width",
                  width_units=PIXELS, width_min_pixels=2, cap_rounded=False,
                  joint_rounded=True, pickable=True, auto_highlight=True)
    layers = [pdk.Layer("PathLayer", solid, id="roads", **common),
              pdk.Layer("PathLayer", dashed, id="detours", **common)]
    if points:
        layers.append(pdk.Layer(
            "ScatterplotLayer", points, id="road_points", get_position=["lon", "lat"],
            get_radius=5, radius_units=PIXELS, get_fill_color="color", stroked=True,
            get_line_color=[255, 255, 255, 230], line_width_min_pixels=1.2,
            pickable=True, auto_highlight=True))
    return layers


# ---------------------------------------------------------------- alerts and shelters


def alert_features(alerts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for a in alerts:
        geom = clean_geometry(a.get("geometry"))
        if not geom or geom["type"] not in ("Polygon", "MultiPolygon"):
            continue
        rgb = SEVERITY_RGB.get(a.get("severity"), [255, 193, 7])
        features.append(_with_tip({"type": "Feature", "geometry": geom, "properties": {
            "id": a["id"], "fill": [*rgb, 14], "line": [*rgb, 200]}},
            tip(a.get("headline") or a.get("event"), a.get("sender"), a.get("area"))))
    return {"type": "FeatureCollection", "features": features}


def alerts_layer(collection: dict[str, Any]) -> pdk.Layer:
    return pdk.Layer("GeoJsonLayer", collection, id="alerts", stroked=True, filled=True,
                     get_fill_color="properties.fill", get_line_color="properties.line",
                     line_width_min_pixels=1.5, pickable=True)


def shelter_rows(shelters: Iterable[dict[str, Any]], describe: Any) -> list[dict[str, Any]]:
    return [{"id": str(s["id"]), "lat": s["lat"], "lon": s["lon"], **describe(s)}
            for s in shelters if s.get("lat") is not None and s.get("lon") is not None]


def shelters_layer(rows: list[dict[str, Any]]) -> pdk.Layer:
    return pdk.Layer("ScatterplotLayer", rows, id="shelters", get_position=["lon", "lat"],
                     get_radius=9, radius_units=PIXELS, get_fill_color=[*SHELTER_RGB, 240],
                     stroked=True, get_line_color=[255, 255, 255, 255],
                     line_width_min_pixels=2, pickable=True, auto_highlight=True)


# ---------------------------------------------------------------------------- deck


def deck(layers: list[pdk.Layer], view: dict[str, float], *, tiles: bool = False) -> pdk.Deck:
    """A deck with Vigie's tooltip; no basemap unless `tiles` (which needs internet)."""
    options: dict[str, Any] = (
        {"map_provider": "carto", "map_style": CARTO_STYLE} if tiles
        # No provider and pydeck's default style marker: Streamlit then draws no basemap
        # and fetches nothing (map_style=None would make it fetch Carto's style).
        else {"map_provider": None})
    return CompactDeck(layers=layers, initial_view_state=pdk.ViewState(**view, pitch=0),
                       tooltip={"html": TOOLTIP_HTML, "style": TOOLTIP_STYLE}, **options)
