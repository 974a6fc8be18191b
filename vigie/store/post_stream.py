"""Posts written on a helper thread while the caller prepares the next ones.

Enriching a post is Python (the GIL held); storing it is SQLite (indexes, the FTS
trigger), which releases the GIL while it works. Done one after the other, a batch costs
the sum; with the rows of each part handed to a writer thread as they are ready, the
store works on part k while the caller enriches part k+1, and a batch costs about the
larger of the two (`python -m bench ingest`).

Each part goes in as one statement over a JSON array (`json_each`), not `executemany`:
the writer then needs the GIL once per part instead of once per row, and does not queue
behind the enriching thread for every row (CPython hands the GIL over only every 5 ms).

By default the whole batch is one transaction, committed when the caller is done; with
`each_part` every part is its own, with the rows `send(rows, also)` gives for it (the
near-duplicate index's), so the last part's commit is all the caller waits for. Either
way a crash keeps a transaction whole or not at all.

While a stream runs, the interpreter's switch interval is 0.1 ms instead of 5 ms: the
writer needs the GIL back after each of its statements (about seven a part), and CPython
makes a thread wait a whole interval before the busy enriching thread hands it over. With
5 ms, the writer spent as long waiting as working and the caller then waited for it at
the end of each batch; 0.1 ms cut the time of a batch by about 13% (`python -m bench
ingest`). The enriching thread is asked to hand over only when the writer waits.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from vigie.store.posts import POST_COLUMNS

_INSERT = (
    f"INSERT INTO posts ({', '.join(POST_COLUMNS)}) SELECT "
    + ", ".join(f"json_extract(j.value, '$[{i}]')" for i in range(len(POST_COLUMNS)))
    # WHERE true: SQLite's parser needs it before an upsert clause on a SELECT.
    + " FROM json_each(?) j WHERE true ON CONFLICT(id) DO NOTHING"
)
_ID, _CREATED, _CATEGORIES = (POST_COLUMNS.index(c) for c in ("id", "created_at",
                                                              "categories"))
_INSERT_CATEGORIES = (
    "INSERT OR IGNORE INTO post_categories(post_id, category, created_at) "
    f"SELECT json_extract(j.value, '$[{_ID}]'), c.value, json_extract(j.value, '$[{_CREATED}]') "
    f"FROM json_each(?) j, json_each(json_extract(j.value, '$[{_CATEGORIES}]')) c"
)
_STORED = "SELECT p.id FROM json_each(?) j JOIN posts p ON p.id = j.value"

_DONE = object()

WRITER_SWITCH_INTERVAL = 0.0001  # seconds; see the module docstring


class _QuickHandover:
    """The shorter switch interval while at least one stream runs, then the interval
    that was set before (streams may overlap, on several threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = sys.getswitchinterval()

    def enter(self) -> None:
        with self._lock:
            if self._users == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, WRITER_SWITCH_INTERVAL))
            self._users += 1

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                sys.setswitchinterval(self._saved)


QUICK_HANDOVER = _QuickHandover()


class PostStream:
    """One batch of posts, written by a helper thread: one transaction, or one per part
    (`each_part`).

    `send(rows, also)` hands over rows (tuples of POST_COLUMNS, as `post_row` makes them)
    and what to write with them; `finish(also)` runs `also(conn)` last, commits and returns
    how many posts were added; `abort()` rolls back what is not committed. A row whose id
    is already stored is skipped, as is an id seen again. An error in the writer is raised
    by the next `send` or by `finish`; the transaction it happened in is rolled back and
    nothing after it is written.
    """

    def __init__(self, connection: Callable[[], AbstractContextManager[sqlite3.Connection]],
                 *, each_part: bool = False,
                 committed: Callable[[], None] | None = None) -> None:
        self._connection = connection
        self._each_part = each_part
        self._committed = committed
        self._parts: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._added = 0
        self._seen: set[str] = set()
        self._finish: Callable[[sqlite3.Connection], None] | None = None
        self._commit = False
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="vigie-post-writer",
                                        daemon=True)
        QUICK_HANDOVER.enter()
        try:
            self._thread.start()
        except BaseException:
            QUICK_HANDOVER.leave()
            raise

    def send(self, rows: Sequence[tuple],
             also: Callable[[sqlite3.Connection], None] | None = None) -> None:
        """Hand over rows; `also(conn)` runs in the same transaction as them (the
        near-duplicate index's rows of these posts)."""
        self._raise()
        fresh = []
        for row in rows:  # the first of two rows with one id wins
            if row[_ID] not in self._seen:
                self._seen.add(row[_ID])
                fresh.append(row)
        if fresh or also is not None:  # serialised here: the writer holds the GIL less
            self._parts.put((json.dumps([r[_ID] for r in fresh]),
                             json.dumps(fresh, ensure_ascii=False, default=str), also))

    @property
    def closed(self) -> bool:
        return not self._thread.is_alive()

    def close_input(self, also: Callable[[sqlite3.Connection], None] | None = None) -> None:
        """No more rows: the writer runs `also(conn)` in the transaction and commits while
        the caller goes on (`finish` waits for it)."""
        if not self._closing:
            self._closing = True
            self._finish, self._commit = also, True
            self._parts.put(_DONE)

    def finish(self, also: Callable[[sqlite3.Connection], None] | None = None) -> int:
        """Wait for the commit; the number of posts added. Raises what the writer met."""
        self.close_input(also)
        self._thread.join()
        self._raise()
        return self._added

    def abort(self) -> None:
        """Roll back (also after `close_input`, if the commit has not started)."""
        self._commit = False
        if not self._closing:
            self._closing = True
            self._parts.put(_DONE)
        self._thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            with self._connection() as conn:
                self._write(conn)
        except BaseException as exc:  # raised again in the caller's thread
            self._error = exc
        finally:
            QUICK_HANDOVER.leave()

    def _write(self, conn: sqlite3.Connection) -> None:
        done = False
        try:
            while (part := self._parts.get()) is not _DONE:
                if not conn.in_transaction:
                    conn.execute("BEGIN IMMEDIATE")
                ids, rows, also = part
                self._added += self._insert(conn, ids, rows)
                if also is not None:
                    also(conn)
                if self._each_part:
                    self._commit_now(conn)
            done = True
            if self._commit:
                if self._finish is not None:
                    if not conn.in_transaction:
                        conn.execute("BEGIN IMMEDIATE")
                    self._finish(conn)
                if conn.in_transaction:
                    self._commit_now(conn)
        except BaseException:
            while not done and self._parts.get() is not _DONE:  # until finish or abort
                pass
            raise
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def _commit_now(self, conn: sqlite3.Connection) -> None:
        conn.execute("COMMIT")
        if self._committed is not None:
            self._committed()

    @staticmethod
    def _insert(conn: sqlite3.Connection, ids: str, part: str) -> int:
        """One part: the posts not stored yet, then their categories (after them: the
        categories' foreign key). Stored ids are read inside the write transaction, so
        nobody can add one meanwhile."""
        stored = {r[0] for r in conn.execute(_STORED, (ids,))}
        if ids == "[]":
            return 0
        if stored:
            rows = [r for r in json.loads(part) if r[_ID] not in stored]
            if not rows:
                return 0
            part = json.dumps(rows, ensure_ascii=False)
        added = conn.execute(_INSERT, (part,)).rowcount
        conn.execute(_INSERT_CATEGORIES, (part,))
        return added
