"""Exercise control: which source feeds which incident, replay controls, and the purge
of one exercise's data (never a real incident's)."""

from __future__ import annotations

from typing import Any

from vigie.store.db import StoreError, dumps, loads
from vigie.store.incidents import _decode

# Tables emptied of one exercise's rows by their incident_id, children before parents.
# Tables added later with an incident_id column are found and purged too (see purge).
_PURGE_ORDER = ("spikes", "messages", "people", "claims", "shelters", "alerts", "road_events",
                "posts")
# What a purge reports, in this order.
PURGE_REPORT = ("posts", "road_events", "alerts", "claims", "people", "messages", "spikes",
                "log")
_NOT_PURGED = {"incidents", "audit", "log"}


class ExercisesMixin:
    """SQL for exercise control. Mixed into vigie.store.Store."""

    # -- incidents and their sources ---------------------------------------------------

    def incident_for_source(self, source: str, scenario: str | None) -> dict[str, Any] | None:
        """The incident a replay source feeds: the one linked to it (even closed, so a late
        run of a stopped exercise never opens a new one), else an open one of the same
        scenario that no source has claimed yet (older databases), which it then claims."""
        row = self.query_one("SELECT * FROM incidents WHERE source = ? ORDER BY id DESC "
                             "LIMIT 1", (source,))
        if row is None and scenario:
            with self.write() as conn:
                found = conn.execute(
                    "SELECT id FROM incidents WHERE source IS NULL AND scenario = ? "
                    "AND status != 'closed' ORDER BY id DESC LIMIT 1", (scenario,)).fetchone()
                if found:
                    conn.execute("UPDATE incidents SET source = ? WHERE id = ?",
                                 (source, found[0]))
            row = self.query_one("SELECT * FROM incidents WHERE id = ?",
                                 (found[0],)) if found else None
        return _decode(row) if row else None

    def set_incident_source(self, incident_id: int, source: str) -> None:
        with self.write() as conn:
            conn.execute("UPDATE incidents SET source = ? WHERE id = ?", (source, incident_id))

    def running_exercise(self) -> dict[str, Any] | None:
        """The newest exercise that is not closed (running or paused)."""
        row = self.query_one("SELECT * FROM incidents WHERE exercise = 1 AND status != 'closed' "
                             "ORDER BY id DESC LIMIT 1")
        return _decode(row) if row else None

    def active_real_incident(self) -> dict[str, Any] | None:
        """The newest real incident that is not closed: where real sources' posts belong,
        even while an exercise runs (so purging the exercise never takes real posts)."""
        row = self.query_one("SELECT * FROM incidents WHERE exercise = 0 AND status != 'closed' "
                             "ORDER BY id DESC LIMIT 1")
        return _decode(row) if row else None

    def update_incident(self, incident_id: int, changes: dict[str, Any], actor: str, *,
                        action: str) -> dict[str, Any]:
        """Change an incident's columns and audit it in the same transaction."""
        allowed = {"status", "ended_at", "purged_at", "speed", "name", "area"}
        if not changes or set(changes) - allowed:
            raise ValueError(f"cannot change {sorted(set(changes) - allowed)}")
        with self.write() as conn:
            before = conn.execute("SELECT * FROM incidents WHERE id = ?",
                                  (incident_id,)).fetchone()
            if before is None:
                raise StoreError(f"incident {incident_id} not found")
            assignments = ", ".join(f"{k} = ?" for k in changes)
            conn.execute(f"UPDATE incidents SET {assignments} WHERE id = ?",
                         (*changes.values(), incident_id))
            self.audit(actor, action, "incidents", incident_id,
                       {k: before[k] for k in changes}, changes)
        return self.get_incident(incident_id)

    # -- replay controls ---------------------------------------------------------------

    def source_control(self, name: str) -> dict[str, Any]:
        return loads(self.scalar("SELECT control FROM sources WHERE name = ?", (name,)), {})

    def set_source_control(self, name: str, control: dict[str, Any]) -> None:
        """Controls people set on a source (a replay's pause). The collectors read them
        merged into the source's state and never write them."""
        with self.write() as conn:
            conn.execute("UPDATE sources SET control = ?, updated_at = ? WHERE name = ?",
                         (dumps(control), self.now(), name))

    # -- purge -------------------------------------------------------------------------

    def incident_data_counts(self, incident_id: int) -> dict[str, int]:
        """How many rows of each kind belong to the incident (what a purge would remove)."""
        return {table: int(self.scalar(f"SELECT count(*) FROM {table} WHERE incident_id = ?",
                                       (incident_id,)))
                for table in PURGE_REPORT}

    def purge_exercise(self, incident_id: int, actor: str) -> dict[str, int]:
        """Delete every row of one EXERCISE incident, in one transaction: posts (with their
        categories, ratings, claim links, search index and near-duplicate index), road
        events, alerts, claims, people, messages, shelters, spikes and its main-courante
        lines. Real incidents are refused; the audit trail stays; the incident row stays,
        stamped `purged_at`. Returns the rows removed per table."""
        with self.write() as conn:
            incident = conn.execute("SELECT exercise, status FROM incidents WHERE id = ?",
                                    (incident_id,)).fetchone()
            if incident is None:
                raise StoreError(f"incident {incident_id} not found")
            if not incident["exercise"]:
                raise StoreError("a real incident's data is never purged")
            # Deferred: rows are removed children-first below, checked once at commit; a
            # real row still pointing at exercise data aborts the whole purge.
            conn.execute("PRAGMA defer_foreign_keys = ON")
            removed: dict[str, int] = {}
            self._purge_post_rows(conn, incident_id)
            self._purge_references(conn, incident_id)
            tables = [*_PURGE_ORDER, *(t for t in self._tables_with_incident_id(conn)
                                       if t not in _PURGE_ORDER and t not in _NOT_PURGED)]
            for table in tables:
                cur = conn.execute(f"DELETE FROM {table} WHERE incident_id = ?", (incident_id,))
                removed[table] = cur.rowcount
            cur = conn.execute("DELETE FROM log WHERE incident_id = ?", (incident_id,))
            removed["log"] = cur.rowcount
            stamp = self.now()
            conn.execute("UPDATE incidents SET purged_at = ? WHERE id = ?", (stamp, incident_id))
            self.audit(actor, "purge_exercise", "incidents", incident_id, None,
                       {"purged_at": stamp, "removed": removed})
        return removed

    def _tables_with_incident_id(self, conn: Any) -> list[str]:
        return [t for t in self._user_tables(conn)
                if any(c[1] == "incident_id" for c in conn.execute(f"PRAGMA table_info({t})"))]

    @staticmethod
    def _user_tables(conn: Any) -> list[str]:
        return [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%'")]

    def _purge_post_rows(self, conn: Any, incident_id: int) -> None:
        """Rows about the exercise's posts in any table with a `post_id` column (categories,
        ratings, claim links, the near-duplicate index, tags...), except where the link is
        ON DELETE SET NULL (a real report that cited an exercise post keeps the report)."""
        posts = "SELECT id FROM posts WHERE incident_id = ?"
        for table in self._user_tables(conn):
            if table in _NOT_PURGED or table == "posts":
                continue
            columns = {c[1] for c in conn.execute(f"PRAGMA table_info({table})")}
            if "post_id" not in columns:
                continue
            keeps = any(fk[3] == "post_id" and fk[6].upper() == "SET NULL"
                        for fk in conn.execute(f"PRAGMA foreign_key_list({table})"))
            if not keeps:
                conn.execute(f"DELETE FROM {table} WHERE post_id IN ({posts})", (incident_id,))

    def _purge_references(self, conn: Any, incident_id: int) -> None:
        """Rows of other tables that point (without ON DELETE) at rows about to go, e.g. a
        tag table another area adds: removed first so the purge never leaves them dangling."""
        targets = set(_PURGE_ORDER) | set(self._tables_with_incident_id(conn))
        targets -= _NOT_PURGED
        for table in self._user_tables(conn):
            for fk in conn.execute(f"PRAGMA foreign_key_list({table})").fetchall():
                parent, column, parent_col, on_delete = fk[2], fk[3], fk[4] or "id", fk[6]
                if parent not in targets or on_delete.upper() in ("CASCADE", "SET NULL"):
                    continue
                if table in targets:
                    continue  # purged by its own incident_id
                conn.execute(
                    f"DELETE FROM {table} WHERE {column} IN "
                    f"(SELECT {parent_col} FROM {parent} WHERE incident_id = ?)",
                    (incident_id,))
