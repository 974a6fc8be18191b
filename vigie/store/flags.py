"""Posts flagged for verification (e.g. a road contradiction), for the Roads page and
the triage queue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from vigie.store.db import dumps, loads
from vigie.store.posts import _decode_post

_FLAG_COLUMNS = ("post_id", "kind", "road", "post_says", "feed_says", "event_id", "place",
                 "words", "detail", "incident_id", "created_at")


def _decode_flag(row: dict[str, Any]) -> dict[str, Any]:
    row["detail"] = loads(row.get("detail"), {})
    return row


class FlagsMixin:
    """SQL for `post_flags`. Mixed into vigie.store.Store."""

    def add_post_flags(self, flags: Iterable[dict[str, Any]]) -> int:
        """Store flags; one already there for (post, kind, road) is kept as it was."""
        added = 0
        now = self.now()
        with self.write() as conn:
            for flag in flags:
                values = {**flag, "created_at": flag.get("created_at") or now,
                          "detail": dumps(flag.get("detail") or {})}
                cur = conn.execute(
                    f"INSERT OR IGNORE INTO post_flags ({', '.join(_FLAG_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(_FLAG_COLUMNS))})",
                    [values.get(c) for c in _FLAG_COLUMNS])
                added += cur.rowcount
        return added

    def posts_for_flagging(self, post_ids: Sequence[str]) -> list[dict[str, Any]]:
        """What the contradiction check reads of new posts."""
        out: list[dict[str, Any]] = []
        ids = list(post_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.extend(self.query(
                "SELECT id, text, place, insee, lat, lon, created_at, incident_id FROM posts "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def post_flags(self, post_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Flags of these posts, by post id (for cards in any list of posts)."""
        out: dict[str, list[dict[str, Any]]] = {}
        ids = list(post_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for row in self.query(
                    f"SELECT * FROM post_flags WHERE post_id IN ({','.join('?' * len(chunk))}) "
                    "ORDER BY id", chunk):
                out.setdefault(row["post_id"], []).append(_decode_flag(row))
        return out

    def flagged_posts(self, *, status: str | None = "open", kind: str | None = None,
                      since: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Flags newest first, each with its post under "post" (the triage queue and the
        Roads page use it)."""
        clauses, params = ["1"], []
        if status:
            clauses.append("f.status = ?")
            params.append(status)
        if kind:
            clauses.append("f.kind = ?")
            params.append(kind)
        if since:
            clauses.append("f.created_at >= ?")
            params.append(since)
        rows = self.query(
            "SELECT f.*, p.id AS p_id, p.source AS p_source, p.kind AS p_kind, "
            "p.author AS p_author, p.text AS p_text, p.url AS p_url, "
            "p.created_at AS p_created_at, p.place AS p_place, p.categories AS p_categories, "
            "p.urgency AS p_urgency, p.status AS p_status, p.cluster_id AS p_cluster_id "
            f"FROM post_flags f JOIN posts p ON p.id = f.post_id WHERE {' AND '.join(clauses)} "
            "ORDER BY f.created_at DESC, f.id DESC LIMIT ?", [*params, limit])
        out = []
        for row in rows:
            post = _decode_post({k[2:]: row.pop(k) for k in list(row) if k.startswith("p_")})
            flag = _decode_flag(row)
            flag["post"] = post
            out.append(flag)
        return out

    def count_flagged_posts(self, *, status: str = "open") -> int:
        return int(self.scalar("SELECT count(*) FROM post_flags WHERE status = ?", (status,)))

    def set_flag_status(self, flag_id: int, expected_version: int, status: str, actor: str,
                        note: str | None = None) -> dict[str, Any]:
        """A volunteer checked the flag (StaleEdit if someone else did meanwhile)."""
        changes: dict[str, Any] = {"status": status}
        if note is not None:
            changes["note"] = note
        return _decode_flag(self.versioned_update("post_flags", flag_id, expected_version,
                                                  changes, actor, action=f"flag.{status}"))
