"""The store: migrations, idempotent ingest, full-text search, WAL."""

from __future__ import annotations

import sqlite3

import pytest

from collectors.base import Batch
from vigie.models import Post
from vigie.pipeline import PART, PART_FIRST, PART_LAST, ingest, part_bounds
from vigie.store import PostFilter, SearchSyntaxError, Store
from vigie.store import db as store_db
from vigie.store.posts import fts_query


def make_post(n: int, text: str = "L'eau monte à Dijon", **kw) -> Post:
    return Post(id=f"test:{n}", source="test", kind="test", text=f"{text} #{n}",
                author=f"@user{n}", created_at=f"2026-11-25T10:{n % 60:02d}:00Z", **kw)


def test_database_is_wal_with_busy_timeout(fresh_store: Store) -> None:
    assert fresh_store.scalar("PRAGMA journal_mode") == "wal"
    assert fresh_store.scalar("PRAGMA busy_timeout") >= 5000


@pytest.mark.parametrize("upto", range(1, len(store_db._migrations()) + 1))
def test_an_older_database_is_upgraded_and_keeps_its_rows(db_path, monkeypatch, upto) -> None:
    all_migrations = store_db._migrations()
    monkeypatch.setattr(store_db, "_migrations", lambda: all_migrations[:upto])
    old = Store(db_path)
    old.insert_post_rows([(
        "test:old", "s", "test", "@a", "ancien message", None, "fr", "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z", None, None, None, None, "unknown", "[]", "{}", 0.0, "[]", "[]",
        None, "new", None, None, None, None, None, "{}")])
    assert old.schema_version() == all_migrations[upto - 1][0]
    old.close()
    monkeypatch.setattr(store_db, "_migrations", lambda: all_migrations)
    new = Store(db_path)
    assert new.schema_version() == all_migrations[-1][0]
    assert new.get_post("test:old")["text"] == "ancien message"
    assert new.timeline(PostFilter(search="ancien"))[0]["id"] == "test:old"


def test_reopening_a_database_changes_nothing(db_path) -> None:
    Store(db_path).close()
    again = Store(db_path)
    assert again.migrate() == []


def test_the_same_item_twice_is_one_row(fresh_store: Store) -> None:
    batch = Batch(posts=[make_post(1), make_post(2), make_post(1)])
    first = ingest(fresh_store, batch, collector="test", incident_id=None)
    second = ingest(fresh_store, batch, collector="test", incident_id=None)
    assert (first.posts_added, second.posts_added) == (2, 0)
    assert fresh_store.count_posts(PostFilter()) == 2


def test_a_batch_is_written_in_parts_small_at_both_ends(fresh_store: Store) -> None:
    for n in range(0, 260):
        bounds = part_bounds(n)
        assert [i for b in bounds for i in range(*b)] == list(range(n))
        sizes = [end - start for start, end in bounds]
        assert all(0 < size <= PART for size in sizes)
        if n > PART_FIRST:
            assert sizes[0] == PART_FIRST and sizes[-1] <= PART_LAST
    result = ingest(fresh_store, Batch(posts=[make_post(n) for n in range(137)]),
                    collector="t", incident_id=None)
    assert result.posts_added == fresh_store.scalar("SELECT count(*) FROM posts") == 137


def test_a_human_edit_survives_recollection(fresh_store: Store) -> None:
    ingest(fresh_store, Batch(posts=[make_post(1)]), collector="t", incident_id=None)
    with fresh_store.write() as conn:
        conn.execute("UPDATE posts SET status = 'triaged' WHERE id = 'test:1'")
    ingest(fresh_store, Batch(posts=[make_post(1, text="autre texte")]), collector="t",
           incident_id=None)
    post = fresh_store.get_post("test:1")
    assert post["status"] == "triaged" and post["text"].startswith("L'eau")


def test_search_finds_words_with_apostrophes_and_accents(fresh_store: Store) -> None:
    ingest(fresh_store, Batch(posts=[make_post(1), make_post(2, text="Route coupée à Genlis")]),
           collector="t", incident_id=None)
    assert [p["id"] for p in fresh_store.timeline(PostFilter(search="l'eau"))] == ["test:1"]
    assert [p["id"] for p in fresh_store.timeline(PostFilter(search="coupee"))] == ["test:2"]
    assert [p["id"] for p in fresh_store.timeline(PostFilter(search="genl"))] == ["test:2"]


@pytest.mark.parametrize("query", ['"unterminated', "dijon AND", "(crue", "NEAR(", "* OR"])
def test_malformed_search_raises_a_search_error_not_a_crash(fresh_store, query) -> None:
    ingest(fresh_store, Batch(posts=[make_post(1)]), collector="t", incident_id=None)
    with pytest.raises(SearchSyntaxError):
        fresh_store.timeline(PostFilter(search=query))


def test_plain_words_become_prefix_queries() -> None:
    assert fts_query("l'eau monte") == '"l"* "eau"* "monte"*'
    assert fts_query('"exact phrase" OR crue') == '"exact phrase" OR crue'
    assert fts_query("   ") == ""


def test_filters_by_period_kind_and_category(fresh_store: Store) -> None:
    posts = [make_post(n) for n in range(10)]
    rows = ingest(fresh_store, Batch(posts=posts), collector="t", incident_id=None,
                  enricher=lambda p: {"categories": ["help_request"] if p.id.endswith(("1", "2"))
                                      else ["sympathy"]})
    assert rows.posts_added == 10
    f = PostFilter(categories=["help_request"])
    assert {p["id"] for p in fresh_store.timeline(f)} == {"test:1", "test:2"}
    assert fresh_store.count_posts(PostFilter(since="2026-11-25T10:05:00Z")) == 5
    assert fresh_store.count_posts(PostFilter(kinds=["other"])) == 0
    volume = fresh_store.volume(PostFilter(), bucket="hour")
    assert volume == [{"bucket": "2026-11-25T10", "posts": 10}]


def test_timeline_is_newest_first_and_paginated(fresh_store: Store) -> None:
    ingest(fresh_store, Batch(posts=[make_post(n) for n in range(30)]), collector="t",
           incident_id=None)
    first = fresh_store.timeline(PostFilter(), limit=10)
    second = fresh_store.timeline(PostFilter(), limit=10, offset=10)
    times = [p["created_at"] for p in first + second]
    assert times == sorted(times, reverse=True)
    assert not {p["id"] for p in first} & {p["id"] for p in second}


def test_audit_and_log_are_append_only(fresh_store: Store) -> None:
    fresh_store.audit("alice", "update", "post", "x", {"a": 1}, {"a": 2})
    fresh_store.add_log("alice", "Prise de poste")
    for sql in ("UPDATE audit SET actor = 'mallory'", "DELETE FROM audit",
                "UPDATE log SET text = 'effacé'", "DELETE FROM log"):
        with pytest.raises(sqlite3.DatabaseError):
            fresh_store.conn.execute(sql)
    assert fresh_store.audit_entries()[0]["actor"] == "alice"


def test_a_stale_edit_is_refused_and_overwrites_nothing(fresh_store: Store) -> None:
    from vigie.store import StaleEdit

    ingest(fresh_store, Batch(posts=[make_post(1)]), collector="t", incident_id=None)
    first = fresh_store.versioned_update("posts", "test:1", 1, {"status": "triaged"}, "alice")
    assert first["version"] == 2 and first["updated_by"] == "alice"
    with pytest.raises(StaleEdit) as stale:
        fresh_store.versioned_update("posts", "test:1", 1, {"status": "irrelevant"}, "bob")
    assert stale.value.by == "alice" and stale.value.at == first["updated_at"]
    assert fresh_store.get_post("test:1")["status"] == "triaged"
    [entry] = fresh_store.audit_entries(entity="posts", entity_id="test:1")
    assert (entry["actor"], entry["before"], entry["after"]) == (
        "alice", {"status": "new"}, {"status": "triaged"})


def test_two_writers_on_two_connections_never_overwrite_each_other(db_path) -> None:
    import threading

    from vigie.store import StaleEdit

    setup = Store(db_path)
    ingest(setup, Batch(posts=[make_post(1)]), collector="t", incident_id=None)
    results: list[str] = []
    barrier = threading.Barrier(8)

    def edit(name: str) -> None:
        store = Store(db_path)
        barrier.wait()
        try:
            store.versioned_update("posts", "test:1", 1, {"status": f"by-{name}"}, name)
            results.append(name)
        except StaleEdit:
            pass

    threads = [threading.Thread(target=edit, args=(f"w{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1
    assert setup.get_post("test:1")["status"] == f"by-{results[0]}"
    assert setup.get_post("test:1")["version"] == 2


def test_copies_of_a_message_join_one_cluster_and_the_index_stays_small(fresh_store) -> None:
    from vigie.pipeline import StoreEnricher

    base = ("Il paraît que le barrage de Pont-et-Massène va céder cette nuit, partagez avant "
            "que ce soit supprimé, les autorités ne disent rien")
    copies = [Post(id=f"t:{i}", source="t", kind="t", text=text, author=f"@u{i}",
                   created_at=f"2026-11-25T10:{i:02d}:00Z")
              for i, text in enumerate([base, f"RT @u0: {base}", f"{base} https://x.invalid/{1}",
                                        base.replace("cette nuit", "ce soir"),
                                        *[f"RT @u{k}: {base}" for k in range(20)]])]
    other = Post(id="t:other", source="t", kind="t",
                 text="Le gymnase de Semur-en-Auxois accueille les sinistrés ce soir, "
                      "apportez des couvertures", created_at="2026-11-25T11:00:00Z")
    enricher = StoreEnricher(fresh_store)
    ingest(fresh_store, Batch(posts=copies[:10]), collector="t", incident_id=None,
           enricher=enricher)
    ingest(fresh_store, Batch(posts=[*copies[10:], other]), collector="t", incident_id=None,
           enricher=enricher)
    clusters = {fresh_store.get_post(p.id)["cluster_id"] for p in copies}
    assert clusters == {"t:0"}
    assert fresh_store.get_post("t:other")["cluster_id"] == "t:other"
    assert fresh_store.cluster_stats("t:0")["size"] == len(copies)
    indexed = fresh_store.scalar("SELECT count(*) FROM post_signatures WHERE cluster_id = 't:0'")
    assert indexed <= 4


def test_a_copy_of_a_post_earlier_in_the_batch_is_found_without_band_look_ups(
        fresh_store) -> None:
    from vigie.pipeline import StoreEnricher

    text = "Le pont de la D905 à Montbard est fermé, passez par Venarey-les-Laumes ce soir"
    first = Post(id="t:1", source="t", kind="t", text=text, created_at="2026-11-25T10:00:00Z")
    copy = Post(id="t:2", source="t", kind="t", text=f"RT @t: {text}",
                created_at="2026-11-25T10:01:00Z")
    enricher = StoreEnricher(fresh_store)
    enricher.begin()
    enricher.prepare([first])
    enricher(first)  # clustered: now in the batch's own index rows
    looked_up: list[list[int]] = []
    prefetch = enricher.index.prefetch
    enricher.index.prefetch = lambda keys: (looked_up.append(list(keys)), prefetch(keys))[1]
    enricher.prepare([copy])
    assert len(looked_up) == 1 and len(looked_up[0]) == 1  # its exact key only
    assert enricher(copy)["cluster_id"] == "t:1"


def test_a_migration_merged_late_with_a_lower_number_still_runs(db_path, monkeypatch) -> None:
    all_migrations = store_db._migrations()
    extra = (all_migrations[-1][0] + 2, "9999_late.sql", "CREATE TABLE late_one (x INTEGER);")
    monkeypatch.setattr(store_db, "_migrations", lambda: [*all_migrations, extra])
    Store(db_path).close()
    lower = (all_migrations[-1][0] + 1, "9998_lower.sql", "CREATE TABLE lower_one (x INTEGER);")
    monkeypatch.setattr(store_db, "_migrations", lambda: [*all_migrations, lower, extra])
    store = Store(db_path)
    assert store.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'lower_one'") == 1
    assert store.migrate() == []
