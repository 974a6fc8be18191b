"""Streaming writers: CSV, HXL-tagged CSV, XLSX (constant memory) and GeoJSON (RFC 7946).

Each writer takes one row at a time and never holds the whole export, so a million posts
export in constant memory. Text cells that a spreadsheet would read as a formula (starting
with `=`, `+`, `-`, `@`, a tab or a carriage return) are defused with a leading `'`
(OWASP "CSV injection"); numbers stay numbers.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import IO, Any

import xlsxwriter

from vigie.exports.datasets import Column

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767
COORD_DECIMALS = 6


_FORMULA_CHARS = frozenset(FORMULA_START)


def defuse(text: str) -> str:
    """A text cell made inert for spreadsheets."""
    return "'" + text if text[:1] in _FORMULA_CHARS else text


def text_cell(value: Any) -> str | None:
    if value is None or value == "":
        return None
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text[:1] in _FORMULA_CHARS else text


def number_cell(value: Any) -> float | int | str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return defuse(str(value))
    return number if math.isfinite(number) else None


def cell(column: Column, row: dict[str, Any]) -> str | float | int | None:
    value = column.get(row)
    return number_cell(value) if column.number else text_cell(value)


def _cells(columns: tuple[Column, ...]) -> list[tuple[Any, Any]]:
    """(getter, formatter) per column, resolved once per export rather than once per cell."""
    return [(c.get, number_cell if c.number else text_cell) for c in columns]


class CsvWriter:
    """RFC 4180 CSV. `hxl=True` adds the HXL hashtag row under the header (plain UTF-8);
    plain CSV carries a UTF-8 byte-order mark so that Excel shows accents."""

    def __init__(self, path: Path, columns: tuple[Column, ...], *, hxl: bool = False) -> None:
        self.columns = columns
        self._cells = _cells(columns)
        self._fh: IO[str] = path.open("w", encoding="utf-8" if hxl else "utf-8-sig",
                                      newline="")
        self._csv = csv.writer(self._fh)
        self._csv.writerow([c.name for c in columns])
        if hxl:
            self._csv.writerow([c.hxl for c in columns])

    def write(self, row: dict[str, Any]) -> None:
        values = [fmt(get(row)) for get, fmt in self._cells]
        self._csv.writerow(["" if v is None else v for v in values])

    def close(self) -> None:
        self._fh.close()


class XlsxWriter:
    """XLSX in xlsxwriter's constant_memory mode: each row is flushed to disk as written.
    Every text goes through write_string (never read as a formula or a link); a sheet that
    reaches Excel's row limit continues on the next one. An "À propos" sheet holds the
    export's metadata (incident, period, EXERCICE)."""

    def __init__(self, path: Path, columns: tuple[Column, ...], *, sheet: str,
                 meta: dict[str, Any]) -> None:
        self.columns = columns
        self._cells = _cells(columns)
        self._book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "use_zip64": True})
        self._bold = self._book.add_format({"bold": True, "bg_color": "#DDDDDD"})
        self._sheet_name = sheet[:25]
        self._meta = meta
        self._sheets = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        self._sheets += 1
        name = self._sheet_name if self._sheets == 1 else f"{self._sheet_name} ({self._sheets})"
        self._ws = self._book.add_worksheet(name)
        for col, c in enumerate(self.columns):
            self._ws.write_string(0, col, c.name, self._bold)
        self._ws.freeze_panes(1, 0)
        self._row = 1

    def write(self, row: dict[str, Any]) -> None:
        if self._row >= XLSX_MAX_ROWS:
            self._new_sheet()
        for col, (get, fmt) in enumerate(self._cells):
            v = fmt(get(row))
            if v is None:
                continue
            if isinstance(v, str):
                self._ws.write_string(self._row, col, v[:XLSX_MAX_CELL])
            else:
                self._ws.write_number(self._row, col, v)
        self._row += 1

    def close(self) -> None:
        about = self._book.add_worksheet("À propos")
        for i, (key, value) in enumerate(self._meta.items()):
            about.write_string(i, 0, str(key), self._bold)
            about.write_string(i, 1, defuse("" if value is None else str(value)))
        self._book.close()


def _round_coords(coords: Any) -> Any:
    if isinstance(coords, list) and coords and isinstance(coords[0], (int, float)):
        return [round(float(x), COORD_DECIMALS) for x in coords]
    return [_round_coords(c) for c in coords]


def _ring_area(ring: list[list[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))


def _orient(rings: list[list[list[float]]]) -> list[list[list[float]]]:
    """RFC 7946 §3.1.6: exterior rings counterclockwise, holes clockwise."""
    out = []
    for i, ring in enumerate(rings):
        ccw = _ring_area(ring) > 0
        out.append(ring if ccw == (i == 0) else list(reversed(ring)))
    return out


def rfc7946(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """Coordinates rounded to 6 decimals (about 10 cm) and polygons wound as RFC 7946 asks."""
    if geometry is None:
        return None
    if geometry["type"] == "GeometryCollection":
        return {"type": "GeometryCollection",
                "geometries": [rfc7946(g) for g in geometry["geometries"]]}
    coords = _round_coords(geometry["coordinates"])
    if geometry["type"] == "Polygon":
        coords = _orient(coords)
    elif geometry["type"] == "MultiPolygon":
        coords = [_orient(p) for p in coords]
    return {"type": geometry["type"], "coordinates": coords}


class GeoJsonWriter:
    """A FeatureCollection written feature by feature. Foreign members at the top level
    (`name`, `exercise`, `metadata`) are allowed by RFC 7946 §6.1; every feature also carries
    the `exercice` property."""

    def __init__(self, path: Path, columns: tuple[Column, ...], *, meta: dict[str, Any],
                 name: str, exercise: bool) -> None:
        self.columns = [c for c in columns if c.hxl not in ("#geo+lat", "#geo+lon")]
        self._fh = path.open("w", encoding="utf-8")
        head = {"type": "FeatureCollection", "name": name, "exercise": exercise,
                "metadata": meta}
        self._fh.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n')
        self._first = True

    def write(self, row: dict[str, Any], geometry: dict[str, Any] | None) -> None:
        properties = {}
        for c in self.columns:
            value = c.get(row)
            properties[c.name] = value if value != "" else None
        feature = {"type": "Feature", "geometry": rfc7946(geometry), "properties": properties}
        if not self._first:
            self._fh.write(",\n")
        self._fh.write(json.dumps(feature, ensure_ascii=False, allow_nan=False,
                                  default=str))
        self._first = False

    def close(self) -> None:
        self._fh.write("\n]}\n")
        self._fh.close()
