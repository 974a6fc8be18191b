"""The audit trail and the main courante: both append-only (triggers enforce it)."""

from __future__ import annotations

from typing import Any

from vigie.store.db import dumps, loads


class JournalMixin:
    """SQL for `audit` and `log`. Mixed into vigie.store.Store."""

    def audit(self, actor: str, action: str, entity: str, entity_id: Any,
              before: Any = None, after: Any = None) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO audit(at, actor, action, entity, entity_id, before, after) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.now(), actor, action, entity, None if entity_id is None else str(entity_id),
                 None if before is None else dumps(before),
                 None if after is None else dumps(after)),
            )

    def audit_entries(self, *, entity: str | None = None, entity_id: Any = None,
                      limit: int = 200) -> list[dict[str, Any]]:
        clauses, params = [], []
        if entity:
            clauses.append("entity = ?")
            params.append(entity)
        if entity_id is not None:
            clauses.append("entity_id = ?")
            params.append(str(entity_id))
        where = " AND ".join(clauses) or "1"
        rows = self.query(f"SELECT * FROM audit WHERE {where} ORDER BY id DESC LIMIT ?",
                          [*params, limit])
        for r in rows:
            r["before"], r["after"] = loads(r["before"]), loads(r["after"])
        return rows

    def add_log(self, author: str, text: str, *, kind: str = "entry", entity: str | None = None,
                entity_id: Any = None, incident_id: int | None = None) -> int:
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO log(at, author, kind, text, entity, entity_id, incident_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (self.now(), author, kind, text, entity,
                 None if entity_id is None else str(entity_id), incident_id),
            )
            return int(cur.lastrowid)

    def log_entries(self, *, since: str | None = None, until: str | None = None,
                    kinds: list[str] | None = None, authors: list[str] | None = None,
                    search: str | None = None, incident_id: int | None = None,
                    limit: int = 500) -> list[dict[str, Any]]:
        """Main courante lines, newest first, filtered by period, kind, author and text."""
        clauses, params = [], []
        if since:
            clauses.append("at >= ?")
            params.append(since)
        if until:
            clauses.append("at < ?")
            params.append(until)
        if kinds:
            clauses.append(f"kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        if authors:
            clauses.append(f"author IN ({','.join('?' * len(authors))})")
            params.extend(authors)
        if incident_id is not None:
            clauses.append("(incident_id = ? OR incident_id IS NULL)")
            params.append(incident_id)
        if search:
            clauses.append("text LIKE ? ESCAPE '\\'")
            escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        where = " AND ".join(clauses) or "1"
        return self.query(f"SELECT * FROM log WHERE {where} ORDER BY id DESC LIMIT ?",
                          [*params, limit])

    def log_authors(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT author FROM log ORDER BY 1")]
