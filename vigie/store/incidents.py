"""Incidents: real activations and exercises, and which one is active."""

from __future__ import annotations

from typing import Any

from vigie.store.db import dumps, loads


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    row["keywords"] = loads(row.get("keywords"), [])
    row["departements"] = loads(row.get("departements"), ["21"])
    row["exercise"] = bool(row.get("exercise"))
    return row


class IncidentsMixin:
    """SQL for `incidents`. Mixed into vigie.store.Store."""

    def create_incident(self, name: str, *, exercise: bool, area: str | None = None,
                        keywords: list[str] | None = None, departements: list[str] | None = None,
                        scenario: str | None = None, speed: float | None = None,
                        created_by: str | None = None) -> int:
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO incidents(name, area, keywords, departements, exercise, status, "
                "scenario, speed, started_at, created_by) "
                "VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)",
                (name, area, dumps(keywords or []), dumps(departements or ["21"]), int(exercise),
                 scenario, speed, self.now(), created_by),
            )
            return int(cur.lastrowid)

    def get_incident(self, incident_id: int) -> dict[str, Any] | None:
        row = self.query_one("SELECT * FROM incidents WHERE id = ?", (incident_id,))
        return _decode(row) if row else None

    def find_incident_by_scenario(self, scenario: str) -> dict[str, Any] | None:
        row = self.query_one(
            "SELECT * FROM incidents WHERE scenario = ? AND status != 'closed' "
            "ORDER BY id DESC LIMIT 1", (scenario,))
        return _decode(row) if row else None

    def active_incident(self) -> dict[str, Any] | None:
        """The incident pages show: the newest that is not closed."""
        row = self.query_one(
            "SELECT * FROM incidents WHERE status != 'closed' ORDER BY id DESC LIMIT 1")
        return _decode(row) if row else None

    def list_incidents(self) -> list[dict[str, Any]]:
        return [_decode(r) for r in self.query("SELECT * FROM incidents ORDER BY id DESC")]

    def set_incident_status(self, incident_id: int, status: str) -> None:
        ended = self.now() if status == "closed" else None
        with self.write() as conn:
            conn.execute(
                "UPDATE incidents SET status = ?, ended_at = COALESCE(?, ended_at) WHERE id = ?",
                (status, ended, incident_id))
