"""The wall's small map: communes drawn from data/geo as the base (no tiles, works
offline), closures and detours, where posts came from in the last hour, open urgent
posts and spiking communes. No text from posts reaches the map (no tooltips)."""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from statistics import fmean
from typing import Any
from urllib.parse import quote

import streamlit as st

from vigie import spikes
from vigie.metrics import fragment_timer
from vigie.models import iso, utc_now
from vigie.roads import event_style
from vigie.ui import wall_data
from vigie.ui.maplayers import CompactDeck, frozen
from vigie.ui.session import get_store, still_allowed
from vigie.ui.wall_panels import REFRESH, heading
from vigie.ui.wall_panels import _ as labels

GEO = Path(__file__).resolve().parent.parent.parent / "data" / "geo"
COMMUNES = GEO / "communes-21-cote-d-or.geojson"
DEPARTEMENT = GEO / "departement-21-cote-d-or.geojson"
VIEW = {"latitude": 47.45, "longitude": 4.78, "zoom": 6.9}
# An empty map style (just a background), inline: Streamlit would otherwise fetch a tiled
# basemap from the internet, which a crisis room may not have. The communes are the base.
NO_TILES = ("data:application/json," + quote(json.dumps(
    {"version": 8, "sources": {}, "layers": [
        {"id": "background", "type": "background", "paint": {"background-color": "#04060b"}}]},
    separators=(",", ":"))))

_ = labels


def _simplify_ring(ring: list[list[float]], step: int) -> list[list[float]]:
    """Every `step`-th vertex at ~100 m precision, ring kept closed: a base map for a wall,
    not a survey (the file is 800 KB; this sends about a tenth of it)."""
    kept, last = [], None
    for i, (lon, lat, *_rest) in enumerate(ring):
        if i % step and i != len(ring) - 1:
            continue
        point = [round(lon, 3), round(lat, 3)]
        if point != last:
            kept.append(point)
            last = point
    if len(kept) >= 3 and kept[0] != kept[-1]:
        kept.append(kept[0])
    return kept if len(kept) >= 4 else [[round(c[0], 3), round(c[1], 3)] for c in ring]


@functools.lru_cache(maxsize=4)
def base_geojson(path: str, step: int = 3) -> dict[str, Any]:
    """The simplified base map, built once per process and shared (never modified: its
    layers are frozen, see maplayers.frozen; st.cache_data would copy 1.5 MB per run)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    features = []
    for feature in data.get("features", [data] if data.get("type") == "Feature" else []):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            coords = [_simplify_ring(r, step) for r in geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            coords = [[_simplify_ring(r, step) for r in poly] for poly in geometry["coordinates"]]
        else:
            continue
        features.append({"type": "Feature", "properties": {},
                         "geometry": {"type": geometry["type"], "coordinates": coords}})
    return {"type": "FeatureCollection", "features": features}


def _paths(geometry: Any) -> list[list[list[float]]]:
    if not isinstance(geometry, dict):
        return []
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "LineString":
        return [coords]
    if kind == "MultiLineString":
        return list(coords)
    if kind == "GeometryCollection":
        return [p for g in geometry.get("geometries", []) for p in _paths(g)]
    return []


def layers(store: Any, now) -> list[Any]:
    import pydeck as pdk

    roads, points = [], []
    for event in store.road_closures(limit=200, with_geometry=True):
        style = event_style(event["event_type"])
        roads.extend({"path": p, "color": style["color"]} for p in _paths(event.get("geometry")))
        if event.get("lat") is not None:  # a ring, so a short cut road shows from afar
            points.append({"position": [event["lon"], event["lat"]], "color": style["color"]})
    located = wall_data.located(now)
    _count, urgent = wall_data.urgent(now, limit=200)
    by_place: dict[str, list[tuple[float, float]]] = {}
    for p in located:
        if p.get("place"):
            by_place.setdefault(p["place"], []).append((p["lon"], p["lat"]))
    spiking = []
    for spike in store.active_spikes(iso(now - spikes.ACTIVE_FOR), limit=10):
        coords = by_place.get(spike["value"]) if spike["dimension"] == "place" else None
        if coords:
            spiking.append({"position": [fmean(c[0] for c in coords),
                                         fmean(c[1] for c in coords)]})
    return [
        frozen(pdk.Layer("GeoJsonLayer", base_geojson(str(COMMUNES)), stroked=True,
                         filled=True, get_fill_color=[20, 28, 44],
                         get_line_color=[58, 74, 102], line_width_min_pixels=0.6),
               f"wall|{COMMUNES}"),
        frozen(pdk.Layer("GeoJsonLayer", base_geojson(str(DEPARTEMENT), 1), stroked=True,
                         filled=False, get_line_color=[150, 170, 200],
                         line_width_min_pixels=2), f"wall|{DEPARTEMENT}"),
        pdk.Layer("ScatterplotLayer", [{"position": [p["lon"], p["lat"]]} for p in located],
                  get_position="position", get_fill_color=[255, 194, 51, 150],
                  radius_min_pixels=3, radius_max_pixels=3, get_radius=1),
        # Widths in metres with pixel bounds: deck.gl's pixel width units draw huge
        # polygons in Streamlit's build.
        pdk.Layer("PathLayer", roads, get_path="path", get_color="color", get_width=120,
                  width_min_pixels=5, width_max_pixels=9, cap_rounded=True),
        pdk.Layer("ScatterplotLayer", points, get_position="position", filled=True,
                  get_fill_color=[4, 6, 11], stroked=True, get_line_color="color",
                  line_width_min_pixels=3, radius_min_pixels=7, radius_max_pixels=7,
                  get_radius=1),
        pdk.Layer("ScatterplotLayer",
                  [{"position": [p["lon"], p["lat"]]} for p in urgent
                   if p.get("lat") is not None and p.get("lon") is not None],
                  get_position="position", get_fill_color=[255, 82, 82, 235],
                  get_line_color=[255, 255, 255], stroked=True, line_width_min_pixels=1.5,
                  radius_min_pixels=7, radius_max_pixels=7, get_radius=1),
        pdk.Layer("ScatterplotLayer", spiking, get_position="position", filled=False,
                  stroked=True, get_line_color=[255, 194, 51], line_width_min_pixels=4,
                  radius_min_pixels=22, radius_max_pixels=22, get_radius=1),
    ]


def fit_zoom(height: int) -> float:
    """The zoom at which Côte-d'Or (about 290 px tall at zoom 6.9) fills `height` px."""
    return round(6.9 + math.log2(max(height, 100) * 0.94 / 290), 2)


@st.fragment(run_every=REFRESH["map"])
@fragment_timer("wall.map")
@still_allowed("situation")
def map_panel(height: int = 330, zoom: float | None = None) -> None:
    """The map, zoomed so that the département fills its height."""
    import pydeck as pdk

    store = get_store()
    now = utc_now()
    with st.container(key="wall-panel-map"):
        heading(_("map"), at=now)
        try:
            deck_layers = layers(store, now)
        except Exception as exc:
            from vigie.ui.wall_panels import unavailable

            unavailable(exc, REFRESH["map"])
            return
        view = pdk.ViewState(**{**VIEW, "zoom": zoom or fit_zoom(height)})
        deck = CompactDeck(layers=deck_layers, initial_view_state=view, map_style=NO_TILES,
                        map_provider=None, tooltip=False)
        st.pydeck_chart(deck, height=height, width="stretch", key="wall-deck")
