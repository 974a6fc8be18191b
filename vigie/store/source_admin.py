"""Sources as the Admin page and the sources file shape them: seeding, adding, editing.

The sources file seeds the `sources` table; the table is what the collectors run. A
file entry is applied when it is new or when it differs from the entry last applied
(`file_definition`), so an edit made in the Admin page lasts until the same source is
edited in the file. A file source that left the file is disabled, never deleted (its
health and items stay). Every change is audited in the transaction that makes it.
"""

from __future__ import annotations

import json
from typing import Any

from vigie.store.db import StoreError, dumps, loads

FILE_ACTOR = "fichier-sources"
# Fields of a source that define what is collected (the rest is health and cursor).
DEFINITION = ("kind", "url", "every", "enabled", "options")
# Changing one of these makes the stored cursor (ETag, since_id...) meaningless.
CURSOR_FIELDS = ("kind", "url", "options")


def definition(kind: str, url: str | None, every: float, enabled: bool,
               options: dict[str, Any] | None) -> dict[str, Any]:
    """The canonical form of a source's definition (compared as JSON)."""
    return {"kind": kind, "url": url or "", "every": float(every), "enabled": bool(enabled),
            "options": options or {}}


def canonical(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def origin_of(row: dict[str, Any]) -> str:
    """'admin' (added in the Admin page), 'file', 'file_edited' (from the file, then
    edited in the Admin page: that edit holds until the file's entry changes) or
    'file_removed' (no longer in the file: disabled when the collectors started)."""
    if row.get("origin") == "admin":
        return "admin"
    applied = row.get("file_definition")
    if not applied:
        return "file_removed"
    if canonical(row_definition(row)) != applied:
        return "file_edited"
    return "file"


def row_definition(row: dict[str, Any]) -> dict[str, Any]:
    options = row["options"] if isinstance(row["options"], dict) else loads(row["options"], {})
    return definition(row["kind"], row["url"], row["every"], bool(row["enabled"]), options)


class SourceAdminMixin:
    """SQL for seeding and editing `sources`. Mixed into vigie.store.Store."""

    def seed_sources(self, entries: list[dict[str, Any]], *, actor: str = FILE_ACTOR,
                     retire: bool = True) -> dict[str, list[str]]:
        """Apply the sources file. `entries`: dicts with name + the DEFINITION fields.

        Returns the names added, updated (the file entry changed) and retired (a file
        source no longer in the file: disabled)."""
        done: dict[str, list[str]] = {"added": [], "updated": [], "retired": []}
        now = self.now()
        with self.write() as conn:
            names = set()
            for entry in entries:
                name = entry["name"]
                names.add(name)
                wanted = definition(entry["kind"], entry.get("url"), entry.get("every", 60),
                                    entry.get("enabled", True), entry.get("options"))
                text = canonical(wanted)
                row = conn.execute("SELECT * FROM sources WHERE name = ?", (name,)).fetchone()
                if row is None:
                    conn.execute(
                        "INSERT INTO sources(name, kind, url, every, enabled, options, origin, "
                        "file_definition, created_at, updated_at, updated_by) "
                        "VALUES (?, ?, ?, ?, ?, ?, 'file', ?, ?, ?, ?)",
                        (name, wanted["kind"], wanted["url"], wanted["every"],
                         int(wanted["enabled"]), dumps(wanted["options"]), text, now, now,
                         actor))
                    self._audit_in(conn, actor, "create", name, None, wanted)
                    done["added"].append(name)
                    continue
                row = dict(row)
                if row.get("file_definition") == text:
                    continue  # the file did not change: the database (Admin edits) wins
                before = row_definition(row)
                reset = any(before[f] != wanted[f] for f in CURSOR_FIELDS)
                conn.execute(
                    "UPDATE sources SET kind = ?, url = ?, every = ?, enabled = ?, options = ?, "
                    "origin = 'file', file_definition = ?, version = version + 1, "
                    "updated_at = ?, updated_by = ?, "
                    "state = CASE WHEN ? THEN '{}' ELSE state END, "
                    "created_at = COALESCE(created_at, ?) WHERE name = ?",
                    (wanted["kind"], wanted["url"], wanted["every"], int(wanted["enabled"]),
                     dumps(wanted["options"]), text, now, actor, int(reset), now, name))
                if before != wanted:
                    self._audit_in(conn, actor, "update", name, before, wanted)
                    done["updated"].append(name)
            for row in conn.execute(
                    "SELECT name, enabled FROM sources WHERE origin = 'file' "
                    "AND file_definition IS NOT NULL").fetchall() if retire else []:
                if row["name"] in names:
                    continue
                conn.execute(
                    "UPDATE sources SET enabled = 0, file_definition = NULL, "
                    "version = version + 1, updated_at = ?, updated_by = ? WHERE name = ?",
                    (now, actor, row["name"]))
                self._audit_in(conn, actor, "retire", row["name"],
                               {"enabled": bool(row["enabled"])}, {"enabled": False})
                done["retired"].append(row["name"])
        return done

    def add_source(self, name: str, kind: str, url: str, every: float, enabled: bool,
                   options: dict[str, Any], actor: str) -> dict[str, Any]:
        """A source created in the Admin page (origin 'admin'). Refuses a taken name."""
        now = self.now()
        wanted = definition(kind, url, every, enabled, options)
        with self.write() as conn:
            if conn.execute("SELECT 1 FROM sources WHERE name = ?", (name,)).fetchone():
                raise StoreError(f"source {name} exists")
            conn.execute(
                "INSERT INTO sources(name, kind, url, every, enabled, options, origin, "
                "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, 'admin', ?, ?, ?)",
                (name, kind, wanted["url"], wanted["every"], int(enabled), dumps(options), now,
                 now, actor))
            self._audit_in(conn, actor, "create", name, None, wanted)
        return self.get_source(name)

    def edit_source(self, name: str, expected_version: int, changes: dict[str, Any],
                    actor: str, *, action: str = "update") -> dict[str, Any]:
        """A human edit of a source's definition; StaleEdit if someone changed it since.

        A change of kind, address or options also clears the cursor, which belonged to
        the old feed."""
        unknown = set(changes) - set(DEFINITION)
        if unknown:
            raise ValueError(f"not a source definition field: {sorted(unknown)}")
        with self.write():
            current = self.get_source(name)
            if current is None:
                raise StoreError(f"source {name} not found")
            before = row_definition(current)
            after = definition(**{**before, **changes})
            real = {k: after[k] for k in changes if after[k] != before[k]}
            if not real:
                return current
            values: dict[str, Any] = {k: (int(v) if k == "enabled" else v)
                                      for k, v in real.items()}
            if any(f in real for f in CURSOR_FIELDS):
                values["state"] = {}
            self.versioned_update("sources", name, expected_version, values, actor,
                                  action=action, key="name")
        return self.get_source(name)

    def set_source_late(self, name: str, since: str | None) -> None:
        """The runner's mark: late since `since` (None: on time again)."""
        with self.write() as conn:
            conn.execute("UPDATE sources SET late_since = ? WHERE name = ?", (since, name))

    def _audit_in(self, conn: Any, actor: str, action: str, name: str, before: Any,
                  after: Any) -> None:
        conn.execute(
            "INSERT INTO audit(at, actor, action, entity, entity_id, before, after) "
            "VALUES (?, ?, ?, 'sources', ?, ?, ?)",
            (self.now(), actor, action, name, None if before is None else dumps(before),
             None if after is None else dumps(after)))
