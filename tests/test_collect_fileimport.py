"""File import: CSV/JSONL exports, bad rows with line numbers, streaming, a real labelled set."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest

from collectors import fileimport
from collectors.base import Fetched, ParseError, Source
from collectors.fileimport import read_posts
from tests.collect_helpers import FIXTURES, check_record

FOLDER = FIXTURES / "fileimport"
CASES = {
    name: spec
    for name, spec in json.loads((FOLDER / "expected.json").read_text("utf-8")).items()
    if not name.startswith("_")
}
CRISISLEX = FOLDER / "crisislex" / "2012_Colorado_wildfires-tweets_labeled.csv"


@pytest.mark.parametrize("name", sorted(CASES))
def test_import_fixture(name: str) -> None:
    spec = CASES[name]
    rows = list(read_posts(FOLDER / name, source="essai"))
    assert len(rows) == spec["rows"]
    assert sum(1 for r in rows if r.post) == spec["posts"]
    by_line = {r.line: r for r in rows}
    assert len(by_line) == len(rows), "line numbers are unique"
    errors = {r.line: r.error for r in rows if r.error}
    assert set(errors) == {int(n) for n in spec.get("errors", {})}
    for line, piece in spec.get("errors", {}).items():
        assert piece in errors[int(line)]
        assert by_line[int(line)].post is None
    for line, fields in spec.get("lines", {}).items():
        row = by_line[int(line)]
        assert row.post is not None and row.error is None, row
        check_record(row.post, fields, f"{name}:{line}")
    ids = [r.post.id for r in rows if r.post]
    assert len(ids) == len(set(ids))


def test_crisislex_labels_match_a_plain_csv_reading() -> None:
    with open(CRISISLEX, newline="", encoding="utf-8") as handle:
        plain = list(csv.reader(handle))
    header = [h.strip() for h in plain[0]]
    expected = Counter(row[header.index("Informativeness")].strip() for row in plain[1:])
    posts = [r.post for r in read_posts(CRISISLEX, source="crisislex") if r.post]
    assert Counter(p.extra["Informativeness"] for p in posts) == expected
    assert sum(expected.values()) == 1200


def test_same_content_same_id_without_native_ids() -> None:
    data = b'{"text": "Eau potable distribu\xc3\xa9e", "author": "mairie"}\n'
    first = next(read_posts(io.BytesIO(data), fmt="jsonl", source="s")).post
    again = next(read_posts(io.BytesIO(data), fmt="jsonl", source="s")).post
    other = next(read_posts(io.BytesIO(data.replace(b"mairie", b"sdis")), fmt="jsonl")).post
    assert first.id == again.id != other.id
    assert first.id.startswith("file:s:")


def test_mapping_names_columns_and_dotted_json_paths() -> None:
    csv_data = "Horodatage,Qui,Contenu,Commune\n2024-10-01 12:00,sdis21,Pont fermé,Dijon\n"
    row = next(
        read_posts(
            io.StringIO(csv_data),
            fmt="csv",
            mapping={
                "text": "Contenu",
                "author": "Qui",
                "created_at": "Horodatage",
                "place": "Commune",
            },
        )
    )
    assert (row.post.text, row.post.author, row.post.place) == ("Pont fermé", "sdis21", "Dijon")
    assert row.post.created_at == "2024-10-01T12:00:00Z"
    json_line = b'{"msg": {"body": "Coupure"}, "who": "enedis"}\n'
    post = next(
        read_posts(io.BytesIO(json_line), mapping={"text": "msg.body", "author": "who"})
    ).post
    assert (post.text, post.author) == ("Coupure", "enedis")


def test_a_mapping_to_a_missing_column_is_a_file_error() -> None:
    with pytest.raises(ParseError, match="absente"):
        list(read_posts(io.StringIO("a,b\n1,2\n"), fmt="csv", mapping={"text": "message"}))
    with pytest.raises(ParseError, match="champs inconnus"):
        list(read_posts(io.StringIO("a\n"), fmt="csv", mapping={"texte": "a"}))


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (b"", "csv", "vide"),
        (b"colonne1,colonne2\n1,2\n", "csv", "colonne de texte introuvable"),
        (b'[{"text": "x"}]', None, "tableau JSON"),
        (b"x", "xml", "format inconnu"),
    ],
)
def test_unreadable_files_raise_parse_error(data: bytes, fmt: str | None, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        list(read_posts(io.BytesIO(data), fmt=fmt))


def test_format_is_detected_from_content_when_the_name_says_nothing() -> None:
    jsonl = io.BytesIO(b'\xef\xbb\xbf{"text": "a"}\n{"text": "b"}\n')
    assert [r.post.text for r in read_posts(jsonl)] == ["a", "b"]
    tab = io.BytesIO(b"message\tauteur\nbonjour\tmoi\n")
    assert [r.post.author for r in read_posts(tab)] == ["moi"]


class _CountingStream(io.RawIOBase):
    """A large CSV produced on demand; records the largest read request."""

    def __init__(self, rows: int) -> None:
        self.rows, self.made, self.largest, self.pending = rows, 0, 0, b"id,text\n"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.largest = max(self.largest, len(buffer))
        while len(self.pending) < len(buffer) and self.made < self.rows:
            self.made += 1
            self.pending += f"{self.made},message numéro {self.made}\n".encode()
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def test_import_streams_instead_of_reading_everything() -> None:
    stream = _CountingStream(rows=60_000)
    rows = read_posts(io.BufferedReader(stream), fmt="csv")
    first = [next(rows) for _ in range(10)]
    assert [r.line for r in first] == list(range(2, 12))
    assert stream.made < 20_000  # only a sample and a buffer's worth were produced
    assert sum(1 for _ in rows) == 60_000 - 10


def test_parse_wraps_the_import_as_a_source_kind() -> None:
    body = (FOLDER / "posts_fr.jsonl").read_bytes()
    batch = fileimport.parse(Fetched(body=body), Source(name="export", kind="file"))
    assert len(batch.posts) == 4 and batch.rejected == 5
    assert batch.errors[0].startswith("ligne 4 :")
