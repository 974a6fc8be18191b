"""The replay collector: time compression, release once, restart, pause."""

from __future__ import annotations

from datetime import timedelta

from collectors import replay
from collectors.base import Source
from collectors.runner import Runner
from tests.conftest import FIXTURES
from vigie.models import utc_now
from vigie.store import PostFilter

MINI = str(FIXTURES / "replay" / "mini.jsonl")


def source(speed: float = 10.0) -> Source:
    return Source(name="ex", kind="replay", url=MINI, every=1, options={"speed": speed})


def test_items_are_released_when_their_time_comes() -> None:
    t0 = utc_now()
    first = replay.collect(source(speed=10), {}, t0)
    assert [p.id for p in first.posts] == ["replay:ex:p1"]
    later = replay.collect(source(speed=10), first.state, t0 + timedelta(seconds=13))
    assert [p.id for p in later.posts] == ["replay:ex:p2", "replay:ex:p3"]
    assert [a.id for a in later.alerts] == ["replay:ex:a1"]
    assert [(e.id, e.status) for e in later.road_events] == [("replay:ex:r1", "active")]


def test_released_items_carry_real_times_in_order() -> None:
    t0 = utc_now()
    state = replay.collect(source(speed=10), {}, t0).state
    batch = replay.collect(source(speed=10), state, t0 + timedelta(seconds=100))
    times = [p.created_at for p in batch.posts]
    assert times == sorted(times)
    assert batch.posts[0].lat is not None and batch.posts[0].precision == "exact"


def test_auto_speed_fits_the_scenario_into_target_minutes() -> None:
    header, _ = replay.load_scenario(MINI)
    src = Source(name="ex", kind="replay", url=MINI, options={"target_minutes": 5})
    assert replay.speed_for(src, header) == 600 / 300


def test_pause_stops_the_clock() -> None:
    t0 = utc_now()
    state = replay.collect(source(speed=1), {}, t0).state
    state["paused_at"] = replay.iso(t0 + timedelta(seconds=2))
    paused = replay.collect(source(speed=1), state, t0 + timedelta(seconds=500))
    assert [p.id for p in paused.posts] == []


def test_runner_replays_idempotently_and_marks_an_exercise(fresh_store) -> None:
    clock = {"now": utc_now()}
    runner = Runner(fresh_store, [source(speed=100)], clock=lambda: clock["now"])
    runner.run_once()
    clock["now"] += timedelta(seconds=10)
    runner.run_once()
    runner.run_once()
    assert fresh_store.count_posts(PostFilter()) == 4
    incident = fresh_store.active_incident()
    assert incident["exercise"] is True and incident["scenario"] == "mini"
    assert fresh_store.road_events()[0]["status"] == "ended"
    health = fresh_store.get_source("ex")
    assert health["last_ok_at"] and health["items_total"] >= 6 and not health["last_error"]


def test_road_closures_and_reopenings_reach_the_main_courante(fresh_store) -> None:
    clock = {"now": utc_now()}
    runner = Runner(fresh_store, [source(speed=100)], clock=lambda: clock["now"])
    runner.run_once()
    clock["now"] += timedelta(seconds=10)
    runner.run_once()
    texts = [e["text"] for e in fresh_store.log_entries()]
    assert "Route rouverte : D905 (Plombières-lès-Dijon)" in texts


def test_planned_road_events_become_active_as_time_passes(fresh_store) -> None:
    from collectors.base import Batch
    from vigie.models import RoadEvent, iso
    from vigie.pipeline import ingest, refresh_roads

    t0 = utc_now()
    event = RoadEvent(id="t:1", source="t", kind="t", road="D974", event_type="closure",
                      starts_at=iso(t0 + timedelta(minutes=5)),
                      ends_at=iso(t0 + timedelta(minutes=30)))
    ingest(fresh_store, Batch(road_events=[event]), collector="t", incident_id=None, now=t0)
    assert fresh_store.road_events()[0]["status"] == "planned"
    assert refresh_roads(fresh_store, t0 + timedelta(minutes=10)) == 1
    assert fresh_store.road_events()[0]["status"] == "active"
    refresh_roads(fresh_store, t0 + timedelta(minutes=31))
    assert fresh_store.road_events()[0]["status"] == "ended"
    assert [e["text"] for e in fresh_store.log_entries()][:2] == [
        "Route rouverte : D974", "Route coupée : D974"]
