"""Connections and migrations: the base every part of the store builds on.

One SQLite file in WAL mode. Each thread gets its own connection (Streamlit runs
each session's script in its own thread; the collectors write from theirs), with a
busy timeout so that a reader never fails because the collector is writing.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import sqlite_utils

from vigie.models import iso, utc_now
from vigie.store.checkpointer import WRITER_AUTOCHECKPOINT, BackgroundCheckpointer

BUSY_TIMEOUT_MS = 10_000
WRITER_CACHE_KIB = 32_768  # the post writer's page cache (SQLite's default: 2,000 KiB)
log = logging.getLogger("vigie.store")
DEFAULT_DB = Path("data") / "vigie.db"


def default_db_path() -> Path:
    return Path(os.environ.get("VIGIE_DB") or DEFAULT_DB)


class StoreError(Exception):
    """A store operation failed in a way the UI should explain (not a bug)."""


class StaleEdit(StoreError):
    """An edit was based on an older version of the row: nothing was written."""

    def __init__(self, entity: str, entity_id: Any, by: str | None, at: str | None) -> None:
        self.entity, self.entity_id, self.by, self.at = entity, entity_id, by, at
        super().__init__(f"{entity} {entity_id} changed by {by or '?'} at {at or '?'}")


class SearchSyntaxError(StoreError):
    """A full-text query the FTS engine cannot read."""


def _migrations() -> list[tuple[int, str, str]]:
    """Numbered migrations shipped in vigie/store/migrations/NNNN_name.sql, in order."""
    found = []
    for entry in resources.files("vigie.store.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def loads(value: Any, default: Any = None) -> Any:
    if value is None or value == "":
        return default
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return default


class BaseStore:
    """Holds the path, the per-thread connections and the migration logic."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, migrate: bool = True):
        self.path = Path(path) if path is not None else default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._writer_conn: sqlite3.Connection | None = None
        self._writer_lock = threading.Lock()
        self._checkpointer = BackgroundCheckpointer(self.connect)
        # The collectors set this: after a commit, restart the WAL at most this often.
        self.checkpoint_every: float | None = None
        self._last_checkpoint = time.monotonic()
        if migrate:
            self.migrate()

    # -- connections -------------------------------------------------------------------

    def connect(self) -> sqlite3.Connection:
        """A new connection set up like every other (WAL, busy timeout, foreign keys).
        Most code uses `conn`, this thread's own; a helper thread that lives for one task
        (the post writer) opens and closes its own."""
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self.connect()
            self._local.conn = conn
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils view of this thread's connection (table helpers, introspection)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite_utils.Database(self.conn)
            self._local.db = db
        return db

    def close_thread_connection(self) -> None:
        """Close the calling thread's connection only (a helper thread that ends)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
            self._local.db = None

    @contextmanager
    def writer_connection(self) -> Iterator[sqlite3.Connection]:
        """The post writer's connection, one user at a time (vigie.store.post_stream).
        Kept between batches with a larger page cache: a fresh connection re-read the
        ~1,800 index and FTS pages that 200 posts touch, at every batch. Its checkpoints
        are mostly left to a thread of their own (vigie.store.checkpointer)."""
        with self._writer_lock:
            if self._writer_conn is None:
                conn = self.connect()
                conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
                conn.execute(f"PRAGMA wal_autocheckpoint = {WRITER_AUTOCHECKPOINT}")
                self._writer_conn = conn
            yield self._writer_conn

    def writer_committed(self) -> None:
        """The post writer committed: checkpoint now, on the checkpointer's thread."""
        self._checkpointer.poke()

    def close(self) -> None:
        """Close this thread's connection, the post writer's and the checkpointer's."""
        self.close_thread_connection()
        self._checkpointer.close()
        with self._writer_lock:
            if self._writer_conn is not None:
                self._writer_conn.close()
                self._writer_conn = None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction. BEGIN IMMEDIATE takes the write lock up front, so
        two writers queue on the busy timeout instead of failing on a lock upgrade."""
        conn = self.conn
        if conn.in_transaction:  # nested: join the outer transaction
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            # Only roll back what is open: a ROLLBACK error here would replace the real
            # exception (a SIGTERM's SystemExit became a swallowed OperationalError).
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
            self._checkpoint_if_due()

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(sql, params).fetchall()]

    def query_one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row else None

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    # -- write-ahead log ------------------------------------------------------------------

    def wal_bytes(self) -> int:
        """Size of the write-ahead log file (0 when there is none)."""
        try:
            return os.stat(f"{self.path}-wal").st_size
        except OSError:
            return 0

    def _checkpoint_if_due(self) -> None:
        """Between write transactions, so a long import or a big batch (many short
        transactions in one collector run) keeps the log bounded too. Never fails a write."""
        if self.checkpoint_every is None:
            return
        now = time.monotonic()
        if now - self._last_checkpoint < self.checkpoint_every:
            return
        self._last_checkpoint = now
        try:
            result = self.checkpoint()
        except Exception:
            log.exception("WAL checkpoint failed")
            return
        if result["busy"]:
            log.info("WAL checkpoint postponed: readers outlasted the wait (%d frames)",
                     result["frames"])

    def checkpoint(self, *, wait_ms: int = 2000) -> dict[str, int]:
        """Copy the WAL into the database and start it again from empty (TRUNCATE).

        SQLite's automatic checkpoints copy what they can but restart the log only at a
        moment when no reader uses it; with wall screens reading every second while the
        collectors write, that moment never comes and the log grows without bound
        (`python -m bench load`: 246 MB in 4 minutes, slower reads). This waits for the
        readers of the moment at most `wait_ms` (other writers wait meanwhile; readers
        never do), and reports `busy` = 1 when they outlasted it: nothing is lost then,
        the next call tries again."""
        conn = self.conn
        if conn.in_transaction:
            raise StoreError("checkpoint inside a transaction")
        conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            with self._checkpointer.exclusive:  # never beside this process's own
                busy, frames, copied = conn.execute(
                    "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return {"busy": int(busy), "frames": int(frames), "copied": int(copied)}

    # -- migrations --------------------------------------------------------------------

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def applied_migrations(self) -> set[int]:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        return {r[0] for r in self.conn.execute("SELECT number FROM schema_migrations")}

    def migrate(self) -> list[int]:
        """Apply every migration not yet applied, in order, each in its own transaction.
        An existing database is upgraded in place, never dropped.

        Applied migrations are recorded one by one (`schema_migrations`), not as a single
        high-water mark, so a migration numbered below one already applied (branches
        merged in another order) still runs. `PRAGMA user_version` mirrors the highest.
        """
        applied_now = []
        done = self.applied_migrations()
        if not done and self.schema_version():  # a database from before the ledger
            with self.write() as conn:
                for number, name, _sql in _migrations():
                    if number <= self.schema_version():
                        conn.execute("INSERT OR IGNORE INTO schema_migrations VALUES (?, ?, ?)",
                                     (number, name, self.now()))
            done = self.applied_migrations()
        for number, name, sql in _migrations():
            if number in done:
                continue
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("SELECT 1 FROM schema_migrations WHERE number = ?",
                                (number,)).fetchone():  # another process got there first
                    conn.execute("ROLLBACK")
                    continue
                for statement in _split_sql(sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                             (number, name, self.now()))
                conn.execute(f"PRAGMA user_version = {max(number, self.schema_version())}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            applied_now.append(number)
        return applied_now

    # -- safe concurrent edits ---------------------------------------------------------

    def versioned_update(self, table: str, row_id: Any, expected_version: int,
                         changes: dict[str, Any], actor: str, *, action: str = "update",
                         key: str = "id") -> dict[str, Any]:
        """Apply a human edit only if the row is still at `expected_version`.

        Every edit carries the version it was based on. A stale edit raises StaleEdit
        ("changed by X at T") and writes nothing; a good one bumps the version, stamps
        updated_at/updated_by and lands in `audit` (before/after of the changed fields)
        in the same transaction. Returns the row after the change.
        """
        if not changes:
            raise ValueError("nothing to change")
        for column in (*changes, key):
            if not column.replace("_", "").isalnum():
                raise ValueError(f"bad column {column!r}")
        now = self.now()
        with self.write() as conn:
            current = conn.execute(f"SELECT * FROM {table} WHERE {key} = ?",
                                   (row_id,)).fetchone()
            if current is None:
                raise StoreError(f"{table} {row_id} not found")
            current = dict(current)
            if int(current["version"]) != int(expected_version):
                raise StaleEdit(table, row_id, current.get("updated_by"),
                                current.get("updated_at"))
            values = {k: (dumps(v) if isinstance(v, (dict, list)) else v)
                      for k, v in changes.items()}
            assignments = ", ".join(f"{k} = ?" for k in values)
            cur = conn.execute(
                f"UPDATE {table} SET {assignments}, version = version + 1, updated_at = ?, "
                f"updated_by = ? WHERE {key} = ? AND version = ?",
                (*values.values(), now, actor, row_id, expected_version))
            if cur.rowcount != 1:  # cannot happen under BEGIN IMMEDIATE, but never overwrite
                raise StaleEdit(table, row_id, None, None)
            conn.execute(
                "INSERT INTO audit(at, actor, action, entity, entity_id, before, after) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now, actor, action, table, str(row_id),
                 dumps({k: current.get(k) for k in values}), dumps(values)))
            return dict(conn.execute(f"SELECT * FROM {table} WHERE {key} = ?",
                                     (row_id,)).fetchone())

    # -- settings ----------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return loads(value, default) if value is not None else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, dumps(value)),
            )

    @staticmethod
    def now() -> str:
        return iso(utc_now())


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    statements, buf = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") and not buf:
            continue
        buf.append(line)
        candidate = "\n".join(buf).strip()
        if candidate.endswith(";") and sqlite3.complete_statement(candidate):
            statements.append(candidate)
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        statements.append(rest)
    return statements
