"""Crash and backup drills: kill -9 the collectors mid-ingest, back up while they write."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from vigie.store import Store

pytestmark = pytest.mark.slow


def write_big_jsonl(path, count: int) -> None:
    rng = random.Random(3)
    words = "crue eau route coupée Dijon Genlis Beaune pompiers secours toit évacuation " \
            "gymnase sacs sable courage pont Ouche Saône niveau monte"
    words = words.split(" ")
    with path.open("w", encoding="utf-8") as fh:
        for i in range(count):
            text = " ".join(rng.choice(words) for _ in range(14)) + f" n°{i}"
            fh.write(json.dumps({"id": f"d{i}", "text": text, "author": f"@u{i % 300}",
                                 "created_at": f"2026-11-25T{i % 24:02d}:{i % 60:02d}:00Z"},
                                ensure_ascii=False) + "\n")


def sources_for(tmp, data) -> str:
    path = tmp / "sources.toml"
    path.write_text(f'[[source]]\nname = "drill"\nkind = "file"\nurl = "{data}"\nevery = 1\n',
                    encoding="utf-8")
    return str(path)


def run_collectors(db, sources) -> subprocess.Popen:
    env = {**os.environ, "VIGIE_DB": str(db), "VIGIE_SOURCES": sources}
    return subprocess.Popen([sys.executable, "-m", "collectors"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def post_count(db) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def test_kill_9_twenty_times_mid_ingest_loses_and_duplicates_nothing(tmp_path) -> None:
    total = 12_000
    data = tmp_path / "posts.jsonl"
    write_big_jsonl(data, total)
    db = tmp_path / "vigie.db"
    sources = sources_for(tmp_path, data)
    rng = random.Random(11)
    kills = 0
    deadline = time.monotonic() + 600
    while kills < 20 and time.monotonic() < deadline:
        proc = run_collectors(db, sources)
        time.sleep(rng.uniform(0.8, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        kills += 1
    assert kills == 20
    final = run_collectors(db, sources)
    try:
        while post_count(db) < total and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        final.terminate()
        final.wait(timeout=20)
    store = Store(db)
    assert store.scalar("PRAGMA integrity_check") == "ok"
    assert store.scalar("SELECT count(*) FROM posts") == total
    assert store.scalar("SELECT count(DISTINCT id) FROM posts") == total
    # The FTS index and the category index agree with the table.
    store.conn.execute("INSERT INTO posts_fts(posts_fts) VALUES ('integrity-check')")
    assert store.scalar("SELECT count(*) FROM posts_fts") == total
    assert store.scalar("SELECT count(*) FROM post_categories WHERE post_id NOT IN "
                        "(SELECT id FROM posts)") == 0
    # Every post has its near-duplicate signature row or joined a cluster.
    assert store.scalar("SELECT count(*) FROM posts WHERE cluster_id IS NULL") == 0


def test_online_backup_while_collectors_write_and_restore(tmp_path) -> None:
    from vigie.__main__ import main

    data = tmp_path / "posts.jsonl"
    write_big_jsonl(data, 8_000)
    db = tmp_path / "vigie.db"
    proc = run_collectors(db, sources_for(tmp_path, data))
    try:
        while post_count(db) < 500:
            time.sleep(0.2)
        target = tmp_path / "backup" / "vigie-backup.db"
        assert main(["--db", str(db), "backup", str(target)]) == 0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved = copy.execute("SELECT count(*) FROM posts").fetchone()[0]
    copy.close()
    assert saved >= 500
    # Restore as documented: replace the file (no -wal/-shm beside it) and open it.
    restored = tmp_path / "restored.db"
    restored.write_bytes(target.read_bytes())
    store = Store(restored)
    assert store.scalar("SELECT count(*) FROM posts") == saved
    assert store.timeline(store_filter())[0]["id"].startswith("file:")


def store_filter():
    from vigie.store import PostFilter

    return PostFilter()
