"""Accounts as the Admin page changes them: versioned, audited, never without an admin."""

from __future__ import annotations

from typing import Any

from vigie.store.db import StaleEdit, StoreError, dumps


class LastAdmin(StoreError):
    """The change would leave no active admin account: nothing was written."""


class AccountAdminMixin:
    """SQL for the Admin page's Users tab. Mixed into vigie.store.Store."""

    def list_accounts(self) -> list[dict[str, Any]]:
        """Every account without its password hash, with the version an edit needs."""
        return self.query(
            "SELECT id, username, role, display_name, active, created_at, last_login_at, "
            "version, updated_at, updated_by FROM users ORDER BY username")

    def count_active_admins(self) -> int:
        return int(self.scalar("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1"))

    def change_account(self, username: str, expected_version: int, changes: dict[str, Any],
                       actor: str, *, action: str) -> dict[str, Any]:
        """Role or active flag; refuses a stale edit and any change that leaves no admin."""
        allowed = {"role", "active", "session_epoch"}
        if set(changes) - allowed:
            raise ValueError(f"cannot change {sorted(set(changes) - allowed)} here")
        with self.write():
            row = self.versioned_update("users", username, expected_version, changes, actor,
                                        action=action, key="username")
            if self.count_active_admins() < 1:
                raise LastAdmin(username)  # rolls the whole transaction back
        row.pop("password_hash", None)
        return row

    def reset_password(self, username: str, expected_version: int, password_hash: str,
                       actor: str) -> None:
        """New password and every session of the user ended; the audit never holds hashes."""
        now = self.now()
        with self.write() as conn:
            row = conn.execute("SELECT version, updated_by, updated_at FROM users "
                               "WHERE username = ?", (username,)).fetchone()
            if row is None:
                raise StoreError(f"user {username} not found")
            if int(row["version"]) != int(expected_version):
                raise StaleEdit("users", username, row["updated_by"], row["updated_at"])
            conn.execute(
                "UPDATE users SET password_hash = ?, version = version + 1, updated_at = ?, "
                "updated_by = ? WHERE username = ?", (password_hash, now, actor, username))
            self.bump_session_epoch(username)  # same transaction: every session ends
            conn.execute(
                "INSERT INTO audit(at, actor, action, entity, entity_id, before, after) "
                "VALUES (?, ?, 'reset_password', 'users', ?, NULL, ?)",
                (now, actor, username, dumps({"password": "changed", "sessions": "ended"})))
