"""Exports for partners: posts, claims, roads and map items as CSV, XLSX, GeoJSON or HXL.

`export()` is what `python -m vigie export` and the Reports page both call. Rows stream from
a store cursor into a file (constant memory). Authors are pseudonymised unless a coordinator
asks for them. When an exercise overlaps the period, the file says so twice: `EXERCICE` in its
name, and in an `exercice` column (CSV, XLSX, HXL) or property (GeoJSON, plus a top-level
`"exercise": true`); the XLSX "À propos" sheet repeats it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from vigie.exports import pseudonym
from vigie.exports.datasets import DATASETS, EXERCISE_MARK, Options
from vigie.exports.writers import CsvWriter, GeoJsonWriter, XlsxWriter
from vigie.models import iso, utc_now
from vigie.store import Store

FORMATS = ("csv", "xlsx", "geojson", "hxl")
EXTENSIONS = {"csv": ".csv", "xlsx": ".xlsx", "geojson": ".geojson", "hxl": ".hxl.csv"}
MEDIA_TYPES = {"csv": "text/csv", "hxl": "text/csv", "geojson": "application/geo+json",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
PROGRESS_EVERY = 5000

Progress = Callable[[int, int | None], None]


@dataclass
class ExportResult:
    path: Path
    rows: int
    exercise: bool


def end_of_now() -> str:
    """The default end of a period: now, including rows stamped within the current second."""
    return iso(utc_now() + timedelta(seconds=1))


def exercise_path(path: Path, exercise: bool) -> Path:
    """During an exercise the file name says EXERCICE (added in front if missing)."""
    if exercise and EXERCISE_MARK not in path.name.upper():
        return path.with_name(f"{EXERCISE_MARK}-{path.name}")
    return path


def default_name(dataset: str, fmt: str, exercise: bool, now: str | None = None) -> str:
    stamp = (now or iso(utc_now())).replace(":", "").replace("-", "")[:13] + "Z"
    mark = f"{EXERCISE_MARK}-" if exercise else ""
    return f"vigie-{mark}{dataset}-{stamp}{EXTENSIONS[fmt]}"


def export(store: Store, dataset: str, fmt: str, out: Path, *, since: str | None = None,
           until: str | None = None, with_authors: bool = False,
           progress: Progress | None = None) -> ExportResult:
    """Write one export to `out` (renamed with EXERCICE when needed); return where and how
    many rows. `with_authors` must only be set for a coordinator: callers check the role."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    until = until or end_of_now()
    exercise = store.exercise_in_period(since, until)
    author = (lambda a: a) if with_authors else pseudonym.for_store(store)
    opts = Options(since=since, until=until, exercise=exercise, author=author)
    ds = DATASETS[dataset](opts)
    out = exercise_path(Path(out), exercise)
    out.parent.mkdir(parents=True, exist_ok=True)
    incident = store.active_incident()
    meta = {
        "jeu": dataset, "genere": iso(utc_now()), "debut": since or "", "fin": until,
        "incident": incident["name"] if incident else "",
        "exercice": EXERCISE_MARK if exercise else "non",
        "auteurs": "noms d'origine" if with_authors else "pseudonymisés (HMAC-SHA256)",
        "source": "Vigie",
    }
    total = store.count_export_posts(since, until) if dataset == "posts" else None
    located = fmt == "geojson" and ds.geojson_located_only
    if fmt == "geojson":
        writer = GeoJsonWriter(out, ds.columns, meta=meta, name=f"vigie-{dataset}",
                               exercise=exercise)
    elif fmt == "xlsx":
        writer = XlsxWriter(out, ds.columns, sheet=dataset, meta=meta)
    else:
        writer = CsvWriter(out, ds.columns, hxl=(fmt == "hxl"))
    rows = 0
    try:
        for row in ds.rows(store, opts, located):
            if fmt == "geojson":
                writer.write(row, ds.geometry(row))
            else:
                writer.write(row)
            rows += 1
            if progress and rows % PROGRESS_EVERY == 0:
                progress(rows, total)
    finally:
        writer.close()
    if progress:
        progress(rows, total if total is not None else rows)
    return ExportResult(out, rows, exercise)
