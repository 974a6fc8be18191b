"""Exactly one collectors process per database: an OS file lock beside the database.

The lock is held by the collectors process for its whole life and released by the
OS when it dies (even on kill -9), so a stale lock can never block a restart, and a
second process can never start while one runs.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path
from typing import IO


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    return Path(f"{db_path}.collectors.lock")


class CollectorsLock:
    """Hold with `acquire()`; `held_elsewhere()` tells a would-be starter to stay away."""

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.path = lock_path(db_path)
        self._fh: IO[str] | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")  # noqa: SIM115 - held for the life of the process
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def held_elsewhere(self) -> bool:
        if self._fh is not None:
            return False
        if not self.path.exists():
            return False
        with open(self.path, "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(fh, fcntl.LOCK_UN)
            return False


def ensure_collectors(db_path: str | os.PathLike[str], sources_path: str | None = None,
                      log_path: str | os.PathLike[str] | None = None) -> subprocess.Popen | None:
    """Start `python -m collectors` unless one already holds the lock for this database.

    Returns the process started, or None when one was already running. A race between
    two starters is settled by the lock itself: the loser exits at once.
    """
    if CollectorsLock(db_path).held_elsewhere():
        return None
    env = {**os.environ, "VIGIE_DB": str(db_path)}
    if sources_path:
        env["VIGIE_SOURCES"] = str(sources_path)
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "collectors"], env=env, stdout=out, stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parent.parent, start_new_session=True,
    )
