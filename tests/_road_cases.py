"""Data-driven checks shared by the road collector tests (feedparser style).

Each payload in tests/fixtures/<kind>/ has `<file>.expected.json` beside it:

    {"what": "...", "source": "cd21",
     "cases": [{"name": "...", "options": {...}, "date": "<HTTP Date header>",
                "count": 7, "rejected": 0, "by_type": {...}, "by_status": {...},
                "errors~": "substring of one batch error",
                "error": "substring of the ParseError, when the document is refused",
                "events": [{"id": "...", <RoadEvent field>: value, ...}]}]}

An expected event lists only the fields it checks. Extra keys: "geometry.type",
"geometry.points" (number of positions), "geometry.first" ([lon, lat]); a key ending
in "~" checks a substring; "lat"/"lon" compare within 1e-4 degree; "extra" is checked
as a subset (or exactly, when empty). Every event, expected or not, must also satisfy
the invariants of `assert_valid_event`.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import asdict
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from collectors.base import Batch, Fetched, ParseError, Source
from vigie.geometry import clean_geometry
from vigie.models import RoadEvent
from vigie.roads import EVENT_TYPES, normalise_schedule, status_at

FIXTURES = Path(__file__).parent / "fixtures"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def payloads(kind: str) -> list[Path]:
    """Data files of a kind's fixture folder (not licences, notes or expectations)."""
    return sorted(
        p for p in (FIXTURES / kind).iterdir()
        if p.is_file() and not p.name.startswith("LICENSE") and p.suffix != ".md"
        and not p.name.endswith(".expected.json")
    )


def cases(kind: str) -> list[Any]:
    """One pytest param per (payload, case); a payload without expectations fails."""
    params = []
    for path in payloads(kind):
        expected = path.with_name(path.name + ".expected.json")
        if not expected.exists():
            params.append(pytest.param(path, None, None, id=f"{path.name}::MISSING"))
            continue
        doc = json.loads(expected.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            params.append(pytest.param(path, doc, case, id=f"{path.name}::{case['name']}"))
    return params


def run(module: ModuleType, kind: str, body: bytes, options: dict[str, Any] | None = None,
        date: str | None = None, name: str = "test") -> Batch:
    source = Source(name=name, kind=kind, options=options or {})
    headers = {"date": date} if date else {}
    return module.parse(Fetched(body=body, headers=headers), source)


def check_case(module: ModuleType, kind: str, path: Path, doc: dict[str, Any] | None,
               case: dict[str, Any] | None) -> Batch | None:
    assert doc is not None and case is not None, f"{path.name} has no .expected.json beside it"
    name = case.get("source") or doc.get("source") or "test"
    body = path.read_bytes()
    if case.get("error"):
        with pytest.raises(ParseError, match=re.escape(case["error"])):
            run(module, kind, body, case.get("options"), case["date"], name)
        return None
    batch = run(module, kind, body, case.get("options"), case["date"], name)
    now = parsedate_to_datetime(case["date"])
    assert batch.complete_snapshot is True
    for event in batch.road_events:
        assert_valid_event(event, kind, name, now)
    assert len({e.id for e in batch.road_events}) == len(batch.road_events), "ids not unique"
    assert len(batch.road_events) == case["count"]
    if "rejected" in case:
        assert batch.rejected == case["rejected"], batch.errors
    if "by_type" in case:
        assert Counter(e.event_type for e in batch.road_events) == Counter(case["by_type"])
    if "by_status" in case:
        assert Counter(e.status for e in batch.road_events) == Counter(case["by_status"])
    if "errors~" in case:
        assert any(case["errors~"] in err for err in batch.errors), batch.errors
    by_id = {e.id: e for e in batch.road_events}
    for expected in case.get("events", []):
        assert expected["id"] in by_id, f"{expected['id']} not in {sorted(by_id)}"
        check_event(by_id[expected["id"]], expected)
    return batch


def positions(geometry: dict[str, Any] | None) -> list[list[float]]:
    """All positions of a geometry, flattened."""
    if not geometry:
        return []
    if geometry["type"] == "GeometryCollection":
        return [p for g in geometry["geometries"] for p in positions(g)]
    coords = geometry["coordinates"]
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2,
             "Polygon": 2, "MultiPolygon": 3}[geometry["type"]]
    items = [coords]
    for _ in range(depth):
        items = [c for item in items for c in item]
    return items


def check_event(event: RoadEvent, expected: dict[str, Any]) -> None:
    for key, want in expected.items():
        label = f"{event.id} {key}"
        if key == "geometry.type":
            assert event.geometry and event.geometry["type"] == want, label
        elif key == "geometry.points":
            assert len(positions(event.geometry)) == want, label
        elif key == "geometry.first":
            assert positions(event.geometry)[0] == pytest.approx(want, abs=1e-9), label
        elif key in ("lat", "lon"):
            got = getattr(event, key)
            assert (got is None) if want is None else got == pytest.approx(want, abs=1e-4), label
        elif key == "extra":
            if want == {}:
                assert event.extra == {}, label
            else:
                assert {k: event.extra.get(k) for k in want} == want, label
        elif key.endswith("~"):
            assert want in (getattr(event, key[:-1]) or ""), label
        else:
            assert getattr(event, key) == want, label


def assert_valid_event(event: RoadEvent, kind: str, source: str | None = None,
                       now: datetime | None = None) -> None:
    """What every road event must satisfy, whatever its feed."""
    assert isinstance(event, RoadEvent)
    assert event.kind == kind and event.id.startswith(f"{kind}:")
    if source is not None:
        assert event.source == source
    assert event.event_type in EVENT_TYPES
    assert event.status in ("active", "planned", "ended")
    for value in (event.starts_at, event.ends_at):
        assert value is None or _ISO.match(value), value
    for value in (event.road, event.description, event.detour, event.direction, event.commune):
        assert value is None or (isinstance(value, str) and value == value.strip() and value)
    assert event.geometry or event.road or event.description
    if event.geometry is not None:
        assert clean_geometry(event.geometry) == event.geometry, "geometry not clean"
        points = positions(event.geometry)
        assert event.lat is not None and event.lon is not None
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        assert min(lats) - 1e-6 <= event.lat <= max(lats) + 1e-6
        assert min(lons) - 1e-6 <= event.lon <= max(lons) + 1e-6
    for value in (event.lat, event.lon):
        assert value is None or math.isfinite(value)
    if event.schedule is not None:
        assert event.schedule and normalise_schedule(event.schedule) == event.schedule
    json.dumps(asdict(event), allow_nan=False)  # storable as JSON, no NaN
    if now is not None:
        assert event.status == status_at(event, now)
