"""People reports: follow-up from reported to located, waits, privacy of the log lines."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from tests.volunteers_helpers import person_posts, seed, volunteer_db
from vigie import people
from vigie.acting import Refused
from vigie.auth import User
from vigie.durations import human
from vigie.models import iso
from vigie.store import StaleEdit, Store

VOL = User("volunteer", "volunteer")


@pytest.fixture
def db(fresh_store: Store):
    incident = volunteer_db(fresh_store)
    ids = seed(fresh_store, person_posts(3), incident_id=incident)
    return fresh_store, incident, ids


def test_a_report_from_a_post_keeps_the_link_and_the_place(db) -> None:
    store, incident, ids = db
    post = store.get_post(ids[0])
    pid = people.report(store, VOL, "distress", post["text"], post=post)
    person = store.get_person(pid)
    assert (person["post_id"], person["place"], person["status"]) == (
        post["id"], post["place"], "reported")
    assert person["incident_id"] == incident and person["created_by"] == "volunteer"
    assert store.audit_entries(entity="people", entity_id=pid)[0]["action"] == "report"
    assert store.people_of_posts([post["id"]])[post["id"]][0]["id"] == pid


def test_a_report_needs_a_description(db) -> None:
    store, _incident, _ids = db
    with pytest.raises(Refused):
        people.report(store, VOL, "missing", "  ")


def test_reports_are_listed_open_first_longest_wait_on_top(db) -> None:
    store, incident, _ids = db
    first = people.report(store, VOL, "missing", "A", incident_id=incident)
    second = people.report(store, VOL, "distress", "B", incident_id=incident)
    third = people.report(store, VOL, "distress", "C", incident_id=incident)
    old = iso(datetime.now(UTC) - timedelta(hours=2))
    store.conn.execute("UPDATE people SET reported_at = ? WHERE id = ?", (old, third))
    people.move(store, VOL, store.get_person(first), "located")
    order = [p["id"] for p in store.people_reports(incident_id=incident)]
    assert order == [third, second, first]
    assert people.wait_seconds(store.get_person(third)) >= 7200 - 5
    assert human(2 * 3600 + 12 * 60) == "2 h 12"


def test_escalation_stamps_when_and_to_whom_and_logs_without_the_description(db) -> None:
    store, incident, _ids = db
    pid = people.report(store, VOL, "missing", "Jean Dupont, 80 ans, vu près de la Saône",
                        place="Auxonne", incident_id=incident)
    person = people.move(store, VOL, store.get_person(pid), "escalated", escalated_to="SDIS")
    assert (person["status"], person["escalated_to"], person["escalated_by"]) == (
        "escalated", "SDIS", "volunteer")
    assert person["escalated_at"]
    person = people.move(store, VOL, person, "located")
    assert person["located_at"] >= person["escalated_at"]
    lines = [e["text"] for e in store.log_entries(kinds=["system"])]
    assert any("transmis à SDIS" in t for t in lines)
    assert any("personne localisée" in t for t in lines)
    assert not any("Dupont" in t for t in lines)


def test_a_closed_report_cannot_be_reopened_or_skipped_back(db) -> None:
    store, _incident, _ids = db
    person = store.get_person(people.report(store, VOL, "distress", "X"))
    person = people.move(store, VOL, person, "resolved")
    for status in ("reported", "escalated", "located"):
        with pytest.raises(Refused):
            people.move(store, VOL, person, status)


def test_a_stale_follow_up_is_refused(db) -> None:
    store, _incident, _ids = db
    seen = store.get_person(people.report(store, VOL, "distress", "X"))
    store.update_person(seen["id"], seen["version"], {"notes": "appel SDIS en cours"}, "bob")
    with pytest.raises(StaleEdit) as stale:
        people.move(store, VOL, seen, "escalated")
    assert stale.value.by == "bob"
    assert store.get_person(seen["id"])["status"] == "reported"


def test_two_volunteers_escalating_at_once_escalate_once(db, db_path) -> None:
    store, _incident, _ids = db
    seen = store.get_person(people.report(store, VOL, "distress", "X"))
    barrier = threading.Barrier(4)
    won: list[str] = []

    def work(i: int) -> None:
        mine = Store(db_path)
        barrier.wait()
        try:
            people.move(mine, User(f"v{i}", "volunteer"), seen, "escalated")
            won.append(f"v{i}")
        except StaleEdit:
            pass

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    assert store.get_person(seen["id"])["escalated_by"] == won[0]
    assert len([e for e in store.log_entries(kinds=["system"]) if "transmis" in e["text"]]) == 1
