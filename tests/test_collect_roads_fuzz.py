"""Road parsers never crash: any bytes, any mutation of a real fixture, any hostile XML.

The contract is `Batch` or `ParseError`, nothing else; the events of a Batch keep their
invariants (tests/_road_cases.assert_valid_event); XML with a DTD or entities is refused.
"""

from __future__ import annotations

import copy
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors import cifs, datex2, geojson, wzdx
from collectors.base import Batch, ParseError
from tests._road_cases import FIXTURES, assert_valid_event, payloads, run

PARSERS: dict[str, ModuleType] = {"wzdx": wzdx, "datex2": datex2, "cifs": cifs,
                                  "geojson": geojson}
FUZZ = settings(max_examples=int(os.environ.get("VIGIE_FUZZ_EXAMPLES", "60")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DATE = "Tue, 14 May 2024 08:00:00 GMT"
OPTIONS = {"geojson": [{}, {"preset": "litteralis"}]}


def _fixtures(suffixes: tuple[str, ...]) -> list[tuple[str, Path]]:
    return [(kind, p) for kind in PARSERS for p in payloads(kind) if p.suffix in suffixes]


JSON_FIXTURES = _fixtures((".json", ".geojson"))
XML_FIXTURES = _fixtures((".xml",))
ALL_FIXTURES = JSON_FIXTURES + XML_FIXTURES


def _parse_or_refuse(kind: str, body: bytes, options: dict[str, Any] | None = None) -> None:
    """The contract: a Batch whose events are valid, or a ParseError."""
    try:
        batch = run(PARSERS[kind], kind, body, options, DATE)
    except ParseError as exc:
        assert str(exc)  # a message a volunteer can read
        return
    assert isinstance(batch, Batch)
    for event in batch.road_events:
        assert_valid_event(event, kind)
    assert len({e.id for e in batch.road_events}) == len(batch.road_events)
    assert batch.rejected >= 0 and len(batch.errors) <= 40


# ----------------------------------------------------------------------- raw bytes


@FUZZ
@given(kind=st.sampled_from(sorted(PARSERS)), body=st.binary(max_size=600))
def test_arbitrary_bytes_give_a_batch_or_a_parse_error(kind, body):
    _parse_or_refuse(kind, body)


@FUZZ
@given(kind=st.sampled_from(sorted(PARSERS)), text=st.text(max_size=300),
       wrapper=st.sampled_from(["@", "[@]", '{"features": [@]}', '{"incidents": [@]}',
                                "<incidents>@</incidents>", "<d2LogicalModel>@</d2LogicalModel>"]))
def test_arbitrary_text_in_plausible_envelopes(kind, text, wrapper):
    _parse_or_refuse(kind, wrapper.replace("@", text, 1).encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.data())
def test_truncated_and_flipped_fixtures(data):
    kind, path = data.draw(st.sampled_from(ALL_FIXTURES))
    body = bytearray(path.read_bytes())
    cut = data.draw(st.integers(0, len(body)))
    body = body[:cut] if data.draw(st.booleans()) else body
    for _ in range(data.draw(st.integers(0, 4))):
        if body:
            body[data.draw(st.integers(0, len(body) - 1))] = data.draw(st.integers(0, 255))
    _parse_or_refuse(kind, bytes(body))


# ---------------------------------------------------------------- structured mutations

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30)
    | st.sampled_from(["2024-05-14T08:00:00Z", "14/05/2024 08:00", "47.3 5.0 47.4 5.1",
                       "LineString", "Point", "MultiLineString", "GeometryCollection",
                       "ROAD_CLOSED", "work-zone", "detour", "all-lanes-closed", "@id",
                       "1715666400000", "18:00-22:00", "-1e309", ""]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["type", "coordinates", "geometry", "properties",
                                       "features", "id", "core_details", "incident",
                                       "schedule", "geometries", "everyday"])
                      | st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _json_paths(node: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_json_paths(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_json_paths(value, (*path, index)))
    return found


def _json_mutate(doc: Any, data: st.DataObject) -> Any:
    for _ in range(data.draw(st.integers(1, 6))):
        paths = [p for p in _json_paths(doc) if p]
        if not paths:
            return data.draw(JSON_VALUES)
        path = data.draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        action = data.draw(st.sampled_from(["replace", "delete", "duplicate"]))
        if action == "replace":
            parent[path[-1]] = data.draw(JSON_VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return doc


_JSON_DOCS = {path: json.loads(path.read_text(encoding="utf-8")) for _, path in JSON_FIXTURES}


@FUZZ
@given(data=st.data())
def test_mutated_json_fixtures(data):
    kind, path = data.draw(st.sampled_from(JSON_FIXTURES))
    doc = _json_mutate(copy.deepcopy(_JSON_DOCS[path]), data)
    options = data.draw(st.sampled_from(OPTIONS.get(kind, [{}])))
    _parse_or_refuse(kind, json.dumps(doc, ensure_ascii=False).encode(), options)


XML_TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "true", "false", "suspended", "roadClosed", "noEntry", "both",
                     "monday", "25:99:00", "08:00:00+00:00", "2024-02-30T08:00:00Z",
                     "47.3 5.0 47.4", "95 200 96 201", "{\"type\":\"LineString\"}",
                     "{\"type\":\"GeometryCollection\",\"geometries\":[[[]]]}", "NaN", "1e400"]),
)
XSI_TYPES = ["RoadOrCarriagewayOrLaneManagement", "ReroutingManagement", "Accident",
             "SituationPublication", "TrafficRegulationPublication", "AccessRestriction",
             "SpeedLimit", "VehicleCondition", "loc:LinearLocation", "Bogus", ""]
XSI = "{http://www.w3.org/2001/XMLSchema-instance}type"


def _xml_mutate(root: ET.Element, data: st.DataObject) -> None:
    for _ in range(data.draw(st.integers(1, 6))):
        nodes = list(root.iter())
        node = data.draw(st.sampled_from(nodes))
        action = data.draw(st.sampled_from(["text", "remove", "duplicate", "xsi", "id"]))
        parents = {c: p for p in nodes for c in p}
        if action == "text":
            node.text = data.draw(XML_TEXTS)
        elif action == "xsi":
            node.set(XSI, data.draw(st.sampled_from(XSI_TYPES)))
        elif action == "id":
            node.set("id", data.draw(st.sampled_from(["", "x", "dup", "ü/é"])))
        elif node in parents:
            if action == "remove":
                parents[node].remove(node)
            else:
                parents[node].append(copy.deepcopy(node))


@FUZZ
@given(data=st.data())
def test_mutated_xml_fixtures(data):
    kind, path = data.draw(st.sampled_from(XML_FIXTURES))
    root = ET.fromstring(path.read_bytes())  # trusted fixture: plain ElementTree is fine here
    _xml_mutate(root, data)
    _parse_or_refuse(kind, ET.tostring(root, encoding="utf-8"))


# --------------------------------------------------------------------- hostile input

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE incidents [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<incidents><incident id="1"><type>ROAD_CLOSED</type><description>&lol4;</description>
<polyline>47.3 5.0 47.4 5.1</polyline></incident></incidents>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE d2LogicalModel [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<d2LogicalModel xmlns="http://datex2.eu/schema/2/2_0"><payloadPublication>
<situation id="s"><situationRecord id="r"><generalPublicComment><comment><values>
<value>&xxe;</value></values></comment></generalPublicComment></situationRecord></situation>
</payloadPublication></d2LogicalModel>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE incidents SYSTEM "http://localhost:8080/cifs.dtd">
<incidents><incident id="1"><type>ROAD_CLOSED</type></incident></incidents>"""
HOSTILE = {
    "xee.cap": (FIXTURES / "roads_hostile" / "xee.cap").read_bytes(),
    "xee.atom": (FIXTURES / "roads_hostile" / "xee.atom").read_bytes(),
    "billion_laughs": BILLION_LAUGHS,
    "external_entity": EXTERNAL_ENTITY,
    "external_dtd": EXTERNAL_DTD,
}


@pytest.mark.parametrize("kind", ["datex2", "cifs"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_xml_parsers_refuse_dtds_and_entities(kind, name):
    with pytest.raises(ParseError, match="DTD ou des entités"):
        run(PARSERS[kind], kind, HOSTILE[name])


@pytest.mark.parametrize("kind", ["wzdx", "geojson"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_json_parsers_report_xml_as_unreadable(kind, name):
    with pytest.raises(ParseError, match="illisible"):
        run(PARSERS[kind], kind, HOSTILE[name])


@pytest.mark.parametrize("kind", sorted(PARSERS))
@pytest.mark.parametrize("body", [b"", b"   \n", b"[" * 200_000 + b"]" * 200_000,
                                  b"<a>" * 50_000 + b"</a>" * 50_000, b"\xff\xfe\x00\x00",
                                  b"null", b"42", b'"text"'])
def test_degenerate_documents(kind, body):
    _parse_or_refuse(kind, body)


def test_a_feed_that_only_partly_fails_keeps_its_good_items():
    """One bad incident among good ones is counted, not fatal."""
    body = json.dumps([
        {"id": "a", "type": "ROAD_CLOSED", "polyline": "47.3 5.0 47.4 5.1", "street": "D1"},
        {"id": "b", "type": None, "polyline": {"x": 1}},
        {"id": "c", "type": "HAZARD", "polyline": "47.3 5.0", "street": "D2"},
    ]).encode()
    batch = run(cifs, "cifs", body, None, DATE)
    assert [e.id for e in batch.road_events] == ["cifs:a", "cifs:c"]
    assert batch.rejected == 1 and batch.errors


OPTION_KEYS = ["mapping", "event_type_map", "filter", "extra", "timezone", "preset",
               "default_event_type", "commune_from_parentheses", "lang"]
FIELD_NAMES = st.sampled_from(["id", "road", "description", "starts_at", "ends_at",
                               "event_type", "direction", "commune", "detour", "bogus"])
PROPERTY_NAMES = st.sampled_from(["localisations", "mesure", "nommodele", "arretedebut",
                                  "emetteurlibelle", "@id", "libelle", "route", "x"])
OPTION_VALUES = st.one_of(
    JSON_VALUES,
    st.dictionaries(FIELD_NAMES, PROPERTY_NAMES | st.lists(PROPERTY_NAMES, max_size=3)),
    st.dictionaries(st.text(max_size=10), st.sampled_from(["closure", "works", "nope"])),
    st.sampled_from(["litteralis", "Europe/Paris", "UTC", "Mars/Olympus", "en", "fr"]),
)


@FUZZ
@given(kind=st.sampled_from(sorted(PARSERS)),
       options=st.dictionaries(st.sampled_from(OPTION_KEYS), OPTION_VALUES, max_size=4))
def test_any_source_options_give_a_batch_or_a_parse_error(kind, options):
    for path in payloads(kind)[:3]:
        _parse_or_refuse(kind, path.read_bytes(), options)
