"""Wall data shared by every session: reloaded when the data moved, at a bounded rate."""

from __future__ import annotations

import threading
import time

import pytest

from vigie.snapshots import Snapshots


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def counting_loader(values: list[int]):
    def load() -> int:
        values.append(len(values) + 1)
        return values[-1]
    return load


def test_same_stamp_reuses_the_snapshot_until_max_age() -> None:
    clock, calls = Clock(), []
    snaps = Snapshots(min_age=1, clock=clock)
    assert snaps.get("k", (1,), counting_loader(calls), max_age=5) == 1
    clock.now += 4.9
    assert snaps.get("k", (1,), counting_loader(calls), max_age=5) == 1
    clock.now += 0.2
    assert snaps.get("k", (1,), counting_loader(calls), max_age=5) == 2


def test_a_moved_stamp_reloads_but_at_most_once_per_min_age() -> None:
    clock, calls = Clock(), []
    snaps = Snapshots(min_age=1, clock=clock)
    snaps.get("k", (1,), counting_loader(calls), max_age=5)
    clock.now += 0.5
    assert snaps.get("k", (2,), counting_loader(calls), max_age=5) == 1
    clock.now += 0.5
    assert snaps.get("k", (2,), counting_loader(calls), max_age=5) == 2
    assert snaps.get("k", (3,), counting_loader(calls), max_age=5) == 2


def test_keys_are_independent() -> None:
    snaps, calls = Snapshots(min_age=1, clock=Clock()), []
    assert snaps.get("a", 1, counting_loader(calls), max_age=5) == 1
    assert snaps.get("b", 1, counting_loader(calls), max_age=5) == 2


def test_a_failing_reload_keeps_the_previous_snapshot() -> None:
    clock = Clock()
    snaps = Snapshots(min_age=1, clock=clock)
    snaps.get("k", 1, lambda: "good", max_age=5)
    clock.now += 10

    def broken() -> str:
        raise RuntimeError("database is locked")

    with pytest.raises(RuntimeError):
        snaps.get("k", 1, broken, max_age=5)
    clock.now += 0.1
    assert snaps.get("k", 1, lambda: "again", max_age=5) == "again"


def test_concurrent_sessions_trigger_one_reload_and_never_wait_for_it() -> None:
    snaps = Snapshots(min_age=0.01)
    snaps.get("k", 1, lambda: "old", max_age=60)
    time.sleep(0.02)
    started, release, loads = threading.Event(), threading.Event(), []

    def slow() -> str:
        loads.append(1)
        started.set()
        release.wait(5)
        return "new"

    loader = threading.Thread(target=lambda: snaps.get("k", 2, slow, max_age=60))
    loader.start()
    assert started.wait(5)
    seen = [snaps.get("k", 2, slow, max_age=60) for _ in range(20)]
    release.set()
    loader.join(5)
    assert seen == ["old"] * 20 and loads == [1]
    assert snaps.get("k", 2, slow, max_age=60) == "new"
