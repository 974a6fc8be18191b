"""Spike alerts: the statistical rule, detection over the store, dedupe, the main-courante
line, and the collectors' hook."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from collectors.base import Source
from collectors.runner import Runner
from tests.conftest import FIXTURES
from tests.wall_helpers import add_series
from vigie import spikes
from vigie.models import utc_now

W = spikes.WINDOW


def test_poisson_tail_matches_the_closed_form() -> None:
    # P(X >= 3 | 1) = 1 - e^-1 (1 + 1 + 1/2)
    assert spikes.poisson_tail(3, 1.0) == pytest.approx(1 - math.exp(-1) * 2.5)
    assert spikes.poisson_tail(0, 4.0) == 1.0
    # far tail stays positive and tiny instead of rounding to 0 or going negative
    assert 0 < spikes.poisson_tail(80, 2.0) < 1e-60


def test_a_sudden_rise_against_a_quiet_baseline_is_a_spike() -> None:
    verdict = spikes.judge(14, [1, 2, 0, 1, 2, 1])
    assert verdict.spike and verdict.baseline == pytest.approx(7 / 6, abs=0.01)
    assert verdict.score > 5


def test_steady_high_volume_is_not_a_spike() -> None:
    assert not spikes.judge(58, [50, 47, 55, 52, 49, 51]).spike
    # a +58 % burst at high volume: the Poisson tail alone would call it a spike (social
    # media is burstier than Poisson); the doubling rule does not
    assert spikes.poisson_tail(80, 50.7) < spikes.P_MAX
    assert not spikes.judge(80, [50, 47, 55, 52, 49, 51]).spike
    assert spikes.judge(110, [50, 47, 55, 52, 49, 51]).spike


def test_small_counts_are_not_spikes() -> None:
    assert not spikes.judge(3, [1, 0, 1, 0, 1, 1]).spike
    assert not spikes.judge(4, [0, 0, 0, 0, 0, 0]).spike


def test_no_verdict_without_enough_history() -> None:
    assert not spikes.judge(40, [0, 1]).spike


def test_detection_flags_a_commune_and_writes_the_main_courante(fresh_store) -> None:
    now = utc_now()
    incident = fresh_store.create_incident("Crue", exercise=False)
    add_series(fresh_store, now, [12, 1, 0, 1, 1, 0, 1, 1], window=W, place="Genlis",
               incident_id=incident)
    add_series(fresh_store, now, [20, 19, 22, 18, 21, 20, 19, 20], window=W, place="Dijon",
               incident_id=incident)
    found = spikes.detect(fresh_store, now)
    rows = fresh_store.query("SELECT * FROM spikes")
    assert len(found) == 1 and [(r["dimension"], r["value"]) for r in rows] == [
        ("place", "Genlis")]
    assert rows[0]["count"] == 12 and rows[0]["incident_id"] == incident
    log = fresh_store.log_entries()
    assert log[0]["author"] == "vigie" and log[0]["kind"] == "system"
    assert "Genlis" in log[0]["text"] and "12" in log[0]["text"]
    assert log[0]["entity"] == "spike" and log[0]["incident_id"] == incident


def test_detection_flags_a_category_but_never_not_relevant(fresh_store) -> None:
    now = utc_now()
    add_series(fresh_store, now, [15, 1, 2, 1, 0, 1, 2], window=W,
               categories=["help_request"])
    add_series(fresh_store, now, [30, 1, 2, 1, 0, 1, 2], window=W,
               categories=["not_relevant"])
    spikes.detect(fresh_store, now)
    assert [r["value"] for r in fresh_store.query("SELECT value FROM spikes")] == [
        "help_request"]
    assert "Demande d'aide" in fresh_store.log_entries()[0]["text"]


def test_a_spike_is_stored_once_per_value(fresh_store) -> None:
    now = utc_now()
    add_series(fresh_store, now, [12, 1, 0, 1, 1, 0, 1, 1], window=W, place="Genlis")
    assert len(spikes.detect(fresh_store, now)) == 1
    assert spikes.detect(fresh_store, now + timedelta(minutes=1)) == []
    assert fresh_store.scalar("SELECT count(*) FROM spikes") == 1
    assert fresh_store.scalar("SELECT count(*) FROM log") == 1


def test_the_first_minutes_of_a_stream_raise_nothing(fresh_store) -> None:
    now = utc_now()
    add_series(fresh_store, now, [25, 0, 1], window=W, place="Genlis")  # 30 min of history
    assert spikes.detect(fresh_store, now) == []


def test_a_fast_exercise_is_judged_on_scenario_time(fresh_store) -> None:
    now = utc_now()
    incident = fresh_store.create_incident("Exercice", exercise=True, speed=16)
    window = spikes.window_for(fresh_store.get_incident(incident))
    assert window == timedelta(minutes=1)
    add_series(fresh_store, now, [9, 0, 1, 0, 1, 0, 1, 0], window=window, place="Auxonne",
               incident_id=incident)
    assert len(spikes.detect(fresh_store, now)) == 1
    assert "en 1 min" in fresh_store.log_entries()[0]["text"]


def test_closed_incidents_are_not_watched(fresh_store) -> None:
    now = utc_now()
    incident = fresh_store.create_incident("Ancien", exercise=False)
    add_series(fresh_store, now, [12, 1, 0, 1, 1, 0, 1, 1], window=W, place="Genlis",
               incident_id=incident)
    fresh_store.set_incident_status(incident, "closed")
    assert spikes.detect(fresh_store, now) == []


def test_the_collectors_look_for_spikes_at_most_once_a_minute(fresh_store, monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(spikes, "detect", lambda store, now: calls.append(now) or [])
    t = [utc_now()]
    src = Source(name="ex", kind="replay", url=str(FIXTURES / "replay" / "mini.jsonl"),
                 every=1, options={"speed": 10})
    runner = Runner(fresh_store, [src], clock=lambda: t[0])
    for _ in range(40):  # 40 s of ticks; the mini scenario releases posts along the way
        runner.tick()
        t[0] += timedelta(seconds=1)
    assert 1 <= len(calls) <= 2
    assert all((b - a) >= timedelta(seconds=60) for a, b in zip(calls, calls[1:], strict=False))


def test_spike_detection_failing_never_stops_collection(fresh_store, monkeypatch) -> None:
    def broken(store, now):
        raise RuntimeError("boom")

    monkeypatch.setattr(spikes, "detect", broken)
    src = Source(name="ex", kind="replay", url=str(FIXTURES / "replay" / "mini.jsonl"),
                 every=1, options={"speed": 10})
    outcome = Runner(fresh_store, [src]).run_once()[0]
    assert outcome.ok and fresh_store.scalar("SELECT count(*) FROM posts") >= 1
