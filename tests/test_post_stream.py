"""The post writer thread (vigie.store.post_stream): a batch sent in parts lands in one
transaction, exactly as `insert_post_rows` would store it, or not at all."""

from __future__ import annotations

import sqlite3
import sys
import threading

import pytest

from vigie.models import Post
from vigie.store import Store
from vigie.store.post_stream import WRITER_SWITCH_INTERVAL
from vigie.store.posts import post_row

AT = "2026-11-25T10:00:00Z"


def row(n: int, categories: list[str] | None = None, **kw) -> tuple:
    post = Post(id=f"s:{n}", source="s", kind="test", text=f"Crue à Dijon {n} « l'eau »",
                author=f"@a{n}", created_at=AT, lat=47.3 + n / 1000, lon=5.04, place="Dijon",
                precision="exact", extra={"n": n}, **kw)
    return post_row(post, collected_at=AT, collector="test", fetched_at=AT, incident_id=None,
                    enrichment={"categories": categories or ["infrastructure", "roads_traffic"],
                                "category_reasons": {"infrastructure": ["pont"]},
                                "urgency": 0.625, "urgency_reasons": ["bloqué"],
                                "rumor_signals": [], "cluster_id": f"s:{n // 2}",
                                "insee": "21231"})


def stored(store: Store, table: str = "posts") -> list[tuple]:
    order = "id" if table == "posts" else "post_id, category"
    return [tuple(r) for r in store.conn.execute(f"SELECT * FROM {table} ORDER BY {order}")]


def test_a_streamed_batch_stores_what_insert_post_rows_stores(tmp_path) -> None:
    rows = [row(n) for n in range(7)]
    plain, streamed = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    plain.insert_post_rows(rows)
    with streamed.post_stream() as stream:
        stream.send(rows[:3])
        stream.send(rows[3:])
        assert stream.finish() == 7
    assert stored(streamed) == stored(plain)  # same values, same SQL types
    assert stored(streamed, "post_categories") == stored(plain, "post_categories")
    assert streamed.conn.execute(
        "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'dijon'").fetchone()[0] == 7


def test_stored_and_repeated_ids_are_skipped_and_keep_their_categories(fresh_store) -> None:
    fresh_store.insert_post_rows([row(1, ["sympathy"])])
    with fresh_store.post_stream() as stream:
        stream.send([row(1), row(2)])
        stream.send([row(2, ["caution_advice"]), row(3)])
        assert stream.finish() == 2
    cats = fresh_store.conn.execute(
        "SELECT post_id, group_concat(category) FROM post_categories GROUP BY post_id "
        "ORDER BY post_id").fetchall()
    assert [tuple(c) for c in cats] == [
        ("s:1", "sympathy"), ("s:2", "infrastructure,roads_traffic"),
        ("s:3", "infrastructure,roads_traffic")]


def test_nothing_is_stored_until_the_batch_commits(fresh_store) -> None:
    reader = fresh_store.connect()
    with fresh_store.post_stream() as stream:
        stream.send([row(1)])
        stream.send([row(2)])
        # another connection reads meanwhile (WAL) and sees none of the batch
        assert reader.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
        stream.finish()
    assert reader.execute("SELECT count(*) FROM posts").fetchone()[0] == 2


def test_leaving_the_block_early_rolls_the_batch_back(fresh_store) -> None:
    with pytest.raises(KeyboardInterrupt), fresh_store.post_stream() as stream:
        stream.send([row(1)])
        raise KeyboardInterrupt  # e.g. the collectors' SIGTERM between two parts
    assert fresh_store.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
    with fresh_store.post_stream() as stream:  # the writer's connection is free again
        stream.send([row(2)])
        assert stream.finish() == 1


def test_an_error_in_the_transaction_reaches_the_caller_and_stores_nothing(fresh_store) -> None:
    def broken_index_write(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO no_such_table VALUES (1)")

    with (pytest.raises(sqlite3.OperationalError, match="no_such_table"),
          fresh_store.post_stream() as stream):
        stream.send([row(1), row(2)])
        stream.finish(broken_index_write)
    assert fresh_store.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 0


def test_a_failed_part_is_raised_by_the_next_send(fresh_store) -> None:
    bad = list(row(1))
    bad[4] = None  # posts.text is NOT NULL
    with pytest.raises(sqlite3.IntegrityError), fresh_store.post_stream() as stream:
        stream.send([tuple(bad)])
        for _ in range(200):
            stream.send([row(2)])
        stream.finish()
    assert fresh_store.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 0


def test_two_threads_streaming_into_one_store_queue_and_both_land(fresh_store) -> None:
    def batch(first: int) -> None:
        with fresh_store.post_stream() as stream:
            for n in range(first, first + 40, 10):
                stream.send([row(k) for k in range(n, n + 10)])
            stream.finish()

    threads = [threading.Thread(target=batch, args=(i * 100,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fresh_store.conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 120


def test_with_each_part_a_failed_part_leaves_the_parts_before_it_whole(fresh_store) -> None:
    def index_rows_of(n: int):
        def write(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO lsh_keys(key, post_id) VALUES (?, ?)", (n, f"s:{n}"))
        return write

    bad = list(row(3))
    bad[4] = None  # posts.text is NOT NULL
    with pytest.raises(sqlite3.IntegrityError), fresh_store.post_stream(each_part=True) as s:
        s.send([row(1), row(2)], index_rows_of(1))
        s.send([tuple(bad), row(4)], index_rows_of(3))
        s.finish()
    ids = [r[0] for r in fresh_store.conn.execute("SELECT id FROM posts ORDER BY id")]
    keys = [r[0] for r in fresh_store.conn.execute("SELECT key FROM lsh_keys")]
    assert (ids, keys) == (["s:1", "s:2"], [1])  # the first part and its index rows only


def test_index_rows_taken_per_part_are_written_with_their_posts(fresh_store) -> None:
    index = fresh_store.cluster_index()
    index.add("s:1", "s:1", [11, 12], b"sig1")
    first = index.take_writes()
    index.add("s:2", "s:1", [11, 13], b"sig2")
    second = index.take_writes()
    with fresh_store.post_stream(each_part=True) as stream:
        stream.send([row(1)], first)
        stream.send([row(2)], second)
        stream.finish()
    assert [tuple(r) for r in fresh_store.conn.execute(
        "SELECT key, post_id FROM lsh_keys ORDER BY key, post_id")] == [
        (11, "s:1"), (11, "s:2"), (12, "s:1"), (13, "s:2")]
    assert [tuple(r) for r in fresh_store.conn.execute(
        "SELECT post_id, cluster_id, signature FROM post_signatures ORDER BY post_id")] == [
        ("s:1", "s:1", b"sig1"), ("s:2", "s:1", b"sig2")]


def test_the_switch_interval_is_short_while_a_stream_runs_and_restored_after(
        fresh_store) -> None:
    before = sys.getswitchinterval()
    with fresh_store.post_stream(each_part=True) as stream:
        stream.send([row(1)])
        during = sys.getswitchinterval()
        stream.finish()
    with fresh_store.post_stream() as stream:  # left early: rolled back, restored too
        stream.send([row(2)])
    assert during == pytest.approx(WRITER_SWITCH_INTERVAL)
    assert sys.getswitchinterval() == pytest.approx(before)
