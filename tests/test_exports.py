"""Exports for partners: every dataset in every format round-trips, HXL has its hashtag row,
GeoJSON is RFC 7946, formulas are defused, authors are pseudonymised, EXERCICE is marked,
and rows stream in constant memory."""

from __future__ import annotations

import csv
import json
import shutil
import tracemalloc
from pathlib import Path

import openpyxl
import pytest

from tests.report_world import build_world
from vigie import exports
from vigie.exports.datasets import DATASETS, departements
from vigie.exports.writers import FORMULA_START, defuse
from vigie.models import iso, utc_now
from vigie.store import PostFilter, Store
from vigie.store.posts import post_row

HXL_POSTS = ("#date+reported", "#loc", "#adm2+name", "#geo+lat", "#geo+lon", "#sector",
             "#status", "#description", "#meta+source_url")
# Metropolitan France (the enrichment may place a post in another département): lon
# -5.2..9.6, lat 41.3..51.1. The two ranges do not overlap, so a swapped pair cannot pass.
LON, LAT = (-5.5, 10.0), (41.0, 51.5)


@pytest.fixture(scope="module")
def world_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("world") / "vigie.db"
    build_world(path).close()
    return path


@pytest.fixture
def world(world_path: Path, tmp_path: Path) -> Store:
    copy = tmp_path / "world.db"
    shutil.copy(world_path, copy)
    store = Store(copy)
    yield store
    store.close()


def read_csv(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


def all_posts(store: Store) -> int:
    return store.count_posts(PostFilter(), cap=10**9)


# -- round trips -------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_csv_round_trips_every_row(world: Store, tmp_path: Path, dataset: str) -> None:
    result = exports.export(world, dataset, "csv", tmp_path / f"{dataset}.csv")
    rows = read_csv(result.path)
    columns = [c.name for c in DATASETS[dataset](None).columns]
    assert rows[0] == columns
    assert len(rows) - 1 == result.rows > 0
    assert all(len(r) == len(columns) for r in rows)


def test_posts_csv_holds_every_post_with_its_values(world: Store, tmp_path: Path) -> None:
    result = exports.export(world, "posts", "csv", tmp_path / "posts.csv")
    rows = read_csv(result.path)
    header = rows[0]
    assert result.rows == all_posts(world)
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    sample = world.query("SELECT id, text, lat, lon, created_at FROM posts "
                         "WHERE lat IS NOT NULL LIMIT 5")
    for post in sample:
        row = by_id[post["id"]]
        assert row["texte"] == defuse(post["text"])
        assert float(row["latitude"]) == pytest.approx(post["lat"])
        assert float(row["longitude"]) == pytest.approx(post["lon"])
        assert row["date"] == post["created_at"]


def test_xlsx_round_trips_with_numbers_as_numbers(world: Store, tmp_path: Path) -> None:
    result = exports.export(world, "posts", "xlsx", tmp_path / "posts.xlsx")
    book = openpyxl.load_workbook(result.path, read_only=True)
    assert book.sheetnames == ["posts", "À propos"]
    rows = list(book["posts"].iter_rows(values_only=True))
    header = list(rows[0])
    assert len(rows) - 1 == all_posts(world)
    lat = header.index("latitude")
    located = [r for r in rows[1:] if r[lat] is not None]
    assert located and all(isinstance(r[lat], float) for r in located)
    about = dict(book["À propos"].iter_rows(values_only=True))
    assert about["exercice"] == "EXERCICE" and about["jeu"] == "posts"


def test_claims_export_lists_verdicts_and_spread(world: Store, tmp_path: Path) -> None:
    rows = read_csv(exports.export(world, "claims", "csv", tmp_path / "c.csv").path)
    header, body = rows[0], rows[1:]
    status = header.index("statut")
    assert sorted(r[status] for r in body).count("false") == 6
    assert all(int(r[header.index("publications")]) > 0 for r in body)


# -- HXL ---------------------------------------------------------------------------------


def test_hxl_has_its_hashtag_row_under_the_header(world: Store, tmp_path: Path) -> None:
    result = exports.export(world, "posts", "hxl", tmp_path / "posts.hxl.csv")
    rows = read_csv(result.path, encoding="utf-8")
    tags = rows[1]
    assert all(t.startswith("#") for t in tags)
    for needed in HXL_POSTS:  # HXL matching: "#loc" matches "#loc+name"
        base, *attrs = needed.split("+")
        assert any(t.split("+")[0] == base and set(attrs) <= set(t.split("+")[1:])
                   for t in tags), needed
    named = [r for r in rows[2:] if r[tags.index("#loc+code")]]
    assert named, "the enrichment places some posts"
    for row in named:
        insee = row[tags.index("#loc+code")]
        assert row[tags.index("#adm2+code")] == insee[:2]
        assert row[tags.index("#adm2+name")] == departements()[insee[:2]]
    assert any(r[tags.index("#adm2+name")] == "Côte-d'Or" for r in named)


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_every_dataset_tags_every_column_in_hxl(world: Store, tmp_path: Path,
                                                dataset: str) -> None:
    rows = read_csv(exports.export(world, dataset, "hxl", tmp_path / "x.csv").path, "utf-8")
    assert len(rows[1]) == len(rows[0]) and all(t.startswith("#") for t in rows[1])
    assert "#meta+exercise" in rows[1]


# -- GeoJSON -----------------------------------------------------------------------------


def _positions(geometry: dict) -> list[list[float]]:
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return [coords]
    if kind in ("LineString", "MultiPoint"):
        return coords
    if kind in ("MultiLineString", "Polygon"):
        return [p for part in coords for p in part]
    if kind == "MultiPolygon":
        return [p for poly in coords for ring in poly for p in ring]
    raise AssertionError(kind)


def _ring_area(ring: list[list[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_geojson_is_an_rfc7946_feature_collection(world: Store, tmp_path: Path,
                                                  dataset: str) -> None:
    result = exports.export(world, dataset, "geojson", tmp_path / f"{dataset}.geojson")
    doc = json.loads(result.path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and doc["exercise"] is True
    assert len(doc["features"]) == result.rows
    for feature in doc["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        assert feature["properties"]["exercice"] == "EXERCICE"
        geometry = feature["geometry"]
        if geometry is None:
            assert dataset == "claims"
            continue
        assert geometry["type"] in ("Point", "LineString", "MultiLineString", "Polygon",
                                    "MultiPolygon", "MultiPoint")
        for lon, lat, *rest in _positions(geometry):
            assert not rest
            assert LON[0] <= lon <= LON[1] and LAT[0] <= lat <= LAT[1], (lon, lat)
        if geometry["type"] == "Polygon":
            assert _ring_area(geometry["coordinates"][0]) > 0  # counterclockwise exterior
            assert geometry["coordinates"][0][0] == geometry["coordinates"][0][-1]


def test_geojson_of_posts_holds_only_located_posts(world: Store, tmp_path: Path) -> None:
    result = exports.export(world, "posts", "geojson", tmp_path / "p.geojson")
    located = world.scalar("SELECT count(*) FROM posts WHERE lat IS NOT NULL")
    assert result.rows == located > 0


def test_the_map_export_has_roads_alerts_and_judged_claims(world: Store,
                                                           tmp_path: Path) -> None:
    doc = json.loads(exports.export(world, "map", "geojson", tmp_path / "m.geojson")
                     .path.read_text(encoding="utf-8"))
    layers = {f["properties"]["couche"] for f in doc["features"]}
    assert {"route", "alerte", "verification"} <= layers
    alerts = [f for f in doc["features"] if f["properties"]["couche"] == "alerte"]
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in alerts)


# -- safety --------------------------------------------------------------------------------

HOSTILE = ["=HYPERLINK(\"http://evil.invalid\",\"clic\")", "+33 6 12 34 56 78", "-2+3",
           "@SUM(A1:A9)", "\tcmd", "\rcmd"]


def _hostile_store(path: Path) -> Store:
    store = Store(path)
    from vigie.models import Post

    now = iso(utc_now())
    rows = [post_row(Post(id=f"test:{i}", source="t", kind="test", text=text, author=text,
                          lat=48.1, lon=-1.68, place=text),
                     collected_at=now, collector="t", fetched_at=now, incident_id=None)
            for i, text in enumerate(HOSTILE)]
    store.insert_post_rows(rows)
    return store


@pytest.mark.parametrize("fmt", ["csv", "hxl", "xlsx"])
def test_formula_cells_are_defused_and_numbers_are_not(tmp_path: Path, fmt: str) -> None:
    store = _hostile_store(tmp_path / "v.db")
    result = exports.export(store, "posts", fmt, tmp_path / f"p.{fmt}", with_authors=True)
    if fmt == "xlsx":
        # XLSX stores a carriage return as the escape "_x000D_", which Excel decodes and
        # openpyxl's default mode leaves as is
        rows = [[c.replace("_x000D_", "\r") if isinstance(c, str) else c for c in r]
                for r in openpyxl.load_workbook(result.path)["posts"]
                .iter_rows(values_only=True)]
        start = 1
    else:
        rows = read_csv(result.path, "utf-8" if fmt == "hxl" else "utf-8-sig")
        start = 2 if fmt == "hxl" else 1
    header = rows[0]
    for row in rows[start:]:
        for name in ("texte", "auteur", "commune"):
            value = row[header.index(name)]
            assert value.startswith("'") and value[1:] in HOSTILE, (name, value)
        lon = row[header.index("longitude")]
        assert float(lon) == -1.68 and not str(lon).startswith("'")
    for cell in (c for row in rows for c in row if isinstance(c, str) and not _number(c)):
        assert not cell.startswith(FORMULA_START)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_authors_are_pseudonymised_stably_unless_asked(world: Store, tmp_path: Path) -> None:
    first = read_csv(exports.export(world, "posts", "csv", tmp_path / "a.csv").path)
    again = read_csv(exports.export(world, "posts", "csv", tmp_path / "b.csv").path)
    col = first[0].index("auteur")
    authors = {r[col] for r in first[1:]}
    assert all(a.startswith("anon-") for a in authors)
    assert [r[col] for r in first[1:]] == [r[col] for r in again[1:]]
    assert len(authors) > 50  # distinct people stay distinct
    named = read_csv(exports.export(world, "posts", "csv", tmp_path / "n.csv",
                                    with_authors=True).path)
    # handles start with "@", which spreadsheets read as a formula: they come defused
    assert "'@Prefet21" in {r[col] for r in named[1:]}
    assert not any("Prefet21" in a for a in authors)


def test_pseudonyms_differ_between_databases(world: Store, tmp_path: Path) -> None:
    other = Store(tmp_path / "other.db")
    other.insert_post_rows([post_row(_post("@Prefet21"), collected_at="2026-01-01T00:00:00Z",
                                     collector="t", fetched_at=None, incident_id=None)])
    world.insert_post_rows([post_row(_post("@Prefet21", "x"), collected_at="2026-01-01T00:00:00Z",
                                     collector="t", fetched_at=None, incident_id=None)])
    a = exports.pseudonym.for_store(world)("@Prefet21")
    b = exports.pseudonym.for_store(other)("@Prefet21")
    assert a != b and a == exports.pseudonym.for_store(world)("@Prefet21")


def _post(author: str, suffix: str = ""):
    from vigie.models import Post

    return Post(id=f"test:p{suffix}", source="t", kind="test", text="texte", author=author,
                created_at="2026-01-01T00:00:00Z")


# -- EXERCICE, periods -------------------------------------------------------------------


def test_exports_say_exercice_in_the_name_and_in_a_column(world: Store, tmp_path: Path) -> None:
    result = exports.export(world, "roads", "csv", tmp_path / "routes.csv")
    assert result.exercise and result.path.name == "EXERCICE-routes.csv"
    rows = read_csv(result.path)
    assert {r[rows[0].index("exercice")] for r in rows[1:]} == {"EXERCICE"}


def test_a_real_incident_export_does_not_say_exercice(tmp_path: Path) -> None:
    store = _hostile_store(tmp_path / "real.db")
    store.create_incident("Crue réelle", exercise=False)
    result = exports.export(store, "posts", "csv", tmp_path / "posts.csv")
    assert not result.exercise and result.path.name == "posts.csv"
    rows = read_csv(result.path)
    assert {r[rows[0].index("exercice")] for r in rows[1:]} == {""}


def test_the_period_selects_rows(world: Store, tmp_path: Path) -> None:
    since, until = world.query_one(
        "SELECT min(created_at) AS a, max(created_at) AS b FROM posts").values()
    middle = world.scalar("SELECT created_at FROM posts ORDER BY created_at "
                          "LIMIT 1 OFFSET 600")
    result = exports.export(world, "posts", "csv", tmp_path / "half.csv", since=middle,
                            until=until)
    expected = world.count_posts(PostFilter(since=middle, until=until), cap=10**9)
    assert result.rows == expected and 0 < expected < all_posts(world)
    assert since < middle


# -- constant memory ---------------------------------------------------------------------


def test_a_large_export_streams_in_constant_memory(tmp_path: Path) -> None:
    """30,000 posts of ~1 kB: holding them would take tens of MB; streaming stays small."""
    store = Store(tmp_path / "big.db")
    now = "2026-11-25T12:00:00Z"
    text = "L'eau monte rue de la Liberté, " * 30
    from vigie.models import Post

    for start in range(0, 30_000, 5_000):
        store.insert_post_rows(post_row(Post(id=f"t:{i}", source="t", kind="test",
                                             text=f"{i} {text}", author=f"@user{i % 997}"),
                                        collected_at=now, collector="t", fetched_at=now,
                                        incident_id=None)
                               for i in range(start, start + 5_000))
    for fmt in ("csv", "xlsx"):
        tracemalloc.start()
        result = exports.export(store, "posts", fmt, tmp_path / f"big.{fmt}")
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert result.rows == 30_000
        assert peak < 12_000_000, f"{fmt}: peak {peak / 1e6:.1f} MB"
