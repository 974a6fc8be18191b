"""Sources: cursors and health, as the collectors record them (definitions: source_admin)."""

from __future__ import annotations

from typing import Any

from vigie.store.db import dumps, loads


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    row["options"] = loads(row.get("options"), {})
    row["state"] = loads(row.get("state"), {})
    return row


class SourcesMixin:
    """SQL for the `sources` table. Mixed into vigie.store.Store."""

    def request_run(self, name: str) -> None:
        """Ask the collectors process to run this source at its next tick ("run now")."""
        with self.write() as conn:
            conn.execute("UPDATE sources SET run_requested = 1 WHERE name = ?", (name,))

    def get_source(self, name: str) -> dict[str, Any] | None:
        row = self.query_one("SELECT * FROM sources WHERE name = ?", (name,))
        return _decode(row) if row else None

    def list_sources(self) -> list[dict[str, Any]]:
        return [_decode(r) for r in self.query("SELECT * FROM sources ORDER BY name")]

    def source_state(self, name: str) -> dict[str, Any]:
        """The collector's state, with the controls people set (e.g. a replay's pause)
        laid over it: the collectors rewrite `state` after each run, never `control`."""
        row = self.query_one("SELECT state, control FROM sources WHERE name = ?", (name,))
        if row is None:
            return {}
        return {**loads(row["state"], {}), **loads(row.get("control"), {})}

    def record_success(self, name: str, *, items: int, rejected: int, state: dict[str, Any],
                       lag_seconds: float | None, warning: str | None = None,
                       newest_item_at: str | None = None, at: str | None = None) -> None:
        """Health after a good run (the runner clears `late_since` and says so in the log).
        `at`: the runner's clock (default now)."""
        now = at or self.now()
        with self.write() as conn:
            conn.execute(
                "UPDATE sources SET last_run_at = ?, last_ok_at = ?, consecutive_failures = 0, "
                "items_total = items_total + ?, items_last_run = ?, rejected_last_run = ?, "
                "state = ?, lag_seconds = COALESCE(?, lag_seconds), run_requested = 0, "
                "newest_item_at = COALESCE(?, newest_item_at), "
                "last_error = CASE WHEN ? IS NULL THEN last_error ELSE ? END, "
                "last_error_code = CASE WHEN ? IS NULL THEN last_error_code ELSE 'warning' END, "
                "last_error_at = CASE WHEN ? IS NULL THEN last_error_at ELSE ? END "
                "WHERE name = ?",
                (now, now, items, items, rejected, dumps(state), lag_seconds, newest_item_at,
                 warning, warning, warning, warning, now, name),
            )

    def record_failure(self, name: str, *, code: str, message: str,
                       items: int = 0, state: dict[str, Any] | None = None,
                       newest_item_at: str | None = None, at: str | None = None) -> None:
        """Health after a failed run. Items already stored in that run still count."""
        now = at or self.now()
        with self.write() as conn:
            conn.execute(
                "UPDATE sources SET last_run_at = ?, last_error = ?, last_error_code = ?, "
                "last_error_at = ?, consecutive_failures = consecutive_failures + 1, "
                "items_total = items_total + ?, items_last_run = ?, run_requested = 0, "
                "newest_item_at = COALESCE(?, newest_item_at), "
                "state = COALESCE(?, state) WHERE name = ?",
                (now, message, code, now, items, items, newest_item_at,
                 dumps(state) if state is not None else None, name),
            )

    def set_next_run(self, name: str, when: str) -> None:
        with self.write() as conn:
            conn.execute("UPDATE sources SET next_run_at = ? WHERE name = ?", (when, name))
