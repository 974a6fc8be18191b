"""Fuzzing the parsers: whatever the bytes, a Batch (or rows) or a ParseError, nothing else.

Three kinds of input per parser: arbitrary bytes, real fixtures damaged at the
byte level (flips, cuts, insertions, duplicated slices), and, for the JSON
APIs, real objects whose fields are replaced by arbitrary JSON values.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors import bluesky, cap, fileimport, mastodon, rss
from collectors.base import Batch, Fetched, ParseError, Source
from tests.collect_helpers import FIXTURES

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PARSERS = {
    "rss": (rss, Source(name="f", kind="rss")),
    "mastodon": (mastodon, Source(name="f", kind="mastodon", options={"instance": "m.example"})),
    "bluesky": (bluesky, Source(name="f", kind="bluesky", options={"query": "x"})),
    "cap": (cap, Source(name="f", kind="cap")),
}


def _files(kind: str, *suffixes: str, limit: int = 400_000) -> list[bytes]:
    paths = sorted(p for p in (FIXTURES / kind).rglob("*") if p.suffix in suffixes)
    return [p.read_bytes() for p in paths if p.stat().st_size <= limit]


SAMPLES = {
    "rss": _files("rss", ".xml") + _files("cap", ".atom", ".rss"),
    "mastodon": _files("mastodon", ".json"),
    "bluesky": _files("bluesky", ".json", limit=60_000),
    "cap": _files("cap", ".cap", ".atom", ".rss", ".edxlde"),
}
IMPORT_SAMPLES = [
    p.read_bytes()
    for p in (FIXTURES / "fileimport").iterdir()
    if p.suffix in {".csv", ".jsonl", ".tsv"}
]


def _check(kind: str, body: bytes, url: str = "", headers: dict | None = None) -> None:
    module, source = PARSERS[kind]
    fetched = Fetched(body=body, url=url, headers=headers or {})
    try:
        batch = module.parse(fetched, source)
    except ParseError:
        return
    assert isinstance(batch, Batch)
    for record in [*batch.posts, *batch.alerts]:
        assert record.id and isinstance(record.id, str)
        json.dumps(getattr(record, "extra", {}))  # storable as JSON


@st.composite
def damaged(draw: st.DrawFn, samples: list[bytes]) -> bytes:
    """A real fixture with a few byte-level injuries."""
    data = bytearray(draw(st.sampled_from(samples)))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "repeat"]))
        at = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            end = min(len(data), at + draw(st.integers(1, 200)))
            data[at:at] = data[at:end]
    return bytes(data)


# -- arbitrary bytes and damaged real documents ----------------------------------------


@FUZZ
@given(body=st.binary(max_size=2048), kind=st.sampled_from(sorted(PARSERS)))
def test_arbitrary_bytes(body: bytes, kind: str) -> None:
    _check(kind, body)


@FUZZ
@given(data=st.data())
def test_damaged_feeds(data: st.DataObject) -> None:
    _check("rss", data.draw(damaged(SAMPLES["rss"])))


@FUZZ
@given(data=st.data())
def test_damaged_cap_documents(data: st.DataObject) -> None:
    _check("cap", data.draw(damaged(SAMPLES["cap"])), url="https://alertes.example/i.atom")


@FUZZ
@given(data=st.data(), kind=st.sampled_from(["mastodon", "bluesky"]))
def test_damaged_json_responses(data: st.DataObject, kind: str) -> None:
    _check(kind, data.draw(damaged(SAMPLES[kind])))


# -- real API objects with fields replaced by arbitrary JSON ---------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            paths.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value[:3]):
            paths.extend(_paths(child, (*prefix, index)))
    return paths


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(copy[head], rest, new)
    return copy


MASTODON_PAGE = json.loads((FIXTURES / "mastodon" / "vigie" / "boosts_fr.json").read_text("utf-8"))[
    :4
]
BLUESKY_ITEMS = [
    item
    for item in json.loads((FIXTURES / "bluesky" / "bluesky-posts.json").read_text("utf-8"))
    if "post" in item
][:6] + [json.loads((FIXTURES / "bluesky" / "bluesky-posts.json").read_text("utf-8"))[9]]


@st.composite
def mutated_json(draw: st.DrawFn, document: Any) -> bytes:
    paths = _paths(document)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        document = _replace(document, path, draw(JSON_VALUES))
        paths = _paths(document)
    return json.dumps(document).encode()


@FUZZ
@given(data=st.data())
def test_mastodon_statuses_with_odd_fields(data: st.DataObject) -> None:
    body = data.draw(mutated_json(MASTODON_PAGE))
    link = '<https://m.example/api/v1/timelines/public?max_id=1>; rel="next"'
    _check(
        "mastodon",
        body,
        url="https://m.example/api/v1/timelines/public?since_id=1&limit=1",
        headers={"link": link},
    )


@FUZZ
@given(data=st.data())
def test_bluesky_posts_with_odd_fields(data: st.DataObject) -> None:
    body = data.draw(mutated_json({"posts": BLUESKY_ITEMS, "cursor": "6"}))
    _check("bluesky", body, url="https://b.example/xrpc/x?limit=1&since=2025-01-01T00:00:00Z")


# -- the file importer -----------------------------------------------------------------


def _import(body: bytes, fmt: str | None) -> None:
    try:
        rows = list(fileimport.read_posts(io.BytesIO(body), fmt=fmt, source="fuzz"))
    except ParseError:
        return
    lines = [row.line for row in rows]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    for row in rows:
        assert (row.post is None) != (row.error is None)


@FUZZ
@given(body=st.binary(max_size=2048), fmt=st.sampled_from([None, "csv", "jsonl"]))
def test_import_arbitrary_bytes(body: bytes, fmt: str | None) -> None:
    _import(body, fmt)


@FUZZ
@given(data=st.data(), fmt=st.sampled_from([None, "csv", "jsonl"]))
def test_import_damaged_exports(data: st.DataObject, fmt: str | None) -> None:
    _import(data.draw(damaged(IMPORT_SAMPLES)), fmt)


@FUZZ
@given(text=st.text(max_size=400), fmt=st.sampled_from([None, "csv", "jsonl"]))
def test_import_arbitrary_text_streams(text: str, fmt: str | None) -> None:
    try:
        rows = list(fileimport.read_posts(io.StringIO(text), fmt=fmt))
    except ParseError:
        return
    assert all((row.post is None) != (row.error is None) for row in rows)


def test_fixture_sets_are_not_empty() -> None:
    assert all(SAMPLES.values()) and IMPORT_SAMPLES
    assert Path(FIXTURES / "cap" / "xee.cap").exists()
