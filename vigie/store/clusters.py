"""The near-duplicate index in SQLite (the `ClusterIndex` of vigie.enrich.dedup).

A cluster needs only a few members in the index for new copies to find it, so a post
that joins a cluster already represented by MAX_INDEXED members is not indexed: the
index grows with the number of distinct messages, not with the number of copies (a
rumor shared 5,000 times costs a handful of rows). Writes are buffered and flushed in
the same transaction as the posts they belong to.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

MAX_INDEXED = 4
MAX_CANDIDATES = 200


class SqlClusterIndex:
    def __init__(self, store: Any) -> None:
        self.store = store
        self._keys: list[tuple[int, str]] = []
        self._sigs: list[tuple[str, str, bytes]] = []
        self._pending: dict[int, list[tuple[str, str, bytes]]] = {}
        self._members: dict[str, int] = {}
        self._stored: dict[int, list[tuple[str, str, bytes]]] = {}

    def prefetch(self, band_keys: list[int]) -> None:
        """Load the stored posts under these keys in a few queries (a whole batch's keys
        at once), so `candidates` answers from memory instead of one query per post.
        Keys first, then each distinct post's signature once (near-copies share many keys)."""
        stored = self._stored
        wanted = [k for k in set(band_keys) if k not in stored]
        for k in wanted:
            stored[k] = []
        # One query each way, the keys passed as one JSON array (cheaper than IN lists),
        # rows as plain tuples (a batch can match 100,000 pairs; sqlite3.Row costs more).
        cur = self.store.conn.cursor()
        cur.row_factory = None
        pairs = cur.execute(  # keys in order: neighbouring look-ups share index pages
            "SELECT k.key, k.post_id FROM json_each(?) j JOIN lsh_keys k ON k.key = j.value",
            (json.dumps(sorted(wanted)),)).fetchall()
        if not pairs:
            return
        posts = list({p for _k, p in pairs})
        sigs = {post_id: (post_id, cluster_id, sig) for post_id, cluster_id, sig in
                cur.execute(
                    "SELECT s.post_id, s.cluster_id, s.signature FROM json_each(?) j "
                    "JOIN post_signatures s ON s.post_id = j.value", (json.dumps(posts),))}
        for key, post_id in pairs:
            item = sigs.get(post_id)
            if item is not None:
                stored[key].append(item)

    def stored(self, key: int) -> bool:
        """Whether a prefetched key has stored posts."""
        return bool(self._stored.get(key))

    def pending(self, key: int) -> bool:
        """Whether a post added since this index view was made has this key."""
        return key in self._pending

    def candidates(self, band_keys: list[int]) -> list[tuple[str, str, bytes]]:
        ints = band_keys
        found: dict[str, tuple[str, str, bytes]] = {}
        for k in ints:  # this batch's own posts first: copies often arrive together
            for item in self._pending.get(k, ()):
                found.setdefault(item[0], item)
        missing = [k for k in ints if k not in self._stored]
        if missing:
            rows = self.store.conn.execute(
                "SELECT s.post_id, s.cluster_id, s.signature FROM lsh_keys k "
                "JOIN post_signatures s ON s.post_id = k.post_id "
                f"WHERE k.key IN ({','.join('?' * len(missing))}) LIMIT ?",
                [*missing, MAX_CANDIDATES]).fetchall()
            for post_id, cluster_id, sig in rows:
                found.setdefault(post_id, (post_id, cluster_id, sig))
        for k in ints:
            for item in self._stored.get(k, ())[:MAX_CANDIDATES]:
                found.setdefault(item[0], item)
        return list(found.values())

    def add(self, post_id: str, cluster_id: str, band_keys: list[int], signature: bytes) -> None:
        if cluster_id == post_id:  # a new cluster: nothing stored under it yet
            self._members[cluster_id] = 1
        elif self._indexed_members(cluster_id) >= MAX_INDEXED:
            return
        else:
            self._members[cluster_id] += 1
        item = (post_id, cluster_id, signature)
        self._sigs.append(item)
        pending = self._pending
        for k in band_keys:
            self._keys.append((k, post_id))
            pending.setdefault(k, []).append(item)

    def _indexed_members(self, cluster_id: str) -> int:
        if cluster_id not in self._members:
            self._members[cluster_id] = int(self.store.conn.execute(
                "SELECT count(*) FROM post_signatures WHERE cluster_id = ?",
                (cluster_id,)).fetchone()[0])
        return self._members[cluster_id]

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write what this batch added, inside the caller's transaction."""
        self.take_writes()(conn)
        self._pending = {}

    def take_writes(self) -> Callable[[sqlite3.Connection], None]:
        """What was added since the last call, as a function that writes it inside the
        caller's transaction (on any thread: the rows are taken now). The batch's own
        posts stay in memory as candidates for the rest of the batch."""
        sigs, keys = self._sigs, self._keys
        self._keys, self._sigs = [], []

        # One statement each (a multi-row VALUES, a JSON array), not executemany: the
        # writer thread would take the GIL back for every row (vigie.store.post_stream).
        sig_params = [v for item in sigs for v in item]
        key_json = json.dumps(keys)

        def write(conn: sqlite3.Connection) -> None:
            for i in range(0, len(sigs), 300):  # 900 parameters a statement at most
                n = len(sigs[i:i + 300])
                conn.execute("INSERT OR IGNORE INTO post_signatures(post_id, cluster_id, "
                             f"signature) VALUES {','.join(['(?, ?, ?)'] * n)}",
                             sig_params[3 * i:3 * (i + n)])
            if keys:
                conn.execute("INSERT OR IGNORE INTO lsh_keys(key, post_id) SELECT "
                             "json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]') "
                             "FROM json_each(?) j", (key_json,))

        return write


class ClustersMixin:
    """SQL for cluster statistics. Mixed into vigie.store.Store."""

    def cluster_index(self) -> SqlClusterIndex:
        return SqlClusterIndex(self)

    def cluster_stats(self, cluster_id: str) -> dict[str, Any] | None:
        """Size, first and last seen of one cluster: one indexed query."""
        return self.query_one(
            "SELECT cluster_id, count(*) AS size, min(created_at) AS first_seen, "
            "max(created_at) AS last_seen FROM posts WHERE cluster_id = ?", (cluster_id,))
