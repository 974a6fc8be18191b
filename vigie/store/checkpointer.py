"""Copies the write-ahead log into the database on a thread of its own.

SQLite checkpoints inside the commit that takes the log past `wal_autocheckpoint` pages, on
the committing thread, and syncs the log and the database to disk. For the post writer that
was most of the cost of a commit (1.3 s of 2.6 s for 5,000 posts, `python -m bench ingest`),
and the writer, not the enrichment, bounded the ingest. So after each of its commits the
writer pokes this thread, which runs a PASSIVE checkpoint (it never blocks readers or
writers) on its own connection. The writer keeps its own automatic checkpoint at a higher
threshold (`WRITER_AUTOCHECKPOINT`): it then finds the log already copied, has little to
sync, and SQLite can start the log again from the beginning. A checkpoint from another
thread alone never lets it: the writer keeps adding to the log meanwhile (330 MB for 5,000
posts when tried).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

log = logging.getLogger("vigie.store")

WRITER_AUTOCHECKPOINT = 4000  # pages (16 MB) for the post writer's own checkpoint
IDLE_EXIT = 60.0  # seconds without a poke before the thread ends (a poke starts another)


class BackgroundCheckpointer:
    """`poke()` after a commit; `close()` stops the thread (after the checkpoint under way).
    Errors are logged: a checkpoint that fails loses nothing and is tried at the next poke."""

    def __init__(self, connect: Callable[[], sqlite3.Connection],
                 idle_exit: float = IDLE_EXIT) -> None:
        self._connect = connect
        self.idle_exit = idle_exit
        self.runs = 0  # checkpoints done, for tests and diagnostics
        # Held while checkpointing: Store.checkpoint takes it too, because SQLite answers
        # a checkpoint that meets another one under way with "busy", without waiting.
        self.exclusive = threading.Lock()
        self._lock = threading.Lock()
        # The thread and its own two events (wake, stop): a thread being stopped never
        # sees the events of the one started after it.
        self._current: tuple[threading.Thread, threading.Event, threading.Event] | None = None

    @property
    def running(self) -> bool:
        current = self._current
        return current is not None and current[0].is_alive()

    def poke(self) -> None:
        with self._lock:
            if self._current is None or not self._current[0].is_alive():
                wake, stop = threading.Event(), threading.Event()
                thread = threading.Thread(target=self._run, args=(wake, stop),
                                          name="vigie-checkpointer", daemon=True)
                self._current = (thread, wake, stop)
                thread.start()
            self._current[1].set()

    def close(self) -> None:
        with self._lock:
            current, self._current = self._current, None
        if current is not None:
            thread, wake, stop = current
            stop.set()
            wake.set()
            thread.join()

    def _run(self, wake: threading.Event, stop: threading.Event) -> None:
        try:
            conn = self._connect()
        except sqlite3.Error:
            log.exception("background WAL checkpoint: no connection")
            return
        try:
            while wake.wait(self.idle_exit) and not stop.is_set():
                wake.clear()
                try:
                    with self.exclusive:
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.runs += 1
                except sqlite3.Error:
                    log.exception("background WAL checkpoint failed")
        finally:
            conn.close()
