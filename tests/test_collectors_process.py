"""Exactly one collectors process per database, whatever starts it and however often."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from tests.conftest import FIXTURES, ROOT, write_sources
from vigie.process import CollectorsLock, ensure_collectors


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM, and SIGKILL if a loaded machine keeps it busy past a minute: these tests are
    about the lock, not about how fast a process shuts down."""
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def wait_until(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_only_one_collectors_process_runs_per_database(tmp_path) -> None:
    db = tmp_path / "vigie.db"
    sources = write_sources(tmp_path / "sources.toml", FIXTURES / "replay" / "mini.jsonl")
    first = ensure_collectors(db, str(sources))
    assert first is not None
    try:
        assert wait_until(lambda: CollectorsLock(db).held_elsewhere())
        # Any number of later starters (app restarts, other sessions) start nothing.
        assert all(ensure_collectors(db, str(sources)) is None for _ in range(5))
        # A process started by hand anyway leaves at once without collecting.
        env = {**os.environ, "VIGIE_DB": str(db), "VIGIE_SOURCES": str(sources)}
        second = subprocess.run([sys.executable, "-m", "collectors"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 0 and "already running" in second.stderr
        assert first.poll() is None
    finally:
        stop(first)
    assert not CollectorsLock(db).held_elsewhere()


def test_a_killed_collectors_process_does_not_block_a_restart(tmp_path) -> None:
    db = tmp_path / "vigie.db"
    sources = write_sources(tmp_path / "sources.toml", FIXTURES / "replay" / "mini.jsonl")
    proc = ensure_collectors(db, str(sources))
    assert wait_until(lambda: CollectorsLock(db).held_elsewhere())
    proc.kill()  # kill -9: no cleanup runs
    proc.wait(timeout=10)
    assert not CollectorsLock(db).held_elsewhere()
    again = ensure_collectors(db, str(sources))
    try:
        assert again is not None
        assert wait_until(lambda: CollectorsLock(db).held_elsewhere())
    finally:
        stop(again)
