"""Import posts from a CSV or JSONL export of another tool (`python -m collectors import FILE`).

    for row in read_posts("export.csv", source="crisislex"):
        if row.error: print(row.line, row.error)
        else: store(row.post)

Reading streams: a file of millions of rows is never loaded whole. Each row
gives an `ImportRow` with its 1-based line number and either a `Post` or an
error; a bad row never stops the import. A file that cannot be read at all (no
header, no text column, a JSON array instead of JSON lines) raises
`ParseError` when iteration starts.

Columns: `mapping` maps Vigie fields to column names (JSON keys may be dotted
paths such as "user.screen_name"); fields it does not name are found by their
usual names, compared without case, spaces, dashes or underscores (so
CrisisLex's " Tweet Text" header, with its leading space, is the text). Other
columns are kept in `Post.extra` (labels of a labelled data set, say).

Values: `text` is required. Twitter-style escaping (&amp; &lt; &gt;) is undone.
`lat`/`lon` must come together and be valid WGS84. A date that cannot be read
leaves `created_at` empty (the raw value goes to `extra["created_at_raw"]`);
times without offset are taken as UTC, like everywhere in Vigie. Ids become
`file:<source>:<id>`; rows without an id get a hash of text, author and date.

CSV: UTF-8 with or without BOM (a file that is not UTF-8 is read as
Windows-1252, the usual Excel export), delimiter `,` `;` tab or `|` found by
csv.Sniffer and checked against the header.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from collectors.base import Batch, Fetched, ParseError, Source
from collectors.common import clip, coordinates, note_error, primary_language, safe_time
from collectors.htmltext import tidy
from vigie.models import Post, content_hash, iso

KIND = "file"
SAMPLE_BYTES = 64 * 1024
FIELDS = ("text", "id", "author", "created_at", "lat", "lon", "url", "lang", "place")
ALIASES: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "tweet text",
        "full_text",
        "content",
        "message",
        "body",
        "tweet",
        "post",
        "texte",
        "contenu",
    ),
    "id": ("id", "tweet id", "status_id", "id_str", "post id", "identifiant"),
    "author": (
        "author",
        "user",
        "screen_name",
        "username",
        "user_screen_name",
        "user.screen_name",
        "auteur",
        "utilisateur",
    ),
    "created_at": ("created_at", "date", "timestamp", "time", "datetime", "published", "created"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "lng", "longitude", "long"),
    "url": ("url", "link", "permalink", "lien"),
    "lang": ("lang", "language", "langue"),
    "place": ("place", "lieu"),
}
_DATE_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",  # Twitter API v1.1
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y%m%dT%H%M%S%z",
)
_TWITTER_ESCAPES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
_ESCAPE_RE = re.compile("|".join(map(re.escape, _TWITTER_ESCAPES)))


@dataclass
class ImportRow:
    line: int
    post: Post | None = None
    error: str | None = None


def read_posts(
    path_or_stream: str | os.PathLike | IO[bytes] | IO[str],
    fmt: str | None = None,
    source: str = "import",
    mapping: dict[str, str] | None = None,
) -> Iterator[ImportRow]:
    """Stream the rows of a CSV or JSONL file as ImportRows (see the module doc)."""
    mapping = dict(mapping or {})
    unknown = set(mapping) - set(FIELDS)
    if unknown:
        raise ParseError(f"champs inconnus dans mapping : {', '.join(sorted(unknown))}")
    name = os.fspath(path_or_stream) if isinstance(path_or_stream, (str, os.PathLike)) else ""
    if name:
        with open(name, "rb") as handle:
            yield from _read(handle, fmt, source, mapping, name)
    else:
        yield from _read(path_or_stream, fmt, source, mapping, getattr(path_or_stream, "name", ""))


def parse(fetched: Fetched, src: Source) -> Batch:
    """The `file` source kind: the whole fetched export as one batch."""
    batch = Batch()
    rows = read_posts(
        io.BytesIO(fetched.body),
        fmt=src.options.get("format"),
        source=src.name,
        mapping=src.options.get("mapping"),
    )
    for row in rows:
        if row.post is not None:
            batch.posts.append(row.post)
        else:
            batch.rejected += 1
            note_error(batch, f"ligne {row.line} : {row.error}")
    return batch


# -- reading -----------------------------------------------------------------------------


def _read(
    stream: IO[Any], fmt: str | None, source: str, mapping: dict[str, str], name: str
) -> Iterator[ImportRow]:
    text_stream, sample = _text_stream(stream)
    kind = _format(fmt, name, sample)
    if kind == "jsonl":
        yield from _read_jsonl(text_stream, source, mapping)
    else:
        delimiter = "\t" if name.lower().endswith(".tsv") else None
        yield from _read_csv(text_stream, sample, source, mapping, delimiter)


def _text_stream(stream: IO[Any]) -> tuple[IO[str], str]:
    """A text stream over the input plus a decoded sample of its start (for sniffing)."""
    if isinstance(stream, io.TextIOBase):
        sample = stream.read(SAMPLE_BYTES)
        return _PrefixedText(sample, stream), sample.lstrip("\ufeff")
    raw = stream.read(SAMPLE_BYTES)
    if not isinstance(raw, bytes):
        raise ParseError("flux illisible : ni octets ni texte")
    encoding = "utf-8-sig" if _is_utf8(raw) else "cp1252"
    prefixed = io.BufferedReader(_PrefixedRaw(raw, stream))
    text = io.TextIOWrapper(prefixed, encoding=encoding, errors="replace", newline="")
    sample = raw.decode(encoding, errors="ignore")
    return text, sample


def _is_utf8(raw: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(raw, final=False)  # a sequence cut at the sample's end is fine
    except UnicodeDecodeError:
        return False
    return True


def _format(fmt: str | None, name: str, sample: str) -> str:
    if fmt:
        fmt = fmt.lower()
        if fmt not in ("csv", "jsonl", "tsv"):
            raise ParseError(f"format inconnu : {fmt} (csv ou jsonl)")
        return "jsonl" if fmt == "jsonl" else "csv"
    lowered = name.lower()
    if lowered.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lowered.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    head = sample.lstrip()
    if head.startswith("["):
        raise ParseError("tableau JSON non pris en charge : exportez en JSONL (un objet par ligne)")
    return "jsonl" if head.startswith("{") else "csv"


def _read_jsonl(stream: IO[str], source: str, mapping: dict[str, str]) -> Iterator[ImportRow]:
    for number, line in enumerate(stream, start=1):
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield ImportRow(number, error=f"JSON illisible : {exc}")
            continue
        if not isinstance(record, dict):
            yield ImportRow(number, error="ligne JSON qui n'est pas un objet")
            continue
        columns = _json_columns(record, mapping)
        values = {f: _lookup(record, key) for f, key in columns.items()}
        used = {key.split(".")[0] for key in columns.values()}
        extra = {k: v for k, v in record.items() if k not in used}
        yield _row(number, values, extra, source, record)


def _json_columns(record: dict[str, Any], mapping: dict[str, str]) -> dict[str, str]:
    columns = dict(mapping)
    normalised = {_norm(k): k for k in record}
    for field_name in FIELDS:
        if field_name in columns:
            continue
        for alias in ALIASES[field_name]:
            if "." in alias and _lookup(record, alias) is not None:
                columns[field_name] = alias
                break
            key = normalised.get(_norm(alias))
            if key is not None and not isinstance(record[key], (dict, list)):
                columns[field_name] = key
                break
    return columns


def _lookup(record: dict[str, Any], key: str) -> Any:
    if key in record:
        return record[key]
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _read_csv(
    stream: IO[str], sample: str, source: str, mapping: dict[str, str], delimiter: str | None
) -> Iterator[ImportRow]:
    dialect = _dialect(sample, delimiter)
    reader = csv.reader(stream, dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise ParseError("fichier vide : aucune ligne d'en-tête") from None
    except csv.Error as exc:
        raise ParseError(f"en-tête CSV illisible : {exc}") from None
    header = [h.strip().lstrip("\ufeff").strip() for h in header]
    columns = _csv_columns(header, mapping)
    if "text" not in columns:
        raise ParseError(
            "colonne de texte introuvable parmi : "
            + ", ".join(h for h in header[:20] if h)
            + ' (précisez mapping = {text = "…"})'
        )
    used = set(columns.values())
    last = reader.line_num
    while True:
        start = last + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num == last:
                return  # no progress: stop rather than loop
            last = reader.line_num
            yield ImportRow(start, error=f"ligne CSV illisible : {exc}")
            continue
        last = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        values = {f: cells[i] if i < len(cells) else None for f, i in _indexes(header, columns)}
        extra = {
            h: cells[i].strip()
            for i, h in enumerate(header)
            if h and h not in used and i < len(cells) and cells[i].strip()
        }
        if len(cells) > len(header):
            extra["_extra_cells"] = [c for c in cells[len(header) :] if c.strip()]
        yield _row(start, values, extra, source, cells)


def _dialect(sample: str, forced: str | None) -> type[csv.Dialect] | csv.Dialect:
    candidates = ",;\t|"
    if forced:
        return _Dialect.with_delimiter(forced)
    first_line = sample.lstrip("\ufeff").split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(sample[:16384] or ",", delimiters=candidates)
        if sniffed.delimiter in first_line:
            return _Dialect.with_delimiter(sniffed.delimiter)
    except csv.Error:
        pass
    # The sniffer hesitates on free text full of commas: trust the header line.
    counts = {d: first_line.count(d) for d in candidates}
    best = max(counts, key=lambda d: counts[d])
    return _Dialect.with_delimiter(best if counts[best] else ",")


class _Dialect(csv.excel):
    @classmethod
    def with_delimiter(cls, delimiter: str) -> type[csv.Dialect]:
        return type("VigieDialect", (cls,), {"delimiter": delimiter})


def _csv_columns(header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    columns: dict[str, str] = {}
    normalised = {}
    for h in header:
        normalised.setdefault(_norm(h), h)
    for field_name, wanted in mapping.items():
        if wanted in header:
            columns[field_name] = wanted
        elif _norm(wanted) in normalised:
            columns[field_name] = normalised[_norm(wanted)]
        else:
            raise ParseError(f"colonne « {wanted} » (mapping {field_name}) absente de l'en-tête")
    for field_name in FIELDS:
        if field_name in columns:
            continue
        for alias in ALIASES[field_name]:
            if _norm(alias) in normalised and normalised[_norm(alias)] not in columns.values():
                columns[field_name] = normalised[_norm(alias)]
                break
    return columns


def _indexes(header: list[str], columns: dict[str, str]) -> list[tuple[str, int]]:
    return [(f, header.index(name)) for f, name in columns.items()]


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", name.strip().lstrip("\ufeff").lower())


# -- one row -----------------------------------------------------------------------------


def _row(
    line: int, values: dict[str, Any], extra: dict[str, Any], source: str, raw: Any
) -> ImportRow:
    text = _as_text(values.get("text"))
    if not text:
        return ImportRow(line, error="texte manquant")
    text = tidy(_ESCAPE_RE.sub(lambda m: _TWITTER_ESCAPES[m.group(0)], text))
    if not text:
        return ImportRow(line, error="texte manquant")

    lat_raw, lon_raw = _as_text(values.get("lat")), _as_text(values.get("lon"))
    lat = lon = None
    if lat_raw or lon_raw:
        point = coordinates(_decimal(lat_raw), _decimal(lon_raw)) if lat_raw and lon_raw else None
        if point is None:
            return ImportRow(
                line, error=f"coordonnées invalides ou hors limites : {lat_raw}, {lon_raw}"
            )
        lat, lon = point

    author = _as_text(values.get("author")) or None
    created_raw = values.get("created_at")
    created_at = parse_date(created_raw)
    if created_raw not in (None, "") and created_at is None:
        extra = {**extra, "created_at_raw": str(created_raw)[:100]}
    native = _as_text(values.get("id")) or content_hash(text, author, created_at)
    url = _as_text(values.get("url"))
    post = Post(
        id=f"{KIND}:{source}:{native}",
        source=source,
        kind=KIND,
        text=clip(text),
        author=author,
        url=url if url.lower().startswith(("http://", "https://")) else None,
        lang=primary_language(_as_text(values.get("lang"))),
        created_at=created_at,
        lat=lat,
        lon=lon,
        place=_as_text(values.get("place")) or None,
        precision="exact" if lat is not None else "unknown",
        raw_hash=content_hash(raw),
        extra=_jsonable(extra),
    )
    return ImportRow(line, post=post)


def _as_text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    return str(value).strip()


def _decimal(text: str) -> str:
    return text.replace(",", ".") if text.count(",") == 1 and "." not in text else text


def parse_date(value: Any) -> str | None:
    """ISO 8601, epoch seconds or milliseconds, Twitter's format or French dd/mm/yyyy."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _epoch(float(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text):
        return _epoch(float(text))
    parsed = safe_time(text)
    if parsed:
        return parsed
    for pattern in _DATE_FORMATS:
        try:
            moment = datetime.strptime(text, pattern)
        except ValueError:
            continue
        try:
            return iso(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
        except OverflowError:
            return None
    return None


def _epoch(number: float) -> str | None:
    if number > 1e11:  # milliseconds
        number /= 1000
    return safe_time(number)


def _jsonable(extra: dict[str, Any]) -> dict[str, Any]:
    try:
        json.dumps(extra)
        return extra
    except (TypeError, ValueError):
        return json.loads(json.dumps(extra, default=str))


# -- streams that give back what was sniffed ---------------------------------------------


class _PrefixedRaw(io.RawIOBase):
    """A binary stream: `prefix`, then the rest of `stream`."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self._prefix = memoryview(prefix)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._stream.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        return len(data)


class _PrefixedText(io.TextIOBase):
    """A text stream: `prefix`, then the rest of `stream` (line by line)."""

    def __init__(self, prefix: str, stream: IO[str]) -> None:
        self._lines = io.StringIO(prefix)
        self._stream = stream
        self._tail = ""

    def readable(self) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            if line.endswith("\n"):
                yield line
            else:  # the sample may end mid-line: finish it from the stream
                yield line + (self._stream.readline() or "")
        yield from self._stream
