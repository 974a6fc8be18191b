"""Accounts and login attempts. Hashing and sessions live in vigie.auth."""

from __future__ import annotations

from typing import Any


class AccountsMixin:
    """SQL for `users` and `login_attempts`. Mixed into vigie.store.Store."""

    def add_user(self, username: str, password_hash: str, role: str,
                 display_name: str | None = None) -> int:
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO users(username, password_hash, role, display_name, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (username, password_hash, role, display_name, self.now()),
            )
            return int(cur.lastrowid)

    def get_user(self, username: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM users WHERE username = ?", (username,))

    def list_users(self) -> list[dict[str, Any]]:
        return self.query(
            "SELECT id, username, role, display_name, active, created_at, last_login_at "
            "FROM users ORDER BY username")

    def count_users(self) -> int:
        return int(self.scalar("SELECT count(*) FROM users"))

    def update_user(self, username: str, **fields: Any) -> None:
        allowed = {"password_hash", "role", "display_name", "active", "session_epoch",
                   "last_login_at"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"cannot update {sorted(set(fields) - allowed)}")
        assignments = ", ".join(f"{k} = ?" for k in fields)
        with self.write() as conn:
            conn.execute(f"UPDATE users SET {assignments} WHERE username = ?",
                         [*fields.values(), username])

    def bump_session_epoch(self, username: str) -> None:
        """End every session of this user (password change, logout everywhere)."""
        with self.write() as conn:
            conn.execute("UPDATE users SET session_epoch = session_epoch + 1 WHERE username = ?",
                         (username,))

    def record_login_attempt(self, username: str, client: str | None, ok: bool) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO login_attempts(username, client, at, ok) VALUES (?, ?, ?, ?)",
                (username, client, self.now(), int(ok)))
            if ok:
                conn.execute("UPDATE users SET last_login_at = ? WHERE username = ?",
                             (self.now(), username))

    def failed_logins_since(self, username: str, since: str,
                            client: str | None = None) -> tuple[int, int]:
        """For throttling (vigie.auth.authenticate), within the window and since the
        account's last success: (failures from this client, clients that failed)."""
        row = self.conn.execute(
            "SELECT count(*) FILTER (WHERE client IS ?), count(DISTINCT coalesce(client, '')) "
            "FROM login_attempts WHERE username = ? AND at >= ? AND ok = 0 "
            "AND id > COALESCE((SELECT max(id) FROM login_attempts "
            "WHERE username = ? AND ok = 1), 0)",
            (client, username, since, username)).fetchone()
        return int(row[0]), int(row[1])
