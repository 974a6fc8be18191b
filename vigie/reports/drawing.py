"""The report's two pictures, drawn with Pillow (already installed with fpdf2): a static map
(communes of the incident's départements from data/geo, road events, post density) and a
volume chart. PNG bytes, used by the PDF and written beside the Markdown report.

Drawn at twice the size and scaled down, for smooth lines without a plotting library.
"""

from __future__ import annotations

import io
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from vigie.geometry import clean_geometry
from vigie.reports.labels import LOCAL_TZ, ROAD_TYPES
from vigie.roads import event_style

GEO_DIR = Path(__file__).resolve().parents[2] / "data" / "geo"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
SS = 2  # supersampling factor
MAP_WIDTH = 1100
MAX_MAP_HEIGHT = 1250
DENSITY_COLOR = (245, 124, 0)
EXERCISE_RED = (176, 0, 32)

Bounds = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size * SS)


def _rings(geometry: dict[str, Any] | None) -> list[list[list[float]]]:
    if not geometry:
        return []
    if geometry["type"] == "Polygon":
        return geometry["coordinates"][:1]
    if geometry["type"] == "MultiPolygon":
        return [p[0] for p in geometry["coordinates"]]
    return []


@lru_cache(maxsize=8)
def communes(departement: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Outer rings of a département's communes, if data/geo has its GeoJSON."""
    rings: list[tuple[tuple[float, float], ...]] = []
    for path in sorted(GEO_DIR.glob(f"communes-{departement}-*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            rings.extend(tuple((p[0], p[1]) for p in ring)
                         for ring in _rings(feature.get("geometry")))
    return tuple(rings)


@lru_cache(maxsize=8)
def outline(departement: str) -> tuple[tuple[tuple[float, float], ...], ...]:
    rings: list[tuple[tuple[float, float], ...]] = []
    for path in sorted(GEO_DIR.glob(f"departement-{departement}-*.geojson")):
        data = json.loads(path.read_text(encoding="utf-8"))
        features = data.get("features") or [data]
        for feature in features:
            rings.extend(tuple((p[0], p[1]) for p in ring)
                         for ring in _rings(feature.get("geometry")))
    return tuple(rings)


def _lines(geometry: dict[str, Any] | None) -> list[list[list[float]]]:
    geometry = clean_geometry(geometry)
    if not geometry:
        return []
    kind, coords = geometry["type"], geometry.get("coordinates")
    if kind in ("LineString", "MultiPoint"):
        return [coords]
    if kind == "MultiLineString":
        return coords
    if kind == "Point":
        return [[coords, coords]]
    if kind == "GeometryCollection":
        return [line for g in geometry["geometries"] for line in _lines(g)]
    return []


def _bounds(points: list[tuple[float, float]]) -> Bounds | None:
    if not points:
        return None
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


class Projection:
    """Equirectangular around the map's centre latitude: fine at a département's scale."""

    def __init__(self, bounds: Bounds, width: int) -> None:
        min_lon, min_lat, max_lon, max_lat = bounds
        pad_lon = (max_lon - min_lon) * 0.04 or 0.05
        pad_lat = (max_lat - min_lat) * 0.04 or 0.05
        self.min_lon, self.max_lon = min_lon - pad_lon, max_lon + pad_lon
        self.min_lat, self.max_lat = min_lat - pad_lat, max_lat + pad_lat
        self.k = math.cos(math.radians((self.min_lat + self.max_lat) / 2))
        span_x = (self.max_lon - self.min_lon) * self.k
        span_y = self.max_lat - self.min_lat
        self.width = width * SS
        self.scale = self.width / span_x
        self.height = min(int(span_y * self.scale), MAX_MAP_HEIGHT * SS)
        self.scale = min(self.scale, self.height / span_y)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.min_lon) * self.k * self.scale,
                (self.max_lat - lat) * self.scale)

    def km_per_px(self) -> float:
        return 111.32 / self.scale


def _text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str,
          fnt: ImageFont.FreeTypeFont, fill=(30, 30, 30), halo=True) -> None:
    if halo:
        draw.text(xy, text, font=fnt, fill=fill, stroke_width=3 * SS // 2,
                  stroke_fill=(255, 255, 255))
    else:
        draw.text(xy, text, font=fnt, fill=fill)


def _legend(draw: ImageDraw.ImageDraw, proj: Projection, max_posts: int) -> None:
    items = [(ROAD_TYPES[t], event_style(t)["color"])
             for t in ("closure", "detour", "restriction")]
    items.append(("Route rouverte", [150, 150, 150]))
    fnt = font(13)
    line_h = 22 * SS
    box_h = line_h * (len(items) + 1) + 16 * SS
    x0, y0 = 12 * SS, proj.height - box_h - 12 * SS
    draw.rounded_rectangle((x0, y0, x0 + 390 * SS, y0 + box_h), radius=8 * SS,
                           fill=(255, 255, 255, 230), outline=(120, 120, 120), width=SS)
    y = y0 + 10 * SS
    for label, color in items:
        draw.line((x0 + 12 * SS, y + 9 * SS, x0 + 52 * SS, y + 9 * SS), fill=tuple(color),
                  width=6 * SS)
        _text(draw, (x0 + 62 * SS, y), label, fnt, halo=False)
        y += line_h
    r = 8 * SS
    draw.ellipse((x0 + 32 * SS - r, y + 9 * SS - r, x0 + 32 * SS + r, y + 9 * SS + r),
                 fill=DENSITY_COLOR + (150,), outline=(150, 70, 0))
    label = (f"Publications localisées (jusqu'à {max_posts} par maille de 3 km)"
             if max_posts else "Aucune publication localisée")
    _text(draw, (x0 + 62 * SS, y), label, fnt, halo=False)


def _scale_bar(draw: ImageDraw.ImageDraw, proj: Projection) -> None:
    km = 10 if proj.km_per_px() * proj.width > 60 else 2
    length = km / proj.km_per_px()
    x1, y = proj.width - 20 * SS, proj.height - 24 * SS
    x0 = x1 - length
    draw.line((x0, y, x1, y), fill=(40, 40, 40), width=3 * SS)
    for x in (x0, x1):
        draw.line((x, y - 6 * SS, x, y + 2 * SS), fill=(40, 40, 40), width=2 * SS)
    _text(draw, (x0, y - 26 * SS), f"{km} km", font(13))


def _road_lines(road: dict[str, Any]) -> list[list[list[float]]]:
    geometry = road.get("geometry")
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except ValueError:
            geometry = None
    lines = _lines(geometry)
    if not lines and road.get("lat") is not None and road.get("lon") is not None:
        lines = [[[road["lon"], road["lat"]], [road["lon"], road["lat"]]]]
    return lines


def map_png(*, departements: list[str], density: list[dict[str, Any]],
            roads: list[dict[str, Any]], places: list[dict[str, Any]], exercise: bool,
            ended_roads: list[dict[str, Any]] = ()) -> bytes:
    """The static map as PNG bytes: roads in force in colour, reopened ones in grey."""
    base = [ring for d in departements for ring in communes(d)]
    frame = [ring for d in departements for ring in outline(d)]
    road_lines = [(r["event_type"], _road_lines(r)) for r in roads]
    ended_lines = [line for r in ended_roads for line in _road_lines(r)]
    if base:
        bounds = _bounds([p for ring in base for p in ring])
    else:
        pts = [(d["lon"], d["lat"]) for d in density]
        pts += [tuple(p) for _k, lines in road_lines for line in lines for p in line]
        bounds = _bounds(pts) or (4.0, 46.0, 6.0, 48.0)
    proj = Projection(bounds, MAP_WIDTH)
    img = Image.new("RGBA", (proj.width, proj.height), (214, 228, 240, 255))
    draw = ImageDraw.Draw(img, "RGBA")
    for ring in base:
        draw.polygon([proj(*p) for p in ring], fill=(246, 245, 240), outline=(190, 190, 185))
    for ring in frame:
        draw.line([proj(*p) for p in ring], fill=(70, 70, 70), width=3 * SS, joint="curve")
    max_posts = max((d["posts"] for d in density), default=0)
    for d in sorted(density, key=lambda d: d["posts"]):
        x, y = proj(d["lon"], d["lat"])
        r = (3 + 19 * math.sqrt(d["posts"] / max_posts)) * SS
        draw.ellipse((x - r, y - r, x + r, y + r), fill=DENSITY_COLOR + (95,),
                     outline=(150, 70, 0, 160), width=SS)
    for line in ended_lines:
        draw.line([proj(*p) for p in line], fill=(150, 150, 150), width=4 * SS, joint="curve")
    order = {"detour": 0, "works": 1, "incident": 2, "restriction": 3, "closure": 4}
    for kind, lines in sorted(road_lines, key=lambda kl: order.get(kl[0], 0)):
        style = event_style(kind)
        for line in lines:
            pts = [proj(*p) for p in line]
            if len(pts) == 2 and pts[0] == pts[1]:
                x, y = pts[0]
                r = 6 * SS
                draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(style["color"]))
                continue
            draw.line(pts, fill=(255, 255, 255), width=(style["width"] + 5) * SS,
                      joint="curve")
            draw.line(pts, fill=tuple(style["color"]), width=(style["width"] + 1) * SS,
                      joint="curve")
    label_font = font(14, bold=True)
    taken: list[tuple[float, float, float, float]] = []
    for p in places[:10]:
        if p.get("lat") is None or p.get("lon") is None:
            continue
        x, y = proj(p["lon"], p["lat"])
        box = draw.textbbox((x + 8 * SS, y - 10 * SS), p["place"], font=label_font)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
               for b in taken):
            continue  # the busiest places come first: a quieter neighbour gives way
        taken.append(box)
        _text(draw, (x + 8 * SS, y - 10 * SS), p["place"], label_font)
    _legend(draw, proj, max_posts)
    _scale_bar(draw, proj)
    if exercise:
        _text(draw, (14 * SS, 10 * SS), "EXERCICE", font(26, bold=True), fill=EXERCISE_RED)
    out = img.convert("RGB").resize((proj.width // SS, proj.height // SS), Image.LANCZOS)
    out = out.quantize(colors=192, method=Image.Quantize.FASTOCTREE)  # a 4x smaller PNG
    buf = io.BytesIO()
    out.save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def _bucket_time(key: str, first: bool = False) -> str:
    """Axis label of a bucket in Paris time: the date at midnight and on the first bar."""
    from datetime import datetime

    full = key + "0000-01-01T00:00:00"[len(key):] + "+00:00"
    dt = datetime.fromisoformat(full).astimezone(LOCAL_TZ)
    if len(key) == 10 or (dt.hour == 0 and dt.minute == 0):
        return dt.strftime("%d/%m")
    label = dt.strftime("%H h %M" if len(key) > 13 else "%Hh")
    return dt.strftime("%d/%m ") + label if first else label


def volume_png(volume: list[dict[str, Any]], *, bucket_label: str, exercise: bool,
               width: int = 1100, height: int = 380) -> bytes:
    """Bars of posts per bucket, with a light grid and the peak labelled."""
    w, h = width * SS, height * SS
    img = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    left, right, top, bottom = 70 * SS, 20 * SS, 40 * SS, 50 * SS
    small = font(12)
    _text(draw, (left, 8 * SS), f"Publications {bucket_label}", font(15, bold=True),
          halo=False)
    if exercise:
        ex = "EXERCICE"
        tw = draw.textlength(ex, font=font(15, bold=True))
        _text(draw, (w - right - tw, 8 * SS), ex, font(15, bold=True), fill=EXERCISE_RED,
              halo=False)
    values = [int(v["posts"]) for v in volume]
    peak = max(values, default=0)
    if not values or peak == 0:
        _text(draw, (left, h / 2), "Aucune publication sur la période", small, halo=False)
    else:
        step = 10 ** max(0, len(str(peak)) - 1)
        while peak / step > 6:
            step *= 2
        top_value = math.ceil(peak / step) * step
        plot_h = h - top - bottom
        for tick in range(0, top_value + 1, step):
            y = h - bottom - plot_h * tick / top_value
            draw.line((left, y, w - right, y), fill=(225, 225, 225), width=SS)
            label = f"{tick:,}".replace(",", " ")
            tw = draw.textlength(label, font=small)
            _text(draw, (left - tw - 8 * SS, y - 8 * SS), label, small, fill=(90, 90, 90),
                  halo=False)
        slot = (w - left - right) / len(values)
        every = max(1, math.ceil(len(values) / 12))
        midnights = {i for i, row in enumerate(volume)
                     if len(row["bucket"]) > 10 and _bucket_time(row["bucket"]).count("/")}
        labelled = {i for i in range(len(values)) if i % every == 0
                    and not any(abs(i - m) < max(2, every // 2) for m in midnights)}
        labelled |= midnights | {0}
        for i, (row, value) in enumerate(zip(volume, values, strict=True)):
            x0 = left + i * slot + slot * 0.12
            x1 = left + (i + 1) * slot - slot * 0.12
            y = h - bottom - plot_h * value / top_value
            color = (200, 60, 20) if value == peak else (33, 110, 180)
            draw.rectangle((x0, y, max(x1, x0 + SS), h - bottom), fill=color)
            if i in labelled:
                label = _bucket_time(row["bucket"], first=(i == 0))
                tw = draw.textlength(label, font=small)
                _text(draw, ((x0 + x1) / 2 - tw / 2, h - bottom + 8 * SS), label, small,
                      fill=(60, 60, 60), halo=False)
            if value == peak:
                label = f"pic : {value:,}".replace(",", "\u202f")
                tw = draw.textlength(label, font=small)
                _text(draw, ((x0 + x1) / 2 - tw / 2, y - 20 * SS), label, small,
                      fill=(200, 60, 20), halo=False)
    draw.line((left, h - bottom, w - right, h - bottom), fill=(80, 80, 80), width=SS)
    out = img.resize((width, height), Image.LANCZOS)
    buf = io.BytesIO()
    out.save(buf, format="PNG", compress_level=6)
    return buf.getvalue()
