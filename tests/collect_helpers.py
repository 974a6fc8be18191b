"""Shared plumbing for the data-driven collector tests (tests/test_collect_*.py).

Each `tests/fixtures/<kind>/expected.json` maps a fixture path (relative to
that folder) to what the parser must produce:

    {"posts": 2, "rejected": 0, "warning": false,
     "first": {"id": "...", "lat": 47.3}, "all": {"kind": "rss"},
     "state": {"etag": "foo"}, "follow": 1}

or {"parse_error": "substring of the message"}. Only the keys present are
checked, so a fixture states exactly what it demonstrates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def load_expected(kind: str) -> dict[str, dict[str, Any]]:
    with open(FIXTURES / kind / "expected.json", encoding="utf-8") as fh:
        cases = json.load(fh)
    return {name: spec for name, spec in cases.items() if not name.startswith("_")}


def _walk(record: Any, path: str) -> Any:
    """'extra.geometry.type', 'infos.1.lang', 'geometry.coordinates.0.0': None if absent."""
    parts = path.split(".")
    got: Any = getattr(record, parts[0])
    for part in parts[1:]:
        if isinstance(got, dict):
            got = got.get(part)
        elif isinstance(got, list) and part.lstrip("-").isdigit():
            index = int(part)
            got = got[index] if -len(got) <= index < len(got) else None
        else:
            got = getattr(got, part, None)
    return got


def check_record(record: Any, spec: dict[str, Any], where: str) -> None:
    """Compare selected fields; `text_contains`/`text_startswith` check substrings."""
    for key, want in spec.items():
        if key == "text_contains":
            for piece in want if isinstance(want, list) else [want]:
                assert piece in record.text, f"{where}: {piece!r} not in {record.text!r}"
        elif key == "text_absent":
            for piece in want if isinstance(want, list) else [want]:
                assert piece not in record.text, f"{where}: {piece!r} in {record.text!r}"
        elif "." in key:
            got = _walk(record, key)
            assert got == want, f"{where}: {key} = {got!r}, want {want!r}"
        else:
            got = getattr(record, key)
            if isinstance(want, float) and got is not None:
                assert abs(got - want) < 1e-6, f"{where}: {key} = {got!r}, want {want!r}"
            else:
                assert got == want, f"{where}: {key} = {got!r}, want {want!r}"


def check_batch(batch: Any, spec: dict[str, Any], name: str, records: str = "posts") -> None:
    items = getattr(batch, records)
    if records in spec:
        want = spec[records]
        assert len(items) == want, f"{name}: {len(items)} {records}, want {want}"
    if "rejected" in spec:
        assert batch.rejected == spec["rejected"], f"{name}: rejected {batch.rejected}"
    if "warning" in spec:
        warned = any("mal formé" in e for e in batch.errors)
        assert warned == spec["warning"], f"{name}: errors {batch.errors}"
    if "errors_contain" in spec:
        joined = " | ".join(batch.errors)
        assert spec["errors_contain"] in joined, f"{name}: errors {batch.errors}"
    if "state" in spec:
        assert batch.state == spec["state"], f"{name}: state {batch.state}"
    if "follow" in spec:
        assert len(batch.follow) == spec["follow"], f"{name}: follow {batch.follow}"
    if "follow_urls" in spec:
        got = [request.url for request in batch.follow]
        assert got == spec["follow_urls"], f"{name}: follow {got}"
    if "first" in spec:
        assert items, f"{name}: no {records}"
        check_record(items[0], spec["first"], f"{name}[0]")
    for index_text, fields in spec.get("items", {}).items():
        check_record(items[int(index_text)], fields, f"{name}[{index_text}]")
    by_id = {item.id: item for item in items}
    for wanted_id, fields in spec.get("by_id", {}).items():
        assert wanted_id in by_id, f"{name}: no record {wanted_id}"
        check_record(by_id[wanted_id], fields, f"{name}[{wanted_id}]")
    if "all" in spec:
        for i, item in enumerate(items):
            check_record(item, spec["all"], f"{name}[{i}]")
    ids = [item.id for item in items]
    assert len(ids) == len(set(ids)), f"{name}: duplicate ids in one batch"
