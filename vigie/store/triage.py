"""The triage queue and what volunteers do to posts: status, categories, place, ratings.

Every edit of a post carries the version the volunteer saw; a bulk action on a selection is
one transaction, so a single stale post refuses the whole action and nothing is half done.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vigie.store.db import StaleEdit, StoreError, loads
from vigie.store.posts import _decode_post

# A post without a near-duplicate cluster is its own cluster. Must match idx_posts_queue.
CLUSTER_KEY = "coalesce(cluster_id, id)"
TRIAGE_STATUSES = ("new", "triaged", "irrelevant", "escalated")
SOURCE_RATINGS = ("A", "B", "C", "D", "E", "F")
INFO_RATINGS = (1, 2, 3, 4, 5, 6)
PostRef = tuple[str, int]  # (post id, the version the volunteer saw)


def _in(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _incident(incident_id: int | None) -> tuple[str, list[Any]]:
    return ("AND incident_id = ?", [incident_id]) if incident_id is not None else ("", [])


class TriageMixin:
    """SQL for the triage queue and post edits. Mixed into vigie.store.Store."""

    # -- the queue ---------------------------------------------------------------------

    def triage_queue(self, *, incident_id: int | None = None, limit: int = 20,
                     offset: int = 0) -> list[dict[str, Any]]:
        """One row per cluster of new posts, most urgent first: the cluster's size, first and
        last seen, and its most urgent post (the card's face). Aggregated in SQL over the
        covering index idx_posts_queue; the posts table itself is read for the shown rows only.
        """
        inc, params = _incident(incident_id)
        sql = f"""
            WITH q AS (
                SELECT {CLUSTER_KEY} AS ckey, count(*) AS size, min(created_at) AS first_seen,
                       max(created_at) AS last_seen, max(urgency) AS top_urgency
                FROM posts WHERE status = 'new' {inc}
                GROUP BY {CLUSTER_KEY}
                ORDER BY top_urgency DESC, size DESC, first_seen ASC, ckey
                LIMIT ? OFFSET ?)
            SELECT q.ckey, q.size, q.first_seen, q.last_seen, q.top_urgency, p.*
            FROM q JOIN posts p ON p.id = (
                SELECT id FROM posts WHERE status = 'new' AND {CLUSTER_KEY} = q.ckey {inc}
                ORDER BY urgency DESC, created_at ASC, id LIMIT 1)
            ORDER BY q.top_urgency DESC, q.size DESC, q.first_seen ASC, q.ckey
        """
        rows = self.query(sql, [*params, limit, offset, *params])
        return [_decode_post(r) for r in rows]

    def hold_card(self, ckey: str, username: str, until: str, now: str) -> str:
        """Hold `ckey` for `username` until `until` unless someone else holds it now;
        returns the holder. Also forgets every hold that has ended."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO card_holds(ckey, username, until) VALUES (?, ?, ?) "
                "ON CONFLICT(ckey) DO UPDATE SET username = excluded.username, "
                "until = excluded.until "
                "WHERE card_holds.username = excluded.username OR card_holds.until <= ?",
                (ckey, username, until, now))
            conn.execute("DELETE FROM card_holds WHERE until <= ?", (now,))
            return str(conn.execute("SELECT username FROM card_holds WHERE ckey = ?",
                                    (ckey,)).fetchone()[0])

    def card_holders(self, ckeys: Sequence[str], now: str) -> dict[str, str]:
        """Who holds each of these cards now (expired holds left out)."""
        if not ckeys:
            return {}
        rows = self.conn.execute(
            f"SELECT ckey, username FROM card_holds WHERE until > ? "
            f"AND ckey IN ({','.join('?' * len(ckeys))})", (now, *ckeys)).fetchall()
        return {r[0]: r[1] for r in rows}

    def triage_queue_size(self, *, incident_id: int | None = None) -> tuple[int, int]:
        """(clusters, posts) waiting in the queue."""
        inc, params = _incident(incident_id)
        row = self.conn.execute(
            f"SELECT count(DISTINCT {CLUSTER_KEY}), count(*) FROM posts "
            f"WHERE status = 'new' {inc}", params).fetchone()
        return int(row[0]), int(row[1])

    def cluster_refs(self, keys: Sequence[str], *, incident_id: int | None = None,
                     cap: int = 500) -> dict[str, list[PostRef]]:
        """The new posts of each cluster with their versions (at most `cap` per cluster):
        what a bulk action on these cards will touch, as the volunteer sees it now."""
        if not keys:
            return {}
        inc, params = _incident(incident_id)
        rows = self.conn.execute(
            f"""SELECT ckey, id, version FROM (
                    SELECT {CLUSTER_KEY} AS ckey, id, version, row_number() OVER (
                        PARTITION BY {CLUSTER_KEY} ORDER BY urgency DESC, created_at) AS n
                    FROM posts WHERE status = 'new' AND {CLUSTER_KEY} IN ({_in(keys)}) {inc})
                WHERE n <= ?""", [*keys, *params, cap]).fetchall()
        out: dict[str, list[PostRef]] = {k: [] for k in keys}
        for ckey, post_id, version in rows:
            out[ckey].append((post_id, int(version)))
        return out

    def cluster_posts(self, key: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """A cluster's posts (any status), oldest first: what the card's detail lists."""
        rows = self.query("SELECT * FROM posts WHERE cluster_id = ? OR id = ? "
                          "ORDER BY created_at, id LIMIT ?", (key, key, limit))
        return [_decode_post(r) for r in rows]

    # -- edits -------------------------------------------------------------------------

    def update_posts(self, refs: Sequence[PostRef], changes: dict[str, Any], actor: str, *,
                     action: str, log_text: str | None = None,
                     incident_id: int | None = None) -> list[dict[str, Any]]:
        """The same change on every post of a selection, all or nothing. A post already in
        that state is still checked for staleness but not rewritten. Returns, per post
        changed, its new version and the values it had before (what an undo needs)."""
        changed = []
        with self.write():
            for post_id, version in refs:
                row = self._post_for_edit(post_id, version)
                if all(row.get(k) == v for k, v in changes.items()):
                    continue
                after = self.versioned_update("posts", post_id, version, changes, actor,
                                              action=action)
                changed.append({"id": post_id, "version": int(after["version"]),
                                "before": {k: row.get(k) for k in changes}})
            if log_text and changed:
                self.add_log("vigie", log_text, kind="system", entity="posts",
                             entity_id=refs[0][0], incident_id=incident_id)
        return changed

    def restore_posts(self, items: Sequence[dict[str, Any]], actor: str, *,
                      log_text: str | None = None, incident_id: int | None = None) -> int:
        """Undo an update_posts result: put back each post's `before` values, provided the
        post is still at the version that update left it at (else StaleEdit, nothing done)."""
        with self.write():
            for item in items:
                self.versioned_update("posts", item["id"], item["version"], item["before"],
                                      actor, action="undo")
            if log_text and items:
                self.add_log("vigie", log_text, kind="system", entity="posts",
                             entity_id=items[0]["id"], incident_id=incident_id)
        return len(items)

    def set_post_categories(self, refs: Sequence[PostRef], actor: str, *,
                            add: Sequence[str] = (), remove: Sequence[str] = (),
                            replace: Sequence[str] | None = None) -> int:
        """Change categories on a selection and keep `post_categories` (the index pages
        filter on) in step, in one transaction. Returns posts changed."""
        changed = 0
        with self.write() as conn:
            for post_id, version in refs:
                row = self._post_for_edit(post_id, version)
                current = loads(row["categories"], [])
                if replace is not None:
                    new = list(dict.fromkeys(replace))
                else:
                    new = [c for c in current if c not in remove]
                    new += [c for c in add if c not in new]
                if new == current:
                    continue
                self.versioned_update("posts", post_id, version, {"categories": new}, actor,
                                      action="categories")
                conn.execute("DELETE FROM post_categories WHERE post_id = ?", (post_id,))
                conn.executemany(
                    "INSERT INTO post_categories(post_id, category, created_at) VALUES (?, ?, ?)",
                    [(post_id, c, row["created_at"]) for c in new])
                changed += 1
        return changed

    def _post_for_edit(self, post_id: str, version: int) -> dict[str, Any]:
        row = self.query_one("SELECT * FROM posts WHERE id = ?", (post_id,))
        if row is None:
            raise StoreError(f"posts {post_id} not found")
        if int(row["version"]) != int(version):
            raise StaleEdit("posts", post_id, row.get("updated_by"), row.get("updated_at"))
        return row

    # -- Admiralty ratings -------------------------------------------------------------

    def rate_posts(self, post_ids: Sequence[str], rater: str, source_rating: str | None,
                   info_rating: int | None) -> None:
        """One rating per (post, rater): a rater's new rating replaces their own, never
        another rater's. Audited with the rating it replaced."""
        if source_rating is not None and source_rating not in SOURCE_RATINGS:
            raise ValueError(source_rating)
        if info_rating is not None and int(info_rating) not in INFO_RATINGS:
            raise ValueError(info_rating)
        now = self.now()
        with self.write() as conn:
            for post_id in post_ids:
                before = self.query_one(
                    "SELECT source_rating, info_rating FROM ratings WHERE post_id = ? "
                    "AND rater = ?", (post_id, rater))
                conn.execute(
                    "INSERT INTO ratings(post_id, rater, source_rating, info_rating, at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(post_id, rater) DO UPDATE SET "
                    "source_rating = excluded.source_rating, info_rating = excluded.info_rating, "
                    "at = excluded.at", (post_id, rater, source_rating, info_rating, now))
                self.audit(rater, "rate", "ratings", post_id, before,
                           {"source_rating": source_rating, "info_rating": info_rating})

    def ratings_for(self, post_ids: Sequence[str]) -> list[dict[str, Any]]:
        if not post_ids:
            return []
        return self.query(
            f"SELECT * FROM ratings WHERE post_id IN ({_in(post_ids)}) ORDER BY post_id, at",
            list(post_ids))

    # -- shift figures -----------------------------------------------------------------

    def posts_handled_since(self, since: str, *,
                            incident_id: int | None = None) -> dict[str, int]:
        """Posts whose triage status changed since `since`, by current status, plus
        `received` (posts created since)."""
        inc, params = _incident(incident_id)
        out = {s: 0 for s in TRIAGE_STATUSES}
        for status, n in self.conn.execute(
                f"SELECT status, count(*) FROM posts WHERE updated_at >= ? {inc} "
                "GROUP BY status", [since, *params]):
            out[status] = int(n)
        out["received"] = int(self.scalar(
            f"SELECT count(*) FROM posts WHERE created_at >= ? {inc}", [since, *params]))
        return out

    def escalated_posts_since(self, since: str, *, incident_id: int | None = None,
                              limit: int = 20) -> list[dict[str, Any]]:
        inc, params = _incident(incident_id)
        rows = self.query(
            f"SELECT * FROM posts WHERE updated_at >= ? AND status = 'escalated' {inc} "
            "ORDER BY updated_at DESC LIMIT ?", [since, *params, limit])
        return [_decode_post(r) for r in rows]


__all__ = ["CLUSTER_KEY", "INFO_RATINGS", "SOURCE_RATINGS", "TRIAGE_STATUSES", "PostRef",
           "TriageMixin"]
