"""Posts: idempotent ingest, the timeline query, full-text search and volume counts."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vigie.models import Post
from vigie.store.db import SearchSyntaxError, dumps, loads

if TYPE_CHECKING:
    from vigie.store.post_stream import PostStream

POST_COLUMNS = (
    "id", "source", "kind", "author", "text", "url", "lang", "created_at", "collected_at",
    "lat", "lon", "place", "insee", "precision", "categories", "category_reasons", "urgency",
    "urgency_reasons", "rumor_signals", "cluster_id", "status", "incident_id", "collector",
    "fetched_at", "origin_url", "raw_hash", "extra",
)
_INSERT_POST = (
    f"INSERT INTO posts ({', '.join(POST_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in POST_COLUMNS)}) ON CONFLICT(id) DO NOTHING"
)
_FTS_OPERATORS = re.compile(r'["*():^]|\b(AND|OR|NOT|NEAR)\b')
_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(user_text: str) -> str:
    """Turn what a volunteer typed into an FTS5 query.

    Plain words (the usual case, including "l'eau" or "Saint-Jean") become a prefix
    search on every word. Text that uses FTS operators (quotes, OR, NOT, NEAR,
    parentheses, *) is passed through, so experts keep the full syntax and a
    malformed expression is reported instead of silently rewritten.
    """
    text = (user_text or "").strip()
    if not text:
        return ""
    if _FTS_OPERATORS.search(text):
        return text
    words = _WORD.findall(text)
    return " ".join(f'"{w}"*' for w in words)


@dataclass
class PostFilter:
    """The Timeline's filter bar, as the store understands it."""

    since: str | None = None
    until: str | None = None
    kinds: Sequence[str] = ()
    sources: Sequence[str] = ()
    categories: Sequence[str] = ()
    search: str = ""
    incident_id: int | None = None
    statuses: Sequence[str] = ()
    min_urgency: float | None = None
    place: str | None = None
    extra_where: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.since:
            clauses.append("p.created_at >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("p.created_at < ?")
            params.append(self.until)
        if self.kinds:
            clauses.append(f"p.kind IN ({','.join('?' * len(self.kinds))})")
            params.extend(self.kinds)
        if self.sources:
            clauses.append(f"p.source IN ({','.join('?' * len(self.sources))})")
            params.extend(self.sources)
        if self.statuses:
            clauses.append(f"p.status IN ({','.join('?' * len(self.statuses))})")
            params.extend(self.statuses)
        if self.categories:
            clauses.append(
                "p.id IN (SELECT post_id FROM post_categories WHERE category IN "
                f"({','.join('?' * len(self.categories))})"
                + (" AND created_at >= ?" if self.since else "")
                + ")"
            )
            params.extend(self.categories)
            if self.since:
                params.append(self.since)
        if self.incident_id is not None:
            clauses.append("p.incident_id = ?")
            params.append(self.incident_id)
        if self.min_urgency is not None:
            clauses.append("p.urgency >= ?")
            params.append(self.min_urgency)
        if self.place:
            clauses.append("p.place = ?")
            params.append(self.place)
        query = fts_query(self.search)
        if query:
            clauses.append("p.rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?)")
            params.append(query)
        for sql, extra in self.extra_where:
            clauses.append(sql)
            params.extend(extra)
        return (" AND ".join(clauses) or "1"), params


def _decode_post(row: dict[str, Any]) -> dict[str, Any]:
    for key, default in (("categories", []), ("category_reasons", {}), ("urgency_reasons", []),
                         ("rumor_signals", []), ("extra", {})):
        if key in row:
            row[key] = loads(row[key], default)
    return row


def post_row(post: Post, *, collected_at: str, collector: str | None, fetched_at: str | None,
             incident_id: int | None, enrichment: dict[str, Any] | None = None) -> tuple:
    """The tuple of POST_COLUMNS for one post, with its enrichment if any."""
    e = enrichment or {}
    return (
        post.id, post.source, post.kind, post.author, post.text, post.url, post.lang,
        post.created_at or collected_at, collected_at, post.lat, post.lon, post.place,
        e.get("insee"), post.precision, dumps(e.get("categories", [])),
        dumps(e.get("category_reasons", {})), float(e.get("urgency", 0.0)),
        dumps(e.get("urgency_reasons", [])), dumps(e.get("rumor_signals", [])),
        e.get("cluster_id"), "new", incident_id, collector, fetched_at,
        post.origin_url or post.url, post.raw_hash, dumps(post.extra),
    )


class PostsMixin:
    """SQL for posts. Mixed into vigie.store.Store."""

    def insert_post_rows(self, rows: Iterable[tuple],
                         also: Callable[[sqlite3.Connection], None] | None = None) -> int:
        """Insert prepared rows; an id already stored is skipped. Returns rows added.
        `also` runs in the same transaction (e.g. the near-duplicate index's writes).

        The ids already stored are read inside the write transaction (nobody else can add
        one meanwhile), so the rest goes in with two `executemany`, like a bulk insert."""
        rows = list(rows)
        added = 0
        with self.write() as conn:
            if also is not None:
                also(conn)
            for i in range(0, len(rows), 500):
                chunk = rows[i:i + 500]
                stored = {r[0] for r in conn.execute(
                    f"SELECT id FROM posts WHERE id IN ({','.join('?' * len(chunk))})",
                    [r[0] for r in chunk])}
                new: dict[str, tuple] = {}
                for row in chunk:  # the first of two rows with one id wins, as before
                    if row[0] not in stored and row[0] not in new:
                        new[row[0]] = row
                conn.executemany(_INSERT_POST, new.values())
                conn.executemany(
                    "INSERT OR IGNORE INTO post_categories(post_id, category, created_at) "
                    "VALUES (?, ?, ?)",
                    [(row[0], c, row[7]) for row in new.values() for c in loads(row[14], [])])
                added += len(new)
        return added

    @contextmanager
    def post_stream(self, *, each_part: bool = False) -> Iterator[PostStream]:
        """A batch of posts written by a helper thread while the caller prepares the next
        rows (see vigie.store.post_stream). The caller ends it with `finish`; leaving the
        block otherwise rolls the batch back."""
        from vigie.store.post_stream import PostStream

        stream = PostStream(self.writer_connection, each_part=each_part,
                            committed=self.writer_committed)
        try:
            yield stream
        finally:
            if not stream.closed:
                stream.abort()
        self._checkpoint_if_due()

    def existing_post_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found.update(
                r[0] for r in self.conn.execute(
                    f"SELECT id FROM posts WHERE id IN ({','.join('?' * len(chunk))})", chunk
                )
            )
        return found

    def get_post(self, post_id: str) -> dict[str, Any] | None:
        row = self.query_one("SELECT * FROM posts WHERE id = ?", (post_id,))
        return _decode_post(row) if row else None

    def timeline(self, f: PostFilter, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """One page of posts, newest first."""
        where, params = f.where()
        sql = (
            "SELECT p.id, p.source, p.kind, p.author, p.text, p.url, p.lang, p.created_at, "
            "p.place, p.precision, p.lat, p.lon, p.categories, p.category_reasons, p.urgency, "
            "p.urgency_reasons, p.rumor_signals, p.cluster_id, p.status, p.version "
            f"FROM posts p WHERE {where} ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?"
        )
        return [_decode_post(r) for r in self._run_filtered(sql, [*params, limit, offset], f=f)]

    def count_posts(self, f: PostFilter, *, cap: int = 100_000) -> int:
        """How many posts match, counted up to `cap` so a huge window stays fast."""
        where, params = f.where()
        sql = f"SELECT count(*) FROM (SELECT 1 FROM posts p WHERE {where} LIMIT ?)"
        rows = self._run_filtered(sql, [*params, cap], raw=True, f=f)
        return int(rows[0][0])

    def volume(self, f: PostFilter, *, bucket: str = "hour") -> list[dict[str, Any]]:
        """Posts per time bucket (minute, 10min, hour or day), aggregated in SQL."""
        length = {"minute": 16, "hour": 13, "day": 10}.get(bucket)
        where, params = f.where()
        if bucket == "10min":
            key = "substr(p.created_at, 1, 15) || '0'"
        elif length:
            key = f"substr(p.created_at, 1, {length})"
        else:
            raise ValueError(bucket)
        sql = (
            f"SELECT {key} AS bucket, count(*) AS posts FROM posts p WHERE {where} "
            "GROUP BY bucket ORDER BY bucket"
        )
        return [dict(r) for r in self._run_filtered(sql, params, f=f)]

    def distinct_values(self, column: str) -> list[str]:
        if column not in ("kind", "source", "lang"):
            raise ValueError(column)
        if column == "kind":  # one seek per value on idx_posts_kind_created, not a scan
            return [r[0] for r in self.conn.execute(
                "WITH RECURSIVE k(v) AS (SELECT min(kind) FROM posts UNION ALL "
                "SELECT (SELECT min(kind) FROM posts WHERE kind > k.v) FROM k "
                "WHERE k.v IS NOT NULL) SELECT v FROM k WHERE v IS NOT NULL")]
        return [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT {column} FROM posts WHERE {column} IS NOT NULL ORDER BY 1"
        )]

    def posts_version(self) -> tuple[Any, ...]:
        """Changes whenever a post is added or edited: the newest rowid, the newest edit
        time, and the count and version sum of the posts edited at that second (two edits
        in one second, an undo included, still change it). A few index seeks, so caches of
        post aggregates can be keyed on it."""
        row = self.conn.execute(
            "WITH m AS (SELECT max(updated_at) AS at FROM posts) "
            "SELECT (SELECT max(rowid) FROM posts), m.at, count(p.rowid), total(p.version) "
            "FROM m LEFT JOIN posts p ON p.updated_at = m.at").fetchone()
        return int(row[0] or 0), row[1], int(row[2]), float(row[3])

    def last_post_time(self) -> str | None:
        return self.scalar("SELECT max(collected_at) FROM posts")

    def check_search(self, search: str) -> None:
        """Raise SearchSyntaxError, with FTS5's own words, for a query it cannot read."""
        query = fts_query(search)
        if not query:
            return
        try:
            self.conn.execute(
                "SELECT count(*) FROM (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? "
                "LIMIT 1)", (query,)).fetchone()
        except sqlite3.OperationalError as exc:
            raise SearchSyntaxError(str(exc).removeprefix("fts5: ")) from exc

    def _run_filtered(self, sql: str, params: list[Any], *, raw: bool = False,
                      f: PostFilter | None = None) -> list[Any]:
        if f is not None and f.search:
            self.check_search(f.search)
        rows = self.conn.execute(sql, params).fetchall()
        return rows if raw else [dict(r) for r in rows]


class EnrichmentMixin:
    """Re-running enrichment over stored posts (`python -m vigie enrich --all`)."""

    def total_posts(self) -> int:
        return int(self.scalar("SELECT count(*) FROM posts"))

    def reset_cluster_index(self) -> None:
        with self.write() as conn:
            conn.execute("DELETE FROM lsh_keys")
            conn.execute("DELETE FROM post_signatures")

    def posts_after(self, after: tuple[str, str] | None, limit: int) -> list[dict[str, Any]]:
        """Posts in (created_at, id) order after a keyset cursor: a whole-table walk in
        bounded pages, never the table in memory."""
        if after is None:
            sql, params = "", []
        else:
            sql, params = "WHERE (created_at, id) > (?, ?)", list(after)
        return self.query(
            "SELECT id, source, kind, author, text, url, lang, created_at, lat, lon, place, "
            f"precision, version, extra FROM posts {sql} ORDER BY created_at, id LIMIT ?",
            [*params, limit])

    def save_enrichment(self, updates: list[tuple[dict[str, Any], dict[str, Any]]],
                        also: Callable[[sqlite3.Connection], None] | None = None) -> None:
        """Write re-computed enrichment. Categories a person already edited (version > 1)
        are kept: a volunteer's tag outranks the lexicon."""
        with self.write() as conn:
            if also is not None:
                also(conn)
            for post, e in updates:
                human = int(post["version"]) > 1
                conn.execute(
                    "UPDATE posts SET urgency = ?, urgency_reasons = ?, rumor_signals = ?, "
                    "cluster_id = ?, insee = COALESCE(?, insee), lang = COALESCE(lang, ?), "
                    "place = COALESCE(place, ?), lat = COALESCE(lat, ?), lon = COALESCE(lon, ?), "
                    "precision = CASE WHEN place IS NULL AND ? IS NOT NULL THEN ? "
                    "ELSE precision END" + ("" if human else
                                            ", categories = ?, category_reasons = ?") +
                    " WHERE id = ?",
                    [e["urgency"], dumps(e["urgency_reasons"]), dumps(e["rumor_signals"]),
                     e["cluster_id"], e.get("insee"), e.get("lang"), e.get("place"),
                     e.get("lat"), e.get("lon"), e.get("place"), e.get("precision"),
                     *([] if human else [dumps(e["categories"]),
                                         dumps(e["category_reasons"])]),
                     post["id"]])
                if not human:
                    conn.execute("DELETE FROM post_categories WHERE post_id = ?", (post["id"],))
                    conn.executemany(
                        "INSERT OR IGNORE INTO post_categories(post_id, category, created_at) "
                        "VALUES (?, ?, ?)",
                        [(post["id"], c, post["created_at"]) for c in e["categories"]])
