"""The point de situation, made by `python -m vigie report sitrep` on the replayed exercise:
the PDF opens (pdftotext, pdftoppm from poppler-utils), holds every section in French,
says EXERCICE on every page, prints counts of people and never a name; the Markdown says
the same; the period bounds the figures."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, ROOT
from tests.report_world import SECRET_NAME, TITLES, build_world
from vigie.reports.markdown import SECTION_TITLES
from vigie.reports.sitrep import buckets, keep_major
from vigie.store import PostFilter, Store

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
NO_POPPLER = ("pdftotext/pdftoppm missing: apt-get install -y poppler-utils "
              "(.ci/run installs it)")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = build_world(tmp_path_factory.mktemp("sitrep") / "vigie.db")
    yield store
    store.close()


def sitrep(store: Store, out: Path, fmt: str, *extra: str) -> list[Path]:
    done = subprocess.run([sys.executable, "-m", "vigie", "--db", str(store.path), "report",
                           "sitrep", "--format", fmt, "--out", str(out), *extra], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return [Path(line) for line in done.stdout.split()]


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def figure(text: str, label: str) -> int:
    match = re.search(re.escape(label) + r"\s+([\d\s\u202f\u00a0]+)", text)
    assert match, label
    return int(re.sub(r"\D", "", match.group(1)))


@pytest.fixture(scope="module")
def pdf(world: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not POPPLER:
        if os.environ.get("CI") == "true":
            pytest.fail(NO_POPPLER)
        pytest.skip(NO_POPPLER)
    (path,) = sitrep(world, tmp_path_factory.mktemp("pdf") / "pds.pdf", "pdf")
    return path


def test_the_pdf_opens_and_holds_every_section_in_french(pdf: Path) -> None:
    assert pdf.name == "EXERCICE-pds.pdf" and pdf.read_bytes().startswith(b"%PDF-")
    text = "\n".join(pdf_pages(pdf))
    for index, title in enumerate(SECTION_TITLES, start=1):
        assert f"{index}. {title}" in text, title
    assert "Point de situation" in text and "heure de Paris" in text


def test_every_pdf_page_says_exercice(pdf: Path) -> None:
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page.count("EXERCICE") >= 2, f"page {number}"  # header band and footer band


def test_the_pdf_reports_the_figures_of_the_database(pdf: Path, world: Store) -> None:
    text = "\n".join(pdf_pages(pdf))
    assert figure(text, "Publications sur la période") == world.count_posts(
        PostFilter(), cap=10**9)
    assert figure(text, "Rumeurs démenties sur la période") == len(TITLES)
    assert figure(text, "Faits vérifiés sur la période") == 1
    in_force = [r for r in world.road_events(statuses=("active",))
                if r["event_type"] == "closure"]
    assert figure(text, "Routes coupées ou déviées en fin de période") >= len(in_force) > 0
    for road in in_force:
        assert road["road"] in text and road["commune"] in text


def test_the_pdf_lists_debunks_and_the_timeline(pdf: Path) -> None:
    flat = " ".join(" ".join(pdf_pages(pdf)).split())
    for title in ("Pont-et-Massène", "Un requin dans les rues inondées", "Trompeur"):
        assert title in flat
    assert "Activation de la cellule de crise" in flat  # a main-courante decision
    assert "Vigilance ROUGE crues" in flat  # an official alert


def test_people_appear_as_counts_never_by_name(pdf: Path) -> None:
    text = "\n".join(pdf_pages(pdf))
    assert SECRET_NAME not in text and "Vermorel" not in text
    row = re.search(r"Personnes disparues\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", text)
    assert row and row.groups() == ("6", "0", "0", "6", "0")
    assert "@celine.roux" not in text  # no private author


def test_a_page_renders_as_an_image(pdf: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for page in (1, 4):
        prefix = ARTIFACTS / f"sitrep-page{page}"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                        "-singlefile", str(pdf), str(prefix)], check=True)
        image = prefix.with_suffix(".png")
        assert image.read_bytes().startswith(b"\x89PNG") and image.stat().st_size > 20_000


def test_the_markdown_report_has_every_section_and_its_pictures(world: Store,
                                                                tmp_path: Path) -> None:
    written = sitrep(world, tmp_path / "pds.md", "md")
    report, carte, volume = written
    text = report.read_text(encoding="utf-8")
    for index, title in enumerate(SECTION_TITLES, start=1):
        assert f"## {index}. {title} — EXERCICE" in text
    assert f"]({carte.name})" in text and f"]({volume.name})" in text
    assert carte.read_bytes().startswith(b"\x89PNG") and volume.read_bytes()[:4] == b"\x89PNG"
    assert SECRET_NAME not in text
    assert "\\#Intox" in text  # collected text is escaped, never markup


def test_the_period_bounds_the_figures(world: Store, tmp_path: Path) -> None:
    times = world.query("SELECT created_at FROM posts ORDER BY created_at")
    since, until = times[200]["created_at"], times[700]["created_at"]
    (report, *_pictures) = sitrep(world, tmp_path / "part.md", "md", "--since", since,
                                  "--until", until)
    text = report.read_text(encoding="utf-8")
    expected = world.count_posts(PostFilter(since=since, until=until), cap=10**9)
    assert figure(text.replace("|", " "), "Publications sur la période") == expected
    assert 0 < expected < len(times)


def test_a_real_incident_report_never_says_exercice(tmp_path: Path) -> None:
    store = Store(tmp_path / "real.db")
    store.create_incident("Crue de la Saône", exercise=False, area="Côte-d'Or (21)")
    report, *_ = sitrep(store, tmp_path / "pds.md", "md")
    assert report.name == "pds.md"
    assert "EXERCICE" not in report.read_text(encoding="utf-8")


def test_volume_buckets_tile_the_period_without_gaps() -> None:
    cuts = buckets("2026-11-25T09:19:44Z", "2026-11-25T18:05:00Z", "hour")
    assert cuts[0][1] == "2026-11-25T09:19:44Z" and cuts[-1][2] == "2026-11-25T18:05:00Z"
    assert all(a[2] == b[1] for a, b in zip(cuts, cuts[1:], strict=False))
    assert [c[0] for c in cuts][:2] == ["2026-11-25T09", "2026-11-25T10"]


def test_road_events_give_way_first_when_the_timeline_is_long() -> None:
    from vigie.reports.sitrep import Event

    events = [Event(f"2026-11-25T10:{i:02d}:00Z", "closure", f"D{i}") for i in range(50)]
    events.insert(0, Event("2026-11-25T09:00:00Z", "decision", "Activation"))
    kept, hidden = keep_major(events, limit=20)
    assert len(kept) == 20 and hidden == 31
    assert kept[0].kind == "decision" and kept[-1].text == "D49"
