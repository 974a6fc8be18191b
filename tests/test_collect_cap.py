"""CAP collector: every google/cap-library test file, hostile XML, geometry, encodings."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from collectors import cap, capgeo
from collectors.base import Fetched, ParseError, Source
from tests.collect_helpers import FIXTURES, check_batch, load_expected

CASES = load_expected("cap")
SOURCE = Source(name="alertes", kind="cap", url="https://alertes.example/index.atom")
CAP_DIR = FIXTURES / "cap"


def fetched(name: str, **kwargs) -> Fetched:
    return Fetched(
        body=(CAP_DIR / name).read_bytes(), url=f"https://alertes.example/{name}", **kwargs
    )


def test_every_copied_file_has_an_expectation() -> None:
    copied = {
        p.name
        for p in CAP_DIR.iterdir()
        if p.is_file() and p.suffix in {".cap", ".atom", ".rss", ".edxlde"}
    }
    assert copied == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_cap_fixture(name: str) -> None:
    spec = CASES[name]
    if "parse_error" in spec:
        with pytest.raises(ParseError, match=spec["parse_error"]):
            cap.parse(fetched(name), SOURCE)
        return
    batch = cap.parse(fetched(name), SOURCE)
    check_batch(batch, spec, name, records="alerts")
    for alert in batch.alerts:
        assert alert.id.startswith("cap:") and len(alert.id) <= cap.MAX_ID_LENGTH
        assert alert.source == SOURCE.name
        _check_geometry(alert.geometry)


def _check_geometry(geometry: dict | None) -> None:
    """Every coordinate is [lon, lat] in range and every ring is closed."""
    if geometry is None:
        return
    if geometry["type"] == "GeometryCollection":
        for part in geometry["geometries"]:
            _check_geometry(part)
        return
    coords = geometry["coordinates"]
    rings = {
        "Point": lambda: [[coords]],
        "MultiPoint": lambda: [coords],
        "Polygon": lambda: coords,
        "MultiPolygon": lambda: [ring for poly in coords for ring in poly],
    }[geometry["type"]]()
    for ring in rings:
        for lon, lat in ring:
            assert -180 <= lon <= 180 and -90 <= lat <= 90
        if geometry["type"] in ("Polygon", "MultiPolygon"):
            assert ring[0] == ring[-1] and len(ring) >= 4


# -- hostile XML: refused before anything is read or fetched ---------------------------

_EVENTS: list[tuple[str, tuple]] = []
_WATCHING = False


def _audit(event: str, args: tuple) -> None:
    if _WATCHING and (event == "open" or event.startswith(("socket.", "urllib."))):
        _EVENTS.append((event, args))


sys.addaudithook(_audit)


@pytest.mark.parametrize("name", ["xee.cap", "xee.atom"])
def test_hostile_xml_reads_no_file_and_opens_no_connection(name: str) -> None:
    global _WATCHING
    document = fetched(name)
    cap.parse(fetched("canada.cap"), SOURCE)  # warm up lazy imports outside the watch
    _EVENTS.clear()
    _WATCHING = True
    try:
        with pytest.raises(ParseError, match="entités/DTD interdites"):
            cap.parse(document, SOURCE)
    finally:
        _WATCHING = False
    assert _EVENTS == []


def test_the_audit_hook_does_see_file_reads(tmp_path: Path) -> None:
    """Guard for the test above: the hook would notice an open()."""
    global _WATCHING
    _EVENTS.clear()
    _WATCHING = True
    try:
        (tmp_path / "x").write_text("x")
    finally:
        _WATCHING = False
    assert any(event == "open" for event, _ in _EVENTS)


@pytest.mark.parametrize(
    "body",
    [
        b'<!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&b;</identifier></alert>',
        b'<?xml version="1.0"?><!DOCTYPE alert SYSTEM "http://localhost:8080/x.dtd">'
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>',
    ],
)
def test_any_dtd_is_refused(body: bytes) -> None:
    with pytest.raises(ParseError, match="entités/DTD interdites"):
        cap.parse(Fetched(body=body), SOURCE)


# -- documents that are not alerts -----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "vide"),
        (b"<alert", "XML invalide"),
        (b"<html><body>Maintenance</body></html>", "document non reconnu"),
        (
            b'<EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0">'
            b"<contentObject><nonXMLContent><uri>http://x/a.pdf</uri></nonXMLContent>"
            b"</contentObject></EDXLDistribution>",
            "EDXL-DE sans alerte CAP",
        ),
    ],
)
def test_unusable_documents_are_parse_errors(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        cap.parse(Fetched(body=body), SOURCE)


def test_undeclared_latin1_is_read_with_the_http_charset() -> None:
    text = (CAP_DIR / "earthquake-iso8859-1.cap").read_bytes()
    undeclared = text.replace(b' encoding="ISO-8859-1"', b"")
    batch = cap.parse(
        Fetched(body=undeclared, headers={"content-type": "application/cap+xml; charset=latin-1"}),
        SOURCE,
    )
    assert "Usulután" in batch.alerts[0].headline


# -- indexes ---------------------------------------------------------------------------


def test_follow_is_bounded_by_max_documents() -> None:
    source = Source(name="ny", kind="cap", options={"max_documents": 1})
    batch = cap.parse(fetched("ny_index.rss"), source)
    assert len(batch.follow) == 1
    assert "1 documents CAP non suivis" in " ".join(batch.errors)


def test_fetch_full_follows_links_of_inline_entries() -> None:
    source = Source(name="nws", kind="cap", options={"fetch_full": True})
    batch = cap.parse(fetched("weather_index.atom"), source)
    assert batch.alerts == [] and len(batch.follow) == 2


def test_relative_links_resolve_against_the_index_url() -> None:
    body = (
        b'<rss version="2.0"><channel><item><title>T</title>'
        b"<link>/cap/alerte-1.xml</link></item></channel></rss>"
    )
    batch = cap.parse(Fetched(body=body, url="https://alertes.example/index.rss"), SOURCE)
    assert [r.url for r in batch.follow] == ["https://alertes.example/cap/alerte-1.xml"]


def test_build_request_is_a_conditional_get() -> None:
    state = cap.parse(fetched("weather.atom", headers={"etag": '"e1"'}), SOURCE).state
    assert cap.build_request(SOURCE, state).headers == {"If-None-Match": '"e1"'}


# -- geometry --------------------------------------------------------------------------


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * capgeo.EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def test_circle_polygon_stays_at_the_radius() -> None:
    ring = capgeo.circle_ring(47.322, 5.0415, 25.0)
    assert len(ring) == capgeo.CIRCLE_SIDES + 1 and ring[0] == ring[-1]
    for lon, lat in ring:
        assert abs(_km(5.0415, 47.322, lon, lat) - 25.0) < 0.01


def test_circle_across_the_antimeridian_keeps_longitudes_in_range() -> None:
    ring = capgeo.circle_ring(-16.0, 179.9, 50.0)
    assert all(-180 <= lon <= 180 for lon, _ in ring)


@pytest.mark.parametrize(
    ("text", "ring"),
    [
        ("47.3,5.0 47.4,5.1 47.3,5.2", [[5.0, 47.3], [5.1, 47.4], [5.2, 47.3], [5.0, 47.3]]),
        (
            "+47.3,5.0, +47.4,5.1, 47.3,5.2 47.3,5.0",
            [[5.0, 47.3], [5.1, 47.4], [5.2, 47.3], [5.0, 47.3]],
        ),
        ("47.3,5.0 47.4,5.1", None),
        ("147.3,5.0 47.4,5.1 47.3,5.2", None),
        ("", None),
    ],
)
def test_polygon_parsing(text: str, ring: list | None) -> None:
    assert capgeo.polygon_ring(text) == ring
