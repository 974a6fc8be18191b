"""The sources file seeds the `sources` table; the Admin page's changes live in the table
and reach a running runner at its next tick."""

from __future__ import annotations

from datetime import timedelta

import pytest

from collectors.base import Source
from collectors.runner import Runner
from tests.conftest import FIXTURES
from vigie.models import utc_now
from vigie.store import StaleEdit
from vigie.store.source_admin import FILE_ACTOR, origin_of

MINI = str(FIXTURES / "replay" / "mini.jsonl")


def replay(name: str = "exercice", **options) -> Source:
    return Source(name=name, kind="replay", url=MINI, every=30,
                  options={"speed": 1000, **options})


def test_a_new_file_source_is_seeded_and_audited(fresh_store) -> None:
    Runner(fresh_store, [replay()])
    row = fresh_store.get_source("exercice")
    assert (row["origin"], origin_of(row), row["kind"], row["every"]) == (
        "file", "file", "replay", 30)
    [entry] = fresh_store.audit_entries(entity="sources", entity_id="exercice")
    assert (entry["actor"], entry["action"]) == (FILE_ACTOR, "create")


def test_an_admin_edit_survives_a_restart_with_the_same_file(fresh_store) -> None:
    Runner(fresh_store, [replay()])
    row = fresh_store.get_source("exercice")
    fresh_store.edit_source("exercice", row["version"], {"every": 5, "enabled": False}, "alice")
    Runner(fresh_store, [replay()])  # the collectors restart, the file is unchanged
    row = fresh_store.get_source("exercice")
    assert (row["every"], row["enabled"], origin_of(row)) == (5, 0, "file_edited")


def test_a_changed_file_entry_wins_and_resets_the_cursor(fresh_store) -> None:
    runner = Runner(fresh_store, [replay()])
    runner.run_once()
    assert fresh_store.source_state("exercice")  # the replay's cursor
    row = fresh_store.get_source("exercice")
    fresh_store.edit_source("exercice", row["version"], {"every": 5}, "alice")
    Runner(fresh_store, [replay(speed=50)])
    row = fresh_store.get_source("exercice")
    assert (row["every"], row["options"]["speed"], origin_of(row)) == (30, 50, "file")
    assert fresh_store.source_state("exercice") == {}
    actions = [(e["actor"], e["action"]) for e in
               fresh_store.audit_entries(entity="sources", entity_id="exercice")]
    assert actions[0] == (FILE_ACTOR, "update") and ("alice", "update") in actions


def test_a_source_removed_from_the_file_is_disabled_not_deleted(fresh_store) -> None:
    runner = Runner(fresh_store, [replay("gone"), replay("kept")])
    runner.run_once()
    fresh_store.add_source("mine", "replay", MINI, 30, True, {"speed": 1000}, actor="alice")
    Runner(fresh_store, [replay("kept")])
    gone = fresh_store.get_source("gone")
    assert gone is not None and not gone["enabled"] and gone["items_total"] > 0
    assert origin_of(gone) == "file_removed"
    assert fresh_store.get_source("kept")["enabled"]
    assert fresh_store.get_source("mine")["enabled"]  # Admin sources are not the file's
    assert [e["action"] for e in fresh_store.audit_entries(entity="sources",
                                                            entity_id="gone")][0] == "retire"
    # Back in the file: applied again.
    Runner(fresh_store, [replay("gone"), replay("kept")])
    assert fresh_store.get_source("gone")["enabled"]


def test_a_file_entry_named_like_an_admin_source_takes_it_over(fresh_store) -> None:
    fresh_store.add_source("x", "replay", MINI, 10, False, {}, actor="alice")
    Runner(fresh_store, [replay("x")])
    row = fresh_store.get_source("x")
    assert (row["origin"], row["every"], row["enabled"]) == ("file", 30, 1)


def test_a_stale_admin_edit_is_refused(fresh_store) -> None:
    Runner(fresh_store, [replay()])
    version = fresh_store.get_source("exercice")["version"]
    fresh_store.edit_source("exercice", version, {"every": 5}, "alice")
    with pytest.raises(StaleEdit) as caught:
        fresh_store.edit_source("exercice", version, {"every": 7}, "bob")
    assert caught.value.by == "alice"
    assert fresh_store.get_source("exercice")["every"] == 5


def test_a_running_runner_picks_up_additions_edits_and_disabling(fresh_store) -> None:
    now = {"t": utc_now()}
    runner = Runner(fresh_store, [replay("a")], clock=lambda: now["t"])
    assert [o.source for o in runner.tick()] == ["a"]
    assert runner.tick() == []  # not due for 30 s
    fresh_store.add_source("b", "replay", MINI, 30, True, {"speed": 1000}, actor="alice")
    assert [o.source for o in runner.tick()] == ["b"]  # added: runs at the next tick
    row = fresh_store.get_source("a")
    fresh_store.edit_source("a", row["version"], {"every": 600}, "alice")
    assert [o.source for o in runner.tick()] == ["a"]  # edited: runs again at once
    assert runner.sources["a"].every == 600
    row = fresh_store.get_source("b")
    fresh_store.edit_source("b", row["version"], {"enabled": False}, "alice")
    fresh_store.request_run("b")
    now["t"] += timedelta(seconds=3600)
    assert [o.source for o in runner.tick()] == ["a"]  # b is disabled: never runs
    row = fresh_store.get_source("b")
    fresh_store.edit_source("b", row["version"], {"enabled": True}, "alice")
    assert [o.source for o in runner.tick()] == ["b"]
