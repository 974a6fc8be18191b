"""Claims: creation from posts, suggestions, status moves, verdicts, publication."""

from __future__ import annotations

import threading

import pytest

from tests.volunteers_helpers import rumor, seed, volunteer_db
from vigie import claims
from vigie.acting import Refused
from vigie.auth import User
from vigie.store import StaleEdit, Store

VOL = User("volunteer", "volunteer")
BOB = User("bob", "volunteer")
COORD = User("coordinator", "coordinator")


@pytest.fixture
def db(fresh_store: Store):
    incident = volunteer_db(fresh_store)
    seed(fresh_store, rumor("r1", 12) + rumor("r4", 8), incident_id=incident)
    return fresh_store, incident


def biggest(store: Store, incident: int) -> tuple[dict, list[tuple[str, int]]]:
    card = max(store.triage_queue(incident_id=incident, limit=100), key=lambda r: r["size"])
    return card, store.cluster_refs([card["ckey"]], incident_id=incident)[card["ckey"]]


def new_claim(store: Store, incident: int) -> int:
    card, refs = biggest(store, incident)
    return claims.create(store, VOL, "Le barrage de Pont va céder", refs, incident_id=incident,
                         cluster_id=card["cluster_id"])


def test_a_claim_made_from_a_card_takes_its_posts_out_of_the_queue(db) -> None:
    store, incident = db
    card, refs = biggest(store, incident)
    claim_id = claims.create(store, VOL, "Le barrage de Pont va céder", refs,
                             incident_id=incident, cluster_id=card["cluster_id"])
    claim = store.get_claim(claim_id)
    assert (claim["status"], claim["created_by"], claim["status_by"]) == (
        "to_verify", "volunteer", "volunteer")
    assert {p["id"] for p in store.claim_posts(claim_id, limit=100)} == {p for p, _v in refs}
    assert all(store.get_post(p)["status"] == "triaged" for p, _v in refs)
    assert card["ckey"] not in {r["ckey"] for r in store.triage_queue(incident_id=incident)}
    actions = {a["action"] for a in store.audit_entries(entity="claims", entity_id=claim_id)}
    assert {"create", "attach"} <= actions


def test_a_claim_needs_a_title(db) -> None:
    store, incident = db
    with pytest.raises(Refused):
        claims.create(store, VOL, "   ", [], incident_id=incident)


def test_a_later_copy_is_suggested_the_claim_of_its_cluster(db) -> None:
    store, incident = db
    claim_id = new_claim(store, incident)
    card, _refs = biggest(store, incident)
    later = seed(store, rumor("r1")[12:14], incident_id=incident)
    assert later
    post = store.get_post(later[0])
    suggestions = claims.suggest(store, post)
    assert suggestions, post["text"]
    assert suggestions[0].claim["id"] == claim_id


def test_a_post_with_the_same_words_is_suggested_the_claim(db) -> None:
    store, incident = db
    claim_id = claims.create(store, VOL, "L'eau du robinet serait empoisonnée à Dijon", [],
                             incident_id=incident)
    post = {"id": "x:1", "cluster_id": "x:1",
            "text": "Attention l'eau du robinet est empoisonnée à Dijon, ne buvez plus !"}
    assert [s.claim["id"] for s in claims.suggest(store, post)] == [claim_id]
    unrelated = {"id": "x:2", "cluster_id": "x:2",
                 "text": "Le gymnase de Plombières ouvre ses portes aux sinistrés ce soir"}
    assert claims.suggest(store, unrelated) == []


def test_moves_follow_the_verification_path(db) -> None:
    store, incident = db
    claim = store.get_claim(new_claim(store, incident))
    assert claims.allowed_moves("to_verify", VOL) == ["investigating"]
    with pytest.raises(Refused):
        claims.move(store, VOL, claim, "false")
    claim = claims.move(store, VOL, claim, "investigating")
    assert (claim["status"], claim["status_by"]) == ("investigating", "volunteer")
    assert claim["status_at"] and claim["verdict_at"] is None


def test_a_verdict_needs_a_note_and_records_who_and_when(db) -> None:
    store, incident = db
    claim = claims.move(store, VOL, store.get_claim(new_claim(store, incident)),
                        "investigating")
    with pytest.raises(Refused):
        claims.move(store, BOB, claim, "false")
    claim = claims.move(store, BOB, claim, "false", verdict_note="Démenti de la préfecture",
                        incident_id=incident)
    assert (claim["status"], claim["verdict_by"], claim["status_by"]) == ("false", "bob", "bob")
    assert claim["verdict_at"] == claim["status_at"]
    [line] = store.log_entries(kinds=["system"])
    assert line["author"] == "vigie" and "Verdict « fausse »" in line["text"]
    assert line["entity"] == "claims" and line["entity_id"] == str(claim["id"])
    assert claims.time_to_verdict({**claim, **store.claim_stats([claim["id"]])[claim["id"]]}) \
        is not None


def test_only_a_coordinator_publishes_and_only_a_verdict_with_its_message(db) -> None:
    store, incident = db
    claim = claims.move(store, VOL, store.get_claim(new_claim(store, incident)),
                        "investigating")
    with pytest.raises(Refused):
        claims.publish(store, COORD, claim, True)  # not a verdict yet
    claim = claims.move(store, VOL, claim, "false", verdict_note="Démenti")
    with pytest.raises(Refused):
        claims.publish(store, VOL, claim, True)  # a volunteer
    with pytest.raises(Refused):
        claims.publish(store, COORD, claim, True)  # no public message
    claim = claims.save(store, COORD, claim, {"public_message": "Faux : le barrage tient."})
    claim = claims.publish(store, COORD, claim, True, incident_id=incident)
    assert claim["published"] == 1
    assert any("publiée sur la carte publique" in e["text"]
               for e in store.log_entries(kinds=["system"]))
    with pytest.raises(Refused):  # a volunteer may not reword what the public sees
        claims.save(store, VOL, claim, {"public_message": "Autre chose"})


def test_reopening_a_verdict_is_for_coordinators_and_takes_it_off_the_map(db) -> None:
    store, incident = db
    claim = claims.move(store, VOL, store.get_claim(new_claim(store, incident)),
                        "investigating")
    claim = claims.save(store, COORD, claim, {"verdict_note": "Démenti",
                                               "public_message": "Faux."}, "false")
    claim = claims.publish(store, COORD, claim, True)
    assert claims.allowed_moves("false", VOL) == []
    claim = claims.move(store, COORD, claim, "investigating")
    assert (claim["published"], claim["verdict_at"]) == (0, None)
    assert "retirée de la carte publique" in store.log_entries(kinds=["system"])[0]["text"]


def test_save_edits_and_moves_in_one_step_against_the_version_seen(db) -> None:
    store, incident = db
    seen = claims.move(store, VOL, store.get_claim(new_claim(store, incident)), "investigating")
    claims.save(store, BOB, seen, {"owner": "bob"})
    with pytest.raises(StaleEdit) as stale:
        claims.save(store, VOL, seen, {"verdict_note": "Mon analyse"}, "false")
    assert stale.value.by == "bob"
    now = store.get_claim(seen["id"])
    assert (now["status"], now["owner"], now["verdict_note"]) == ("investigating", "bob", None)


def test_two_writers_on_one_claim_never_overwrite_each_other(db, db_path) -> None:
    store, incident = db
    seen = claims.move(store, VOL, store.get_claim(new_claim(store, incident)), "investigating")
    barrier = threading.Barrier(5)
    won: list[str] = []

    def work(i: int) -> None:
        mine = Store(db_path)
        barrier.wait()
        try:
            claims.save(mine, User(f"v{i}", "volunteer"), seen, {"verdict_note": f"note {i}"},
                        "false")
            won.append(f"note {i}")
        except StaleEdit:
            pass

    threads = [threading.Thread(target=work, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    assert store.get_claim(seen["id"])["verdict_note"] == won[0]


def test_evidence_is_kept_with_its_author(db) -> None:
    store, incident = db
    claim_id = new_claim(store, incident)
    store.add_evidence(claim_id, "link", "Démenti officiel", "bob",
                       url="https://exemple.invalid/prefecture")
    [e] = store.evidence_for([claim_id])[claim_id]
    assert (e["kind"], e["author"], e["url"]) == ("link", "bob",
                                                  "https://exemple.invalid/prefecture")
    assert store.audit_entries(entity="claims", entity_id=claim_id)[0]["action"] == \
        "add_evidence"


def test_spread_counts_linked_posts_per_ten_minutes(db) -> None:
    store, incident = db
    claim_id = new_claim(store, incident)
    posts = store.claim_posts(claim_id, limit=100)
    spread = store.claim_spread([claim_id])[claim_id]
    assert sum(n for _b, n in spread) == len(posts) == store.claim_stats([claim_id])[
        claim_id]["posts"]
    for bucket, n in spread:
        assert n == sum(p["created_at"][:15] + "0" == bucket for p in posts)


def test_sparkline_fills_quiet_intervals_and_scales_to_the_peak() -> None:
    spark = claims.sparkline([("2026-11-25T10:00", 1), ("2026-11-25T10:30", 8)])
    assert spark == "▂▁▁█"
    assert claims.sparkline([]) == ""
    long = [(f"2026-11-25T{h:02d}:{m}0", 1) for h in range(10, 20) for m in range(6)]
    assert len(claims.sparkline(long)) <= claims.MAX_SPARK


def test_the_claims_index_follows_title_edits(db) -> None:
    store, incident = db
    claim = store.get_claim(new_claim(store, incident))
    claims.save(store, VOL, claim, {"title": "Pillages signalés à Auxonne"})
    assert [c["id"] for c in store.claims_matching('"auxonne"')] == [claim["id"]]
    titles = store.query("SELECT rowid FROM claims_fts WHERE claims_fts MATCH 'barrage'")
    assert titles == []
