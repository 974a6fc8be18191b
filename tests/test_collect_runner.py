"""The runner isolates failures per source and records health."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from collectors.base import Source
from collectors.runner import Runner
from tests.conftest import FIXTURES
from vigie.models import utc_now
from vigie.store import PostFilter

MINI = str(FIXTURES / "replay" / "mini.jsonl")


def test_a_failing_source_does_not_stop_the_others(fresh_store, tmp_path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    sources = [
        Source(name="missing", kind="replay", url=str(tmp_path / "nope.jsonl"), every=1),
        Source(name="broken", kind="replay", url=str(broken), every=1),
        Source(name="good", kind="replay", url=MINI, every=1, options={"speed": 1000}),
    ]
    now = {"t": utc_now()}
    runner = Runner(fresh_store, sources, clock=lambda: now["t"])
    runner.run_once()
    now["t"] += timedelta(seconds=5)
    outcomes = {o.source: o for o in runner.run_once()}
    assert outcomes["good"].ok and not outcomes["missing"].ok and not outcomes["broken"].ok
    assert fresh_store.count_posts(PostFilter()) == 4
    missing = fresh_store.get_source("missing")
    assert missing["consecutive_failures"] == 2 and "introuvable" in missing["last_error"]
    assert "JSON invalide" in fresh_store.get_source("broken")["last_error"]


def test_a_bug_in_a_kind_becomes_health_not_a_crash(fresh_store, monkeypatch) -> None:
    from collectors import replay

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(replay, "collect", explode)
    runner = Runner(fresh_store, [Source(name="x", kind="replay", url=MINI)])
    [outcome] = runner.run_once()
    assert not outcome.ok and "boom" in fresh_store.get_source("x")["last_error"]


def test_failing_sources_back_off_and_recover(fresh_store, tmp_path) -> None:
    now = {"t": utc_now()}
    path = tmp_path / "later.jsonl"
    src = Source(name="later", kind="replay", url=str(path), every=10)
    runner = Runner(fresh_store, [src], clock=lambda: now["t"])
    runner.tick()
    assert fresh_store.get_source("later")["consecutive_failures"] == 1
    now["t"] += timedelta(seconds=5)
    assert runner.tick() == []  # not due yet: backing off
    path.write_text(Path(MINI).read_text(encoding="utf-8"), encoding="utf-8")
    now["t"] += timedelta(seconds=3600)
    [outcome] = runner.tick()
    assert outcome.ok and fresh_store.get_source("later")["consecutive_failures"] == 0


def test_run_now_request_is_honoured(fresh_store) -> None:
    now = {"t": utc_now()}
    runner = Runner(fresh_store, [Source(name="m", kind="replay", url=MINI, every=3600)],
                    clock=lambda: now["t"])
    assert len(runner.tick()) == 1
    assert runner.tick() == []
    fresh_store.request_run("m")
    assert len(runner.tick()) == 1


def test_a_one_off_pass_with_another_file_disables_nothing(fresh_store, tmp_path) -> None:
    Runner(fresh_store, [Source(name="prod", kind="replay", url=MINI, every=1)])
    Runner(fresh_store, [Source(name="other", kind="replay", url=MINI, every=1)],
           retire_missing=False).run_once()
    assert fresh_store.get_source("prod")["enabled"]
    Runner(fresh_store, [Source(name="other", kind="replay", url=MINI, every=1)])
    assert not fresh_store.get_source("prod")["enabled"]  # the long-running process retires


def test_a_source_is_due_one_period_after_its_run_started_not_after_it_ended(
        fresh_store, monkeypatch) -> None:
    """Under a heavy stream a run takes most of its period: the next run must not wait a
    whole period more, or the source falls behind (bench load: 917 of 1,000 posts/s)."""
    now = {"t": utc_now()}
    runner = Runner(fresh_store, [Source(name="m", kind="replay", url=MINI, every=10,
                                         options={"speed": 1000})], clock=lambda: now["t"])
    real_collect = runner._collect

    def slow_collect(*args, **kwargs):  # the run takes 8 s of its 10 s period
        real_collect(*args, **kwargs)
        now["t"] += timedelta(seconds=8)

    monkeypatch.setattr(runner, "_collect", slow_collect)
    assert len(runner.tick()) == 1
    assert runner.pause(0.5) == 0.5  # 2 s to go: wait the usual pause
    now["t"] += timedelta(seconds=2)
    assert runner.pause(0.5) == 0.0 and len(runner.tick()) == 1  # due at start + 10 s
    now["t"] += timedelta(seconds=5)  # a run longer than its period: due again at once
    assert runner.pause(0.5) == 0.0


def test_with_no_source_scheduled_the_runner_waits_its_usual_pause(fresh_store) -> None:
    runner = Runner(fresh_store, [], clock=utc_now)
    assert runner.pause(0.5) == 0.5
