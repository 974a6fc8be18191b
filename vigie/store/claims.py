"""Claims under verification: their posts, evidence, status moves, verdicts, publication.

Rules (which moves are allowed, who may publish) live in vigie.claims; this module only
reads and writes, each human change with its audit row in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vigie.store.db import StoreError
from vigie.store.triage import PostRef, _in

CLAIM_STATUSES = ("to_verify", "investigating", "confirmed", "false", "misleading",
                  "unverifiable")
VERDICTS = ("confirmed", "false", "misleading", "unverifiable")
EDITABLE = ("title", "summary", "owner", "verdict_note", "public_message")

# The posts linked to each claim: those attached by hand, and every post of the
# near-duplicate cluster the claim was made from (copies keep coming after it is filed).
_LINKED = """
    linked AS (
        SELECT cp.claim_id, cp.post_id FROM claim_posts cp WHERE cp.claim_id IN ({ids})
        UNION
        SELECT c.id, p.id FROM claims c JOIN posts p ON p.cluster_id = c.cluster_id
        WHERE c.id IN ({ids}) AND c.cluster_id IS NOT NULL)
"""
# The same set with each post's rowid and time: the cluster half reads the covering index
# idx_posts_cluster_created only (a viral cluster holds 100,000 posts at a million).
_LINKED_TIMES = """
    linked AS (
        SELECT cp.claim_id, p.rowid AS rid, p.created_at FROM claim_posts cp
        JOIN posts p ON p.id = cp.post_id WHERE cp.claim_id IN ({ids})
        UNION
        SELECT c.id, p.rowid, p.created_at FROM claims c
        JOIN posts p INDEXED BY idx_posts_cluster_created ON p.cluster_id = c.cluster_id
        WHERE c.id IN ({ids}) AND c.cluster_id IS NOT NULL)
"""


class ClaimsMixin:
    """SQL for `claims`, `claim_posts` and `evidence`. Mixed into vigie.store.Store."""

    def create_claim(self, title: str, actor: str, *, posts: Sequence[PostRef] = (),
                     summary: str | None = None, incident_id: int | None = None,
                     cluster_id: str | None = None) -> int:
        """A new claim (`to_verify`), with the given posts attached. One transaction: a
        stale post refuses the whole creation."""
        title = (title or "").strip()
        if not title:
            raise StoreError("a claim needs a title")
        now = self.now()
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO claims(title, summary, status, cluster_id, incident_id, created_at, "
                "created_by, status_at, status_by) VALUES (?, ?, 'to_verify', ?, ?, ?, ?, ?, ?)",
                (title, summary, cluster_id, incident_id, now, actor, now, actor))
            claim_id = int(cur.lastrowid)
            self.audit(actor, "create", "claims", claim_id, None,
                       {"title": title, "summary": summary, "cluster_id": cluster_id})
            self.attach_posts(claim_id, posts, actor)
        return claim_id

    def attach_posts(self, claim_id: int, posts: Sequence[PostRef], actor: str) -> int:
        """Attach posts to a claim; a post still `new` leaves the triage queue (`triaged`),
        checked against the version the volunteer saw. Returns posts newly attached."""
        if not posts:
            return 0
        now = self.now()
        added = []
        with self.write() as conn:
            if not self.scalar("SELECT 1 FROM claims WHERE id = ?", (claim_id,)):
                raise StoreError(f"claims {claim_id} not found")
            for post_id, version in posts:
                row = self._post_for_edit(post_id, version)
                if row["status"] == "new":
                    self.versioned_update("posts", post_id, version, {"status": "triaged"},
                                          actor, action="attach_claim")
                cur = conn.execute(
                    "INSERT OR IGNORE INTO claim_posts(claim_id, post_id, added_at, added_by) "
                    "VALUES (?, ?, ?, ?)", (claim_id, post_id, now, actor))
                if cur.rowcount:
                    added.append(post_id)
            if added:
                self.audit(actor, "attach", "claims", claim_id, None, {"posts": added})
        return len(added)

    # -- reading -----------------------------------------------------------------------

    def get_claim(self, claim_id: int) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM claims WHERE id = ?", (claim_id,))

    def claims_board(self, *, incident_id: int | None = None, limit: int = 300,
                     stats: bool = True) -> list[dict[str, Any]]:
        """Claims of the incident (and those filed outside any incident) with their linked
        posts' count and first/last seen (unless `stats` is false: the board caches them),
        most recently moved first."""
        where, params = (("WHERE incident_id = ? OR incident_id IS NULL", [incident_id])
                         if incident_id else ("", []))
        claims = self.query(
            f"SELECT * FROM claims {where} ORDER BY coalesce(status_at, created_at) DESC, id "
            "DESC LIMIT ?", [*params, limit])
        if not stats:
            return claims
        found = self.claim_stats([c["id"] for c in claims])
        for c in claims:
            c.update(found.get(c["id"], {"posts": 0, "first_seen": None, "last_seen": None}))
        return claims

    def claim_stats(self, claim_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        if not claim_ids:
            return {}
        ids = _in(claim_ids)
        rows = self.query(
            f"WITH {_LINKED_TIMES.format(ids=ids)} SELECT l.claim_id, count(*) AS posts, "
            "min(l.created_at) AS first_seen, max(l.created_at) AS last_seen "
            "FROM linked l GROUP BY l.claim_id",
            [*claim_ids, *claim_ids])
        return {r.pop("claim_id"): r for r in rows}

    def claim_spread(self, claim_ids: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
        """Linked posts per 10 minutes, per claim: how fast each one spreads."""
        if not claim_ids:
            return {}
        ids = _in(claim_ids)
        out: dict[int, list[tuple[str, int]]] = {int(i): [] for i in claim_ids}
        for claim_id, bucket, n in self.conn.execute(
                f"WITH {_LINKED_TIMES.format(ids=ids)} SELECT l.claim_id, "
                "substr(l.created_at, 1, 15) || '0' AS bucket, count(*) FROM linked l "
                "WHERE l.created_at IS NOT NULL "
                "GROUP BY l.claim_id, bucket ORDER BY l.claim_id, bucket",
                [*claim_ids, *claim_ids]):
            out[int(claim_id)].append((bucket, int(n)))
        return out

    def claim_posts(self, claim_id: int, *, limit: int = 20) -> list[dict[str, Any]]:
        from vigie.store.posts import _decode_post

        rows = self.query(
            f"WITH {_LINKED.format(ids='?')} SELECT p.* FROM linked l JOIN posts p "
            "ON p.id = l.post_id ORDER BY p.created_at LIMIT ?", (claim_id, claim_id, limit))
        return [_decode_post(r) for r in rows]

    def claims_of_posts(self, post_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The claims each post is attached to (the triage card says so)."""
        if not post_ids:
            return {}
        out: dict[str, list[dict[str, Any]]] = {}
        for r in self.query(
                "SELECT cp.post_id, c.id, c.title, c.status FROM claim_posts cp JOIN claims c "
                f"ON c.id = cp.claim_id WHERE cp.post_id IN ({_in(post_ids)})", list(post_ids)):
            out.setdefault(r.pop("post_id"), []).append(r)
        return out

    def claims_for_cluster(self, cluster_id: str, *, limit: int = 5) -> list[dict[str, Any]]:
        """Claims made from this cluster, or holding one of its posts."""
        return self.query(
            "SELECT * FROM claims WHERE cluster_id = ? UNION "
            "SELECT c.* FROM claims c JOIN claim_posts cp ON cp.claim_id = c.id "
            "JOIN posts p ON p.id = cp.post_id WHERE p.cluster_id = ? OR p.id = ? "
            "ORDER BY id DESC LIMIT ?", (cluster_id, cluster_id, cluster_id, limit))

    def claims_matching(self, fts: str, *, limit: int = 10) -> list[dict[str, Any]]:
        """Claims whose title or summary match an FTS query; each row carries the matched
        `text` so the caller can judge how close it is."""
        if not fts:
            return []
        return self.query(
            "SELECT c.*, c.title || ' ' || coalesce(c.summary, '') AS text FROM claims_fts f "
            "JOIN claims c ON c.id = f.rowid WHERE claims_fts MATCH ? ORDER BY f.rank LIMIT ?",
            (fts, limit))

    def claim_sample_texts(self, *, per_claim: int = 3, claims: int = 500
                           ) -> list[dict[str, Any]]:
        """A few linked posts' texts per claim (the newest claims first), to compare a new
        post's words with. Bounded: a full-text match over every post (the old way) cost
        seconds at a million posts, while a claim's posts are near-copies of each other."""
        return self.query(
            "SELECT c.*, p.text AS text FROM (SELECT * FROM claims ORDER BY id DESC LIMIT ?) c "
            "CROSS JOIN claim_posts cp CROSS JOIN posts p "
            "WHERE cp.rowid IN (SELECT rowid FROM claim_posts WHERE claim_id = c.id "
            "ORDER BY post_id LIMIT ?) AND p.id = cp.post_id", (claims, per_claim))

    # -- edits -------------------------------------------------------------------------

    def update_claim(self, claim_id: int, version: int, changes: dict[str, Any],
                     actor: str) -> dict[str, Any]:
        bad = set(changes) - set(EDITABLE)
        if bad:
            raise ValueError(f"not editable here: {sorted(bad)}")
        return self.versioned_update("claims", claim_id, version, changes, actor,
                                     action="edit")

    def move_claim(self, claim_id: int, version: int, status: str, actor: str, *,
                   extra: dict[str, Any] | None = None, log_text: str | None = None,
                   incident_id: int | None = None) -> dict[str, Any]:
        """Change a claim's status, recording who and when; a verdict also stamps
        verdict_at/verdict_by, leaving a verdict clears them and unpublishes."""
        if status not in CLAIM_STATUSES:
            raise ValueError(status)
        now = self.now()
        changes: dict[str, Any] = {"status": status, "status_at": now, "status_by": actor}
        if status in VERDICTS:
            changes.update(verdict_at=now, verdict_by=actor)
        else:
            changes.update(verdict_at=None, verdict_by=None, published=0)
        bad = set(extra or {}) - set(EDITABLE)
        if bad:
            raise ValueError(f"not editable here: {sorted(bad)}")
        changes.update(extra or {})
        with self.write():
            row = self.versioned_update("claims", claim_id, version, changes, actor,
                                        action="status")
            if log_text:
                self.add_log("vigie", log_text, kind="system", entity="claims",
                             entity_id=claim_id, incident_id=incident_id)
        return row

    def publish_claim(self, claim_id: int, version: int, published: bool, actor: str, *,
                      log_text: str | None = None,
                      incident_id: int | None = None) -> dict[str, Any]:
        with self.write():
            row = self.versioned_update("claims", claim_id, version,
                                        {"published": int(published)}, actor,
                                        action="publish" if published else "unpublish")
            if log_text:
                self.add_log("vigie", log_text, kind="system", entity="claims",
                             entity_id=claim_id, incident_id=incident_id)
        return row

    def add_evidence(self, claim_id: int, kind: str, content: str, actor: str, *,
                     url: str | None = None) -> int:
        if kind not in ("note", "link"):
            raise ValueError(kind)
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO evidence(claim_id, kind, content, url, author, at) "
                "VALUES (?, ?, ?, ?, ?, ?)", (claim_id, kind, content, url, actor, self.now()))
            evidence_id = int(cur.lastrowid)
            self.audit(actor, "add_evidence", "claims", claim_id, None,
                       {"evidence": evidence_id, "kind": kind, "content": content, "url": url})
        return evidence_id

    def evidence_for(self, claim_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        if not claim_ids:
            return {}
        out: dict[int, list[dict[str, Any]]] = {int(i): [] for i in claim_ids}
        for r in self.query(f"SELECT * FROM evidence WHERE claim_id IN ({_in(claim_ids)}) "
                            "ORDER BY at, id", list(claim_ids)):
            out[int(r["claim_id"])].append(r)
        return out

    # -- shift figures -----------------------------------------------------------------

    def claim_status_counts(self, *, incident_id: int | None = None) -> dict[str, int]:
        where, params = ("WHERE incident_id = ?", [incident_id]) if incident_id else ("", [])
        out = {s: 0 for s in CLAIM_STATUSES}
        for status, n in self.conn.execute(
                f"SELECT status, count(*) FROM claims {where} GROUP BY status", params):
            out[status] = int(n)
        return out

    def verdicts_since(self, since: str, *,
                       incident_id: int | None = None) -> list[dict[str, Any]]:
        inc = "AND incident_id = ?" if incident_id else ""
        claims = self.query(
            f"SELECT * FROM claims WHERE verdict_at >= ? {inc} ORDER BY verdict_at",
            [since, *([incident_id] if incident_id else [])])
        stats = self.claim_stats([c["id"] for c in claims])
        for c in claims:
            c.update(stats.get(c["id"], {"posts": 0, "first_seen": None, "last_seen": None}))
        return claims
