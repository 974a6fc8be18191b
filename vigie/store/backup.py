"""Online backup with SQLite's backup API: consistent while the collectors write.

    python -m vigie backup PATH       copy the live database to PATH

Restore: stop the dashboard and the collectors, replace the database file (VIGIE_DB,
default data/vigie.db) with the backup, delete any `<db>-wal` and `<db>-shm` files
beside it, and start again; migrations bring an older backup up to date.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup(db_path: str | Path, target: str | Path, pages_per_step: int = 1024) -> dict:
    """Copy a live database page by page; writers are never blocked for long (each step
    holds the read lock briefly). Returns the target's integrity check and row counts."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(db_path, timeout=30)
    dest = sqlite3.connect(tmp)
    try:
        source.backup(dest, pages=pages_per_step)
        dest.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        integrity = dest.execute("PRAGMA integrity_check").fetchone()[0]
        posts = dest.execute("SELECT count(*) FROM posts").fetchone()[0]
    finally:
        dest.close()
        source.close()
    if integrity != "ok":
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"backup failed its integrity check: {integrity}")
    tmp.replace(target)  # never leave a half-written file under the final name
    return {"integrity": integrity, "posts": posts, "path": str(target)}
