"""The write-ahead log stays bounded while screens keep reading: the collectors restart it
(Store.checkpoint) instead of relying on a moment with no reader, which never comes; the post
writer leaves its checkpoints to a thread of their own (vigie.store.checkpointer)."""

from __future__ import annotations

import sqlite3
import threading
import time

from collectors.base import Batch
from collectors.runner import CHECKPOINT_EVERY, Runner
from vigie.models import Post
from vigie.pipeline import ingest
from vigie.store import PostFilter, Store
from vigie.store.checkpointer import WRITER_AUTOCHECKPOINT, BackgroundCheckpointer


def add_posts(store: Store, start: int, count: int) -> None:
    posts = [Post(id=f"t:{i}", source="t", kind="test", text=f"message {i} " + "x" * 400,
                  created_at="2026-11-25T10:00:00Z") for i in range(start, start + count)]
    ingest(store, Batch(posts=posts), collector="t", incident_id=None)


def test_a_checkpoint_empties_the_log_and_keeps_every_row(fresh_store: Store) -> None:
    add_posts(fresh_store, 0, 300)
    assert fresh_store.wal_bytes() > 0
    result = fresh_store.checkpoint()
    assert result["busy"] == 0 and result["copied"] == result["frames"]
    assert fresh_store.wal_bytes() == 0
    assert fresh_store.count_posts(PostFilter()) == 300


def test_a_reader_that_outlasts_the_wait_postpones_it_without_error(fresh_store: Store,
                                                                     db_path) -> None:
    add_posts(fresh_store, 0, 100)
    reader = sqlite3.connect(db_path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM posts").fetchone()[0] == 100
    add_posts(fresh_store, 100, 100)  # frames the reader's snapshot does not see
    started = time.monotonic()
    result = fresh_store.checkpoint(wait_ms=300)
    assert result["busy"] == 1 and time.monotonic() - started < 5
    assert reader.execute("SELECT count(*) FROM posts").fetchone()[0] == 100  # its snapshot
    reader.execute("COMMIT")
    reader.close()
    assert fresh_store.checkpoint()["busy"] == 0 and fresh_store.wal_bytes() == 0
    assert fresh_store.count_posts(PostFilter()) == 200


def test_the_log_stays_bounded_under_constant_reads_when_the_collectors_write(
        fresh_store: Store, db_path) -> None:
    """Readers that never pause (several screens) while posts keep coming: the collectors'
    store restarts the log after its commits; without that, it only grows."""
    stop = threading.Event()

    def read_forever() -> None:
        store = Store(db_path, migrate=False)
        while not stop.is_set():
            store.count_posts(PostFilter())
        store.close()

    readers = [threading.Thread(target=read_forever) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        Runner(fresh_store, [])
        assert fresh_store.checkpoint_every == CHECKPOINT_EVERY
        fresh_store.checkpoint_every = 0.0  # every commit: the test cannot wait 10 s a round
        grown = []
        for round_ in range(12):
            add_posts(fresh_store, round_ * 200, 200)
            grown.append(fresh_store.wal_bytes())
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert fresh_store.count_posts(PostFilter()) == 2400
    # each round adds ~0.4 MB to the log: without the checkpoints it grows round after round
    # (to ~5 MB here, never restarted); with them it is emptied every round
    assert max(grown) < 2**20, grown


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_the_post_writer_leaves_its_checkpoints_to_a_background_thread(fresh_store) -> None:
    add_posts(fresh_store, 0, 300)
    checkpointer = fresh_store._checkpointer
    assert wait_for(lambda: checkpointer.runs >= 1)
    with fresh_store.writer_connection() as conn:
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == WRITER_AUTOCHECKPOINT
    result = fresh_store.checkpoint()  # the collectors' restart never meets it half-way
    assert result["busy"] == 0 and fresh_store.wal_bytes() == 0
    fresh_store.close()
    assert not checkpointer.running
    add_posts(fresh_store, 300, 50)  # a store used again after close starts another
    assert wait_for(lambda: checkpointer.running or checkpointer.runs >= 2)
    assert fresh_store.count_posts(PostFilter()) == 350


def test_a_failed_background_checkpoint_is_logged_and_tried_at_the_next_poke(
        db_path, caplog) -> None:
    Store(db_path).close()
    failures = [sqlite3.OperationalError("disk I/O error")]

    class Flaky:
        def __init__(self) -> None:
            self.conn = sqlite3.connect(db_path, check_same_thread=False)

        def execute(self, sql: str):
            if failures:
                raise failures.pop()
            return self.conn.execute(sql)

        def close(self) -> None:
            self.conn.close()

    checkpointer = BackgroundCheckpointer(Flaky, idle_exit=0.2)
    checkpointer.poke()
    assert wait_for(lambda: "background WAL checkpoint failed" in caplog.text)
    assert checkpointer.runs == 0
    checkpointer.poke()
    assert wait_for(lambda: checkpointer.runs == 1)
    assert wait_for(lambda: not checkpointer.running)  # idle: the thread ends by itself
    checkpointer.poke()
    assert wait_for(lambda: checkpointer.runs == 2)
    checkpointer.close()
    assert not checkpointer.running
