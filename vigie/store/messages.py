"""Messages to the public: drafts, approvals, sends, and what fills their placeholders.

Edits of an existing message go through `versioned_update` (stale edits refused, audited);
the workflow rules (who may do what, the EXERCICE prefix) live in `vigie.messages`.
"""

from __future__ import annotations

from typing import Any

MESSAGE_FIELDS = ("kind", "hazard", "template", "title", "body", "area", "claim_id",
                  "cap_urgency", "cap_severity", "cap_certainty")


class MessagesMixin:
    """SQL for `messages`, `message_sends` and the claims a debunk starts from."""

    def create_message(self, values: dict[str, Any], *, actor: str, incident_id: int | None,
                       exercise: bool) -> int:
        """Insert a draft and its audit row in one transaction."""
        row = {k: values.get(k) for k in MESSAGE_FIELDS}
        now = self.now()
        with self.write() as conn:
            cur = conn.execute(
                f"INSERT INTO messages ({', '.join(row)}, status, incident_id, exercise, "
                f"created_at, created_by, updated_at, updated_by) "
                f"VALUES ({', '.join('?' * len(row))}, 'draft', ?, ?, ?, ?, ?, ?)",
                (*row.values(), incident_id, int(exercise), now, actor, now, actor))
            message_id = int(cur.lastrowid)
            self.audit(actor, "create", "messages", message_id, None, row)
        return message_id

    def get_message(self, message_id: int) -> dict[str, Any] | None:
        row = self.query_one("SELECT * FROM messages WHERE id = ?", (message_id,))
        if row:
            row["exercise"] = bool(row["exercise"])
        return row

    def list_messages(self, *, statuses: tuple[str, ...] = (), kinds: tuple[str, ...] = (),
                      limit: int = 200) -> list[dict[str, Any]]:
        clauses, params = [], []
        if statuses:
            clauses.append(f"status IN ({','.join('?' * len(statuses))})")
            params.extend(statuses)
        if kinds:
            clauses.append(f"kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        where = " AND ".join(clauses) or "1"
        rows = self.query(
            f"SELECT * FROM messages WHERE {where} ORDER BY COALESCE(updated_at, created_at) "
            "DESC, id DESC LIMIT ?", [*params, limit])
        for r in rows:
            r["exercise"] = bool(r["exercise"])
        return rows

    def record_message_send(self, message_id: int, expected_version: int, *, channel: str,
                            sent_at: str, actor: str, note: str | None = None
                            ) -> dict[str, Any]:
        """One send on one channel: a `message_sends` row, and the message marked sent
        (first send time kept, channels listed), in one transaction."""
        with self.write() as conn:
            current = self.get_message(message_id) or {}
            channels = [c for c in (current.get("channel") or "").split(", ") if c]
            if channel not in channels:
                channels.append(channel)
            first = current.get("sent_at")
            row = self.versioned_update(
                "messages", message_id, expected_version,
                {"status": "sent", "channel": ", ".join(channels),
                 "sent_at": min(first, sent_at) if first else sent_at, "sent_by": actor},
                actor, action="send")
            conn.execute(
                "INSERT INTO message_sends(message_id, channel, sent_at, recorded_at, "
                "recorded_by, note) VALUES (?, ?, ?, ?, ?, ?)",
                (message_id, channel, sent_at, self.now(), actor, note))
        return row

    def message_sends(self, message_id: int) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM message_sends WHERE message_id = ? ORDER BY sent_at",
                          (message_id,))

    def messages_sent_between(self, since: str | None, until: str) -> list[dict[str, Any]]:
        return self.query(
            "SELECT s.channel, s.sent_at, s.recorded_by, m.id, m.kind, m.hazard, m.title "
            "FROM message_sends s JOIN messages m ON m.id = s.message_id "
            "WHERE s.sent_at >= ? AND s.sent_at < ? ORDER BY s.sent_at",
            (since or "", until))

    # -- what a debunk starts from ------------------------------------------------------

    def debunkable_claims(self, limit: int = 200) -> list[dict[str, Any]]:
        """Claims judged false or misleading, newest verdict first, with their spread."""
        return self.query(
            "SELECT c.id, c.title, c.summary, c.status, c.public_message, c.verdict_note, "
            "c.verdict_at, c.created_at, c.incident_id, "
            "(SELECT count(*) FROM claim_posts cp WHERE cp.claim_id = c.id) AS posts "
            "FROM claims c WHERE c.status IN ('false', 'misleading') "
            "ORDER BY COALESCE(c.verdict_at, c.updated_at, c.created_at) DESC LIMIT ?",
            (limit,))

    def get_claim_row(self, claim_id: int) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM claims WHERE id = ?", (claim_id,))

    def claim_appearances(self, claim_id: int, limit: int = 50) -> list[dict[str, Any]]:
        """Where a claim was seen: its posts' URLs and times, oldest first."""
        return self.query(
            "SELECT p.url, p.created_at, p.kind FROM claim_posts cp "
            "JOIN posts p ON p.id = cp.post_id WHERE cp.claim_id = ? "
            "ORDER BY p.created_at, p.id LIMIT ?", (claim_id, limit))

    # -- what fills placeholders -------------------------------------------------------

    def placeholder_roads(self, limit: int = 100) -> list[dict[str, Any]]:
        """Road events in force: closures first, then the rest, newest first."""
        return self.query(
            "SELECT id, road, commune, event_type, detour, direction, starts_at, description "
            "FROM road_events WHERE status = 'active' "
            "ORDER BY event_type != 'closure', COALESCE(starts_at, updated_at) DESC LIMIT ?",
            (limit,))

    def placeholder_places(self, since: str | None, limit: int = 30) -> list[str]:
        """Communes most talked about since `since` (the places index makes this cheap)."""
        return [r["place"] for r in self.query(
            "SELECT place, count(*) AS n FROM posts WHERE place IS NOT NULL "
            "AND created_at >= ? GROUP BY place ORDER BY n DESC LIMIT ?",
            (since or "", limit))]

    def placeholder_shelters(self) -> list[dict[str, Any]]:
        return self.query(
            "SELECT name, commune, address FROM shelters WHERE status = 'open' ORDER BY name")
