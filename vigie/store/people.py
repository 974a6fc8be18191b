"""People in distress or missing: restricted reports, followed until located or resolved.

Nothing here is ever projected to the public map; only volunteer pages read this table.
"""

from __future__ import annotations

from typing import Any

from vigie.store.db import StoreError

PERSON_KINDS = ("distress", "missing")
PERSON_STATUSES = ("reported", "escalated", "located", "resolved")
OPEN_STATUSES = ("reported", "escalated")
EDITABLE = ("description", "place", "notes", "kind")
_STAMP = {"escalated": "escalated_at", "located": "located_at", "resolved": "resolved_at"}


class PeopleMixin:
    """SQL for `people`. Mixed into vigie.store.Store."""

    def report_person(self, kind: str, description: str, actor: str, *,
                      post_id: str | None = None, place: str | None = None,
                      lat: float | None = None, lon: float | None = None,
                      incident_id: int | None = None) -> int:
        if kind not in PERSON_KINDS:
            raise ValueError(kind)
        description = (description or "").strip()
        if not description:
            raise StoreError("a report needs a description")
        now = self.now()
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO people(kind, description, place, lat, lon, post_id, status, "
                "reported_at, created_by, incident_id, updated_at, updated_by) "
                "VALUES (?, ?, ?, ?, ?, ?, 'reported', ?, ?, ?, ?, ?)",
                (kind, description, place, lat, lon, post_id, now, actor, incident_id, now,
                 actor))
            person_id = int(cur.lastrowid)
            self.audit(actor, "report", "people", person_id, None,
                       {"kind": kind, "description": description, "place": place,
                        "post_id": post_id})
        return person_id

    def get_person(self, person_id: int) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM people WHERE id = ?", (person_id,))

    def people_reports(self, *, incident_id: int | None = None, open_only: bool = False,
                       limit: int = 300) -> list[dict[str, Any]]:
        """Open reports first, the longest waiting on top; then closed ones, latest first.
        Each row carries the linked post's text (`post_text`)."""
        clauses, params = [], []
        if incident_id is not None:
            clauses.append("(pe.incident_id = ? OR pe.incident_id IS NULL)")
            params.append(incident_id)
        if open_only:
            clauses.append("pe.status IN ('reported', 'escalated')")
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self.query(
            "SELECT pe.*, p.text AS post_text, p.author AS post_author, p.url AS post_url "
            f"FROM people pe LEFT JOIN posts p ON p.id = pe.post_id {where} "
            "ORDER BY pe.status IN ('located', 'resolved'), "
            "CASE WHEN pe.status IN ('reported', 'escalated') THEN pe.reported_at END ASC, "
            "coalesce(pe.resolved_at, pe.located_at) DESC, pe.id LIMIT ?", [*params, limit])

    def people_of_posts(self, post_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        if not post_ids:
            return {}
        out: dict[str, list[dict[str, Any]]] = {}
        marks = ",".join("?" * len(post_ids))
        for r in self.query(f"SELECT * FROM people WHERE post_id IN ({marks})", post_ids):
            out.setdefault(r["post_id"], []).append(r)
        return out

    def move_person(self, person_id: int, version: int, status: str, actor: str, *,
                    escalated_to: str | None = None, log_text: str | None = None,
                    incident_id: int | None = None) -> dict[str, Any]:
        """Follow a report to its next status, stamping when (and, for an escalation, to
        whom and by whom)."""
        if status not in PERSON_STATUSES:
            raise ValueError(status)
        changes: dict[str, Any] = {"status": status}
        if status in _STAMP:
            changes[_STAMP[status]] = self.now()
        if status == "escalated":
            changes.update(escalated_to=escalated_to or "SDIS", escalated_by=actor)
        with self.write():
            row = self.versioned_update("people", person_id, version, changes, actor,
                                        action="status")
            if log_text:
                self.add_log("vigie", log_text, kind="system", entity="people",
                             entity_id=person_id, incident_id=incident_id)
        return row

    def update_person(self, person_id: int, version: int, changes: dict[str, Any],
                      actor: str) -> dict[str, Any]:
        bad = set(changes) - set(EDITABLE)
        if bad:
            raise ValueError(f"not editable here: {sorted(bad)}")
        return self.versioned_update("people", person_id, version, changes, actor,
                                     action="edit")

    def people_counts(self, *, incident_id: int | None = None) -> dict[str, int]:
        where, params = ("WHERE incident_id = ?", [incident_id]) if incident_id else ("", [])
        out = {s: 0 for s in PERSON_STATUSES}
        for status, n in self.conn.execute(
                f"SELECT status, count(*) FROM people {where} GROUP BY status", params):
            out[status] = int(n)
        return out
