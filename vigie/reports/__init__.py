"""The point de situation (situation report): `python -m vigie report sitrep` and the
Reports page both call `build()` then write or offer its files.

PDF: one self-contained file. Markdown: the text plus two PNG files beside it (the map and
the volume chart), referenced by relative name; the page offers the three as one ZIP.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vigie.exports import end_of_now, exercise_path
from vigie.reports.sitrep import Sitrep, gather
from vigie.store import Store

FORMATS = ("pdf", "md")
Progress = Callable[[float, str], None]   # (fraction done, step: aggregates/map/chart/...)


@dataclass
class Built:
    sitrep: Sitrep
    fmt: str
    main: bytes                        # the PDF, or the Markdown text as UTF-8
    pictures: dict[str, bytes] = field(default_factory=dict)   # suffix -> PNG (Markdown)
    timings: dict[str, float] = field(default_factory=dict)


def build(store: Store, fmt: str, *, since: str | None = None, until: str | None = None,
          progress: Progress | None = None, stem: str = "point-de-situation") -> Built:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    # Pillow, fpdf2 and fontTools load only when a report is made, not for every command.
    from vigie.reports.drawing import map_png, volume_png
    from vigie.reports.markdown import BUCKET_WORDS, render_markdown
    from vigie.reports.pdf import render_pdf

    step = progress or (lambda _f, _t: None)
    started = time.perf_counter()
    step(0.05, "aggregates")
    s = gather(store, since, until)
    timings = {f"sql_{k}": v for k, v in s.timings.items()}
    mark = time.perf_counter()
    step(0.45, "map")
    roads_period = store.report_roads(s.since, s.until)
    in_force = {r["id"] for r in s.roads_closed}
    departements = (s.incident or {}).get("departements") or ["21"]
    carte = map_png(departements=departements, density=s.density,
                    roads=[r for r in roads_period if r["id"] in in_force],
                    ended_roads=s.roads_reopened, places=s.top_places, exercise=s.exercise)
    step(0.65, "chart")
    chart = volume_png(s.volume, bucket_label=BUCKET_WORDS.get(s.bucket, ""),
                       exercise=s.exercise)
    timings["pictures"] = time.perf_counter() - mark
    mark = time.perf_counter()
    step(0.8, "layout")
    if fmt == "pdf":
        built = Built(s, fmt, render_pdf(s, map_png=carte, chart_png=chart))
    else:
        text = render_markdown(s, map_name=f"{stem}-carte.png",
                               chart_name=f"{stem}-volume.png")
        built = Built(s, fmt, text.encode("utf-8"),
                      {"-carte.png": carte, "-volume.png": chart})
    timings["layout"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    built.timings = timings
    step(1.0, "done")
    return built


def is_exercise(store: Store, since: str | None, until: str | None) -> bool:
    """Will the report say EXERCICE? (The same rule as `gather`, known before building.)"""
    incident = store.active_incident()
    return bool(incident and incident["exercise"]) or store.exercise_in_period(
        since, until or end_of_now())


def write(store: Store, fmt: str, out: Path, *, since: str | None = None,
          until: str | None = None) -> tuple[list[Path], Built]:
    """Build and write the report (renamed with EXERCICE during an exercise). Returns the
    files written, the report first."""
    out = exercise_path(Path(out), is_exercise(store, since, until))
    built = build(store, fmt, since=since, until=until, stem=out.stem)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(built.main)
    written = [out]
    for suffix, data in built.pictures.items():
        path = out.with_name(out.stem + suffix)
        path.write_bytes(data)
        written.append(path)
    return written, built


def markdown_zip(built: Built, stem: str) -> bytes:
    """The Markdown report and its pictures in one ZIP (for a browser download)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stem}.md", built.main)
        for suffix, data in built.pictures.items():
            z.writestr(f"{stem}{suffix}", data)
    return buf.getvalue()
