"""The triage queue and the edits volunteers make to posts, at the store level."""

from __future__ import annotations

import threading

import pytest

from tests.volunteers_helpers import person_posts, rumor, seed, volunteer_db
from vigie import triage
from vigie.auth import User
from vigie.ratings import summarize
from vigie.store import StaleEdit, Store

VOL = User("volunteer", "volunteer")


@pytest.fixture
def db(fresh_store: Store):
    incident = volunteer_db(fresh_store)
    ids = seed(fresh_store, rumor("r1", 10) + person_posts(4), incident_id=incident)
    return fresh_store, incident, ids


def refs_of(store: Store, key: str, incident: int) -> list[tuple[str, int]]:
    return store.cluster_refs([key], incident_id=incident)[key]


def test_queue_has_one_row_per_cluster_with_its_size_and_times(db) -> None:
    store, incident, ids = db
    rows = store.triage_queue(incident_id=incident, limit=100)
    keys = [r["ckey"] for r in rows]
    assert len(keys) == len(set(keys))
    assert sum(r["size"] for r in rows) == len(ids)
    for r in rows:
        members = store.query(
            "SELECT created_at FROM posts WHERE status = 'new' AND coalesce(cluster_id, id) = ?",
            (r["ckey"],))
        assert r["size"] == len(members)
        assert r["first_seen"] == min(m["created_at"] for m in members)
        assert r["last_seen"] == max(m["created_at"] for m in members)
    # the rumor's copies were grouped by the real near-duplicate step
    assert max(r["size"] for r in rows) > 1


def test_queue_is_most_urgent_first_and_shows_the_most_urgent_post(db) -> None:
    store, incident, _ids = db
    rows = store.triage_queue(incident_id=incident, limit=100)
    urgencies = [r["top_urgency"] for r in rows]
    assert urgencies == sorted(urgencies, reverse=True)
    for r in rows:
        assert r["urgency"] == r["top_urgency"]  # the card's face is its most urgent post


def test_queue_leaves_out_handled_posts_and_other_incidents(db) -> None:
    store, incident, _ids = db
    top = store.triage_queue(incident_id=incident, limit=1)[0]
    triage.set_status(store, VOL, refs_of(store, top["ckey"], incident), "relevant")
    keys = {r["ckey"] for r in store.triage_queue(incident_id=incident, limit=100)}
    assert top["ckey"] not in keys
    other = store.create_incident("Autre", exercise=True)
    assert store.triage_queue(incident_id=other) == []


def test_queue_aggregates_on_the_covering_index_without_reading_the_table(db) -> None:
    store, incident, _ids = db
    plan = " ".join(r["detail"] for r in store.query(
        "EXPLAIN QUERY PLAN SELECT coalesce(cluster_id, id) AS ckey, count(*), "
        "min(created_at), max(created_at), max(urgency) FROM posts "
        "WHERE status = 'new' AND incident_id = ? GROUP BY coalesce(cluster_id, id)",
        (incident,)))
    assert "COVERING INDEX idx_posts_queue" in plan


def test_a_post_without_a_cluster_is_its_own_card(fresh_store: Store) -> None:
    from collectors.base import Batch
    from tests.test_store import make_post
    from vigie.pipeline import ingest

    ingest(fresh_store, Batch(posts=[make_post(1), make_post(2)]), collector="t",
           incident_id=None)
    rows = fresh_store.triage_queue()
    assert sorted(r["ckey"] for r in rows) == ["test:1", "test:2"]
    assert all(r["size"] == 1 for r in rows)


def test_a_bulk_action_with_one_stale_post_changes_nothing(db) -> None:
    store, incident, _ids = db
    big = next(r for r in store.triage_queue(incident_id=incident, limit=100) if r["size"] > 2)
    refs = refs_of(store, big["ckey"], incident)
    other = User("bob", "volunteer")
    store.update_posts([refs[1]], {"status": "escalated"}, other.username, action="escalate")
    with pytest.raises(StaleEdit) as stale:
        triage.set_status(store, VOL, refs, "irrelevant")
    assert stale.value.by == "bob" and stale.value.at
    statuses = {store.get_post(pid)["status"] for pid, _v in refs}
    assert statuses == {"new", "escalated"}  # nobody's post was overwritten, none half-done
    assert not any(a["after"] == {"status": "irrelevant"} for a in store.audit_entries())


def test_escalating_writes_a_main_courante_line(db) -> None:
    store, incident, _ids = db
    top = store.triage_queue(incident_id=incident, limit=1)[0]
    refs = refs_of(store, top["ckey"], incident)
    triage.set_status(store, VOL, refs, "escalate", sample=top, incident_id=incident)
    [line] = store.log_entries(kinds=["system"])
    assert "Remontée à la cellule de crise par volunteer" in line["text"]
    assert top["text"][:30] in line["text"]
    assert all(store.get_post(pid)["status"] == "escalated" for pid, _v in refs)


def test_categories_stay_in_step_with_the_category_index(db) -> None:
    store, incident, _ids = db
    top = store.triage_queue(incident_id=incident, limit=1)[0]
    refs = refs_of(store, top["ckey"], incident)
    triage.set_categories(store, VOL, refs, ["solidarity", "sympathy"])
    refs = refs_of(store, top["ckey"], incident)
    triage.toggle_category(store, VOL, refs, "sympathy", present=True)
    refs = refs_of(store, top["ckey"], incident)
    triage.toggle_category(store, VOL, refs, "help_request", present=False)
    for pid, _v in refs:
        assert store.get_post(pid)["categories"] == ["solidarity", "help_request"]
        indexed = {r["category"] for r in store.query(
            "SELECT category FROM post_categories WHERE post_id = ?", (pid,))}
        assert indexed == {"solidarity", "help_request"}
    from vigie.store import PostFilter

    tagged = {p["id"] for p in store.timeline(PostFilter(categories=["sympathy"]), limit=500)}
    assert not tagged & {pid for pid, _v in refs}


def test_place_comes_from_the_gazetteer(db) -> None:
    store, incident, _ids = db
    beaune = next(c for c in triage.area_communes(("21",)) if c.name == "Beaune")
    top = store.triage_queue(incident_id=incident, limit=1)[0]
    refs = refs_of(store, top["ckey"], incident)
    triage.set_place(store, VOL, refs, beaune.insee)
    post = store.get_post(refs[0][0])
    assert (post["place"], post["insee"], post["precision"]) == ("Beaune", "21054", "commune")
    assert abs(post["lat"] - beaune.lat) < 1e-9
    from vigie.store import PostFilter

    assert refs[0][0] in {p["id"] for p in store.timeline(PostFilter(search="Beaune"))}


def test_each_rater_keeps_their_own_rating_and_disagreements_are_marked(db) -> None:
    store, _incident, ids = db
    post = ids[0]
    triage.rate(store, VOL, [post], "B", 2)
    triage.rate(store, User("bob", "volunteer"), [post], "D", 2)
    triage.rate(store, VOL, [post], "B", 3)  # alice changes her own mind
    rows = store.ratings_for([post])
    assert {(r["rater"], r["source_rating"], r["info_rating"]) for r in rows} == {
        ("volunteer", "B", 3), ("bob", "D", 2)}
    summary = summarize(rows)[post]
    assert summary.by_rater == {"volunteer": "B3", "bob": "D2"}
    assert summary.disagree_source and summary.disagree_info
    # never averaged: there is no rating other than the raters' own
    assert len(rows) == 2


def test_raters_who_agree_are_not_marked(db) -> None:
    store, _incident, ids = db
    triage.rate(store, VOL, [ids[0]], "B", 2)
    triage.rate(store, User("bob", "volunteer"), [ids[0]], "B", None)
    assert not summarize(store.ratings_for([ids[0]]))[ids[0]].disagree


def test_a_viewer_cannot_triage(db) -> None:
    from vigie.acting import Refused

    store, incident, _ids = db
    top = store.triage_queue(incident_id=incident, limit=1)[0]
    with pytest.raises(Refused):
        triage.set_status(store, User("viewer", "viewer"),
                          refs_of(store, top["ckey"], incident), "relevant")
    assert store.get_post(top["id"])["status"] == "new"


def test_two_volunteers_acting_on_the_same_card_never_both_win(db, db_path) -> None:
    store, incident, _ids = db
    top = store.triage_queue(incident_id=incident, limit=1)[0]
    refs = refs_of(store, top["ckey"], incident)
    barrier = threading.Barrier(4)
    won: list[str] = []

    def work(name: str, action: str) -> None:
        mine = Store(db_path)
        barrier.wait()
        try:
            triage.set_status(mine, User(name, "volunteer"), refs, action)
            won.append(action)
        except StaleEdit:
            pass

    threads = [threading.Thread(target=work, args=(f"v{i}", a))
               for i, a in enumerate(["relevant", "irrelevant", "escalate", "relevant"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    expected = triage.STATUS_ACTIONS[won[0]]
    assert {store.get_post(pid)["status"] for pid, _v in refs} == {expected}


def test_undo_puts_posts_back_in_the_queue(db) -> None:
    store, incident, _ids = db
    top = store.triage_queue(incident_id=incident, limit=1)[0]
    refs = refs_of(store, top["ckey"], incident)
    changed = triage.set_status(store, VOL, refs, "escalate", sample=top, incident_id=incident)
    assert len(changed) == len(refs)
    assert triage.undo(store, VOL, changed, escalated=True, incident_id=incident) == len(refs)
    assert {store.get_post(p)["status"] for p, _v in refs} == {"new"}
    assert top["ckey"] in {r["ckey"] for r in store.triage_queue(incident_id=incident)}
    texts = [e["text"] for e in store.log_entries(kinds=["system"])]
    assert texts[0].startswith("Remontée à la cellule annulée") and len(texts) == 2


def test_undo_after_someone_else_acted_changes_nothing(db) -> None:
    store, incident, _ids = db
    top = store.triage_queue(incident_id=incident, limit=1)[0]
    changed = triage.set_status(store, VOL, refs_of(store, top["ckey"], incident), "relevant")
    first = changed[0]
    store.versioned_update("posts", first["id"], first["version"], {"status": "escalated"},
                           "bob")
    with pytest.raises(StaleEdit):
        triage.undo(store, VOL, changed)
    assert store.get_post(first["id"])["status"] == "escalated"
