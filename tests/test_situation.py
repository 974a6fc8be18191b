"""The wall's queries and figures: time windows, live incidents only, one item per
near-duplicate cluster, freshness and health warnings."""

from __future__ import annotations

from datetime import timedelta

from tests.wall_helpers import add_claim, add_person, add_post
from vigie import situation
from vigie.models import RoadEvent, iso, utc_now


class FakeLock:
    def __init__(self, running: bool) -> None:
        self.running = running

    def held_elsewhere(self) -> bool:
        return self.running


def test_posts_of_the_last_hour_and_the_trend(fresh_store) -> None:
    now = utc_now()
    for minutes in (5, 20, 40, 50, 59):
        add_post(fresh_store, now - timedelta(minutes=minutes))
    for minutes in (70, 100):
        add_post(fresh_store, now - timedelta(minutes=minutes))
    add_post(fresh_store, now - timedelta(hours=5))
    f = situation.figures(fresh_store, now)
    assert (f.posts_hour, f.posts_previous_hour) == (5, 2)
    assert f.trend == 1.5


def test_no_trend_without_a_previous_hour(fresh_store) -> None:
    now = utc_now()
    add_post(fresh_store, now - timedelta(minutes=5))
    assert situation.figures(fresh_store, now).trend is None


def test_urgent_items_are_open_recent_and_one_per_cluster(fresh_store) -> None:
    now = utc_now()
    newest = add_post(fresh_store, now - timedelta(minutes=1), text="copie", urgency=0.9,
                      cluster="c1")
    add_post(fresh_store, now - timedelta(minutes=9), text="original", urgency=0.9, cluster="c1")
    add_post(fresh_store, now - timedelta(minutes=5), text="autre", urgency=0.8)
    add_post(fresh_store, now - timedelta(minutes=3), text="calme", urgency=0.3)
    add_post(fresh_store, now - timedelta(hours=30), text="trop vieux", urgency=0.95)
    handled = add_post(fresh_store, now - timedelta(minutes=2), text="traité", urgency=0.95)
    post = fresh_store.get_post(handled)
    fresh_store.versioned_update("posts", handled, post["version"], {"status": "triaged"},
                                 "alice")
    count, rows = fresh_store.urgent_open(0.7, iso(now - timedelta(hours=24)))
    assert count == 2
    assert [(r["id"], r["text"], r["copies"]) for r in rows] == [
        (newest, "copie", 2), (rows[1]["id"], "autre", 1)]


def test_closed_incidents_leave_the_wall(fresh_store) -> None:
    now = utc_now()
    ex = fresh_store.create_incident("Exercice fini", exercise=True)
    live = fresh_store.create_incident("Crue", exercise=False)
    for incident in (ex, live, None):
        add_post(fresh_store, now - timedelta(minutes=2), urgency=0.9, incident_id=incident,
                 categories=["help_request"])
        add_claim(fresh_store, f"rumeur {incident}", "false", incident)
        add_person(fresh_store, "bloqué", now - timedelta(minutes=30), incident)
    fresh_store.upsert_road_events(
        [(RoadEvent(id="r1", source="t", kind="t", road="D905", event_type="closure"), "active")],
        ex)
    fresh_store.set_incident_status(ex, "closed")
    f = situation.figures(fresh_store, now)
    assert (f.posts_hour, f.urgent_open, f.people_waiting, f.roads_closed) == (2, 2, 2, 0)
    assert f.claims == {"false": 2}
    assert {r["title"] for r in fresh_store.latest_verdicts()} == {
        f"rumeur {live}", "rumeur None"}
    assert sum(r["posts"] for r in fresh_store.category_volume(
        iso(now - timedelta(hours=6)))) == 2


def test_people_waiting_and_the_longest_wait(fresh_store) -> None:
    now = utc_now()
    add_person(fresh_store, "a", now - timedelta(minutes=95), None)
    add_person(fresh_store, "b", now - timedelta(minutes=10), None)
    f = situation.figures(fresh_store, now)
    assert f.people_waiting == 2
    assert situation.duration_text(f.longest_wait) == "1 h 35"


def test_road_closures_first_then_detours(fresh_store) -> None:
    events = [RoadEvent(id="d", source="t", kind="t", road="D10", event_type="detour"),
              RoadEvent(id="c", source="t", kind="t", road="D905", event_type="closure"),
              RoadEvent(id="w", source="t", kind="t", road="A38", event_type="works")]
    fresh_store.upsert_road_events([(e, "active") for e in events], None)
    fresh_store.upsert_road_events(
        [(RoadEvent(id="e", source="t", kind="t", road="D1", event_type="closure"), "ended")],
        None)
    assert [r["road"] for r in fresh_store.road_closures()] == ["D905", "D10"]
    assert fresh_store.roads_closed() == 1


def test_volume_by_category_in_buckets(fresh_store) -> None:
    now = utc_now().replace(minute=30, second=0, microsecond=0)
    add_post(fresh_store, now - timedelta(minutes=1), categories=["roads_traffic"])
    add_post(fresh_store, now - timedelta(minutes=3), categories=["roads_traffic",
                                                                   "help_request"])
    add_post(fresh_store, now - timedelta(minutes=12), categories=["roads_traffic"])
    rows = fresh_store.category_volume(iso(now - timedelta(hours=1)), bucket_seconds=600)
    got = {(r["category"], r["bucket"]): r["posts"] for r in rows}
    b = int(now.timestamp()) - 600
    assert got == {("roads_traffic", b): 2, ("help_request", b): 1,
                   ("roads_traffic", b - 600): 1}


def test_bars_get_finer_when_the_data_are_short() -> None:
    assert situation.volume_bucket(timedelta(minutes=30)) == 120
    assert situation.volume_bucket(timedelta(hours=2)) == 300
    assert situation.volume_bucket(timedelta(hours=6)) == 600


def test_stopped_collectors_are_reported(fresh_store) -> None:
    now = utc_now()
    problems = situation.health_problems(fresh_store, now, lock=FakeLock(False))
    assert [p.kind for p in problems] == ["collectors_stopped"]
    assert situation.health_problems(fresh_store, now, lock=FakeLock(True)) == []


def test_a_source_failing_for_too_long_is_reported(fresh_store) -> None:
    now = utc_now()
    fresh_store.add_source("rss-pref", "rss", "https://example.invalid/rss", 60, True, {}, "admin")
    fresh_store.record_success("rss-pref", items=3, rejected=0, state={}, lag_seconds=None)
    fresh_store.record_failure("rss-pref", code="timeout", message="Délai dépassé")
    lock = FakeLock(True)
    # one failure right after a success: not yet a problem
    assert situation.health_problems(fresh_store, now, lock=lock) == []
    later = now + timedelta(minutes=11)
    problems = situation.health_problems(fresh_store, later, lock=lock)
    assert [(p.kind, p.source, p.error) for p in problems] == [
        ("source_failing", "rss-pref", "Délai dépassé")]
    row = fresh_store.get_source("rss-pref")
    fresh_store.edit_source("rss-pref", row["version"], {"enabled": False}, "admin")
    assert situation.health_problems(fresh_store, later, lock=lock) == []


def test_a_slow_source_gets_more_time(fresh_store) -> None:
    now = utc_now()
    fresh_store.add_source("cap", "cap", "https://example.invalid/cap", 900, True, {}, "admin")
    fresh_store.record_success("cap", items=1, rejected=0, state={}, lag_seconds=None)
    fresh_store.record_failure("cap", code="timeout", message="Délai dépassé")
    lock = FakeLock(True)
    assert situation.health_problems(fresh_store, now + timedelta(minutes=30), lock=lock) == []
    assert situation.health_problems(fresh_store, now + timedelta(minutes=80), lock=lock)


def test_a_source_that_stopped_running_is_reported_silent(fresh_store) -> None:
    now = utc_now()
    fresh_store.add_source("feed", "rss", "https://example.invalid/rss", 60, True, {}, "admin")
    fresh_store.record_success("feed", items=1, rejected=0, state={}, lag_seconds=None)
    problems = situation.health_problems(fresh_store, now + timedelta(minutes=25),
                                         lock=FakeLock(True))
    assert [(p.kind, p.source) for p in problems] == [("source_silent", "feed")]


def test_the_urgency_threshold_is_a_setting(fresh_store) -> None:
    assert situation.urgency_threshold(fresh_store) == situation.URGENCY_THRESHOLD
    fresh_store.set_setting("wall_urgency_threshold", 0.5)
    assert situation.urgency_threshold(fresh_store) == 0.5


def test_the_urgent_count_reads_the_partial_index(fresh_store) -> None:
    """Fast on a large database: open urgent posts have their own small index (at 1M posts
    the count fell from ~960 ms to ~90 ms)."""
    now = utc_now()
    for i in range(3000):  # ten days of posts, few of them urgent
        add_post(fresh_store, now - timedelta(minutes=5 * i), urgency=0.9 if i % 20 == 0 else 0)
    fresh_store.conn.execute("ANALYZE")
    statements: list[str] = []
    fresh_store.conn.set_trace_callback(statements.append)  # the SQL urgent_open really runs
    count, _rows = fresh_store.urgent_open(0.7, iso(now - timedelta(hours=24)), limit=0)
    fresh_store.conn.set_trace_callback(None)
    assert count == 15
    plan = fresh_store.query(f"EXPLAIN QUERY PLAN {statements[-1]}")
    assert any("idx_posts_open_urgent" in row["detail"] for row in plan)


def test_a_low_threshold_still_finds_its_posts(fresh_store) -> None:
    now = utc_now()
    add_post(fresh_store, now - timedelta(minutes=1), urgency=0.35)
    assert fresh_store.urgent_open(0.3, iso(now - timedelta(hours=1)))[0] == 1
    assert fresh_store.urgent_open(0.7, iso(now - timedelta(hours=1)))[0] == 0
