"""Exercise control: start from a scenario into the running collectors, pause, resume,
stop, purge without touching real data; real incidents; roles."""

from __future__ import annotations

from datetime import timedelta

import pytest

from collectors.base import Source
from collectors.runner import Runner
from tests.conftest import FIXTURES, ROOT
from tests.wall_helpers import add_claim, add_person, add_post
from vigie import exercises, spikes
from vigie.auth import User
from vigie.exercises import ExerciseError
from vigie.models import utc_now
from vigie.store import PostFilter

COORD = User("coord", "coordinator")
MINI = exercises.Scenario(path=FIXTURES / "replay" / "mini.jsonl", id="mini",
                          title="Mini-exercice", duration_s=600, exercise=True,
                          header=exercises.read_header(FIXTURES / "replay" / "mini.jsonl"))


class Clock:
    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def run(runner: Runner, clock: Clock, seconds: int, step: float = 1.0) -> None:
    for _ in range(int(seconds / step)):
        runner.tick()
        clock.advance(step)


def test_bundled_scenarios_are_listed() -> None:
    found = exercises.list_scenarios()
    assert [s.id for s in found] == ["crue-cote-dor"]
    assert found[0].path == ROOT / "data" / "scenarios" / "crue-cote-dor.jsonl"
    assert found[0].duration_s == 28800 and found[0].exercise


def test_an_exercise_started_from_the_page_runs_in_the_running_collectors(fresh_store) -> None:
    clock = Clock()
    runner = Runner(fresh_store, [], clock=clock)  # already running, configured with nothing
    run(runner, clock, 3)
    incident_id = exercises.start_exercise(fresh_store, COORD, MINI, 10.0)
    incident = fresh_store.get_incident(incident_id)
    assert incident["exercise"] and incident["status"] == "active" and incident["speed"] == 10
    assert incident["source"] == f"exercice-mini-{incident_id}"
    run(runner, clock, 20)
    posts = fresh_store.timeline(PostFilter())
    assert posts and all(p["id"].startswith(f"replay:{incident['source']}:") for p in posts)
    assert fresh_store.scalar("SELECT count(DISTINCT incident_id) FROM posts") == 1
    assert fresh_store.scalar("SELECT incident_id FROM posts LIMIT 1") == incident_id
    assert fresh_store.audit_entries(entity="incidents")[0]["action"] == "start_exercise"
    line = fresh_store.log_entries()[-1]
    assert line["author"] == "coord" and "Début de l'exercice" in line["text"]


def test_a_second_exercise_cannot_start_while_one_runs(fresh_store) -> None:
    exercises.start_exercise(fresh_store, COORD, MINI, 10.0)
    with pytest.raises(ExerciseError):
        exercises.start_exercise(fresh_store, COORD, MINI, 10.0)


def test_pause_holds_the_scenario_clock_and_resume_continues_it(fresh_store) -> None:
    clock = Clock()
    runner = Runner(fresh_store, [], clock=clock)
    incident_id = exercises.start_exercise(fresh_store, COORD, MINI, 1.0)
    run(runner, clock, 3)  # p1 (at 0 s) released
    source = fresh_store.get_incident(incident_id)["source"]
    exercises.pause_exercise(fresh_store, COORD, incident_id, now=clock())
    assert fresh_store.get_incident(incident_id)["status"] == "paused"
    assert fresh_store.source_state(source)["paused_at"]
    before = fresh_store.scalar("SELECT count(*) FROM posts")
    run(runner, clock, 30)  # p2 (at 5 s) would have come out by now
    assert fresh_store.scalar("SELECT count(*) FROM posts") == before
    # the collectors rewrote their state many times: the pause survived every write
    assert fresh_store.source_state(source)["paused_at"]
    exercises.resume_exercise(fresh_store, COORD, incident_id, now=clock())
    assert fresh_store.source_control(source)["paused_total"] == pytest.approx(30, abs=2)
    run(runner, clock, 4)
    assert fresh_store.scalar("SELECT count(*) FROM posts") == before + 1  # p2 at last
    actions = [a["action"] for a in fresh_store.audit_entries(entity="incidents")]
    assert actions[:2] == ["resume_exercise", "pause_exercise"]


def test_stop_disables_the_replay_and_closes_the_incident(fresh_store) -> None:
    clock = Clock()
    runner = Runner(fresh_store, [], clock=clock)
    incident_id = exercises.start_exercise(fresh_store, COORD, MINI, 10.0)
    run(runner, clock, 3)
    exercises.stop_exercise(fresh_store, COORD, incident_id)
    incident = fresh_store.get_incident(incident_id)
    assert incident["status"] == "closed" and incident["ended_at"]
    assert not fresh_store.get_source(incident["source"])["enabled"]
    before = fresh_store.scalar("SELECT count(*) FROM posts")
    run(runner, clock, 60)
    assert fresh_store.scalar("SELECT count(*) FROM posts") == before
    assert fresh_store.running_exercise() is None
    assert len(fresh_store.list_incidents()) == 1  # no new incident opened behind our back


def test_the_default_exercise_of_the_sources_file_can_be_stopped(fresh_store) -> None:
    """The bundled exercise starts from data/sources.toml, not from the page: its incident
    is linked to its source, so stopping it stops that source."""
    clock = Clock()
    src = Source(name="exercice-crue-21", kind="replay", url=str(MINI.path), every=1,
                 options={"speed": 10})
    runner = Runner(fresh_store, [src], clock=clock)
    run(runner, clock, 3)
    incident = fresh_store.running_exercise()
    assert incident["source"] == "exercice-crue-21"
    exercises.stop_exercise(fresh_store, COORD, incident["id"])
    assert not fresh_store.get_source("exercice-crue-21")["enabled"]
    run(runner, clock, 30)
    assert fresh_store.running_exercise() is None and len(fresh_store.list_incidents()) == 1


def test_real_sources_never_feed_an_exercise(fresh_store) -> None:
    real = exercises.open_incident(fresh_store, COORD, "Crue réelle", area="Dijon",
                                   keywords=["crue"], departements=["21"])
    exercises.start_exercise(fresh_store, COORD, MINI, 10.0)  # newer than the real one
    rss = Source(name="prefecture", kind="file",
                 url=str(FIXTURES / "fileimport" / "posts_fr.jsonl"))
    runner = Runner(fresh_store, [rss])
    assert runner._incident_for(rss, object()) == real


def test_purge_removes_the_exercise_and_keeps_real_data(fresh_store) -> None:
    now = utc_now()
    real = exercises.open_incident(fresh_store, COORD, "Crue réelle", area="Dijon",
                                   keywords=[], departements=["21"])
    real_post = add_post(fresh_store, now, text="vrai", place="Dijon", incident_id=real,
                         categories=["help_request"])
    add_claim(fresh_store, "Vraie rumeur", "false", real)
    add_person(fresh_store, "vraie personne", now, real, real_post)
    fresh_store.add_log("alice", "décision réelle", kind="decision", incident_id=real)

    clock = Clock()
    runner = Runner(fresh_store, [], clock=clock)
    ex = exercises.start_exercise(fresh_store, COORD, MINI, 10.0)
    run(runner, clock, 70)  # posts, the alert and the road event of the mini scenario
    ex_post = fresh_store.query("SELECT id FROM posts WHERE incident_id = ?", (ex,))[0]["id"]
    claim = add_claim(fresh_store, "Rumeur d'exercice", "to_verify", ex)
    with fresh_store.write() as conn:
        conn.execute("INSERT INTO claim_posts(claim_id, post_id, added_at) VALUES (?, ?, ?)",
                     (claim, ex_post, fresh_store.now()))
        conn.execute("INSERT INTO ratings(post_id, rater, source_rating, info_rating, at) "
                     "VALUES (?, 'alice', 'B', 2, ?)", (ex_post, fresh_store.now()))
        conn.execute("INSERT INTO messages(kind, body, claim_id, incident_id, created_at) "
                     "VALUES ('debunk', 'EXERCICE faux', ?, ?, ?)", (claim, ex, fresh_store.now()))
    add_person(fresh_store, "personne fictive", now, ex, ex_post)
    fresh_store.add_spike(at=fresh_store.now(), dimension="place", value="Dijon", count=9,
                          baseline=1, score=4, incident_id=ex, dedupe_since=fresh_store.now(),
                          log_text="hausse fictive")
    counts = fresh_store.incident_data_counts(ex)
    assert all(counts[t] >= 1 for t in ("posts", "road_events", "alerts", "claims", "people",
                                        "messages", "spikes", "log"))
    derived = ("post_categories", "ratings", "claim_posts", "lsh_keys", "post_signatures")
    for table in derived:  # the exercise left rows everywhere
        assert fresh_store.scalar(
            f"SELECT count(*) FROM {table} WHERE post_id LIKE 'replay:%'"), table
    audit_before = fresh_store.scalar("SELECT count(*) FROM audit")

    with pytest.raises(ExerciseError):  # a running exercise is stopped first
        exercises.purge_exercise(fresh_store, COORD, ex)
    exercises.stop_exercise(fresh_store, COORD, ex)
    removed = exercises.purge_exercise(fresh_store, COORD, ex)

    assert removed["posts"] == counts["posts"] and removed["log"] >= counts["log"]
    assert not any(fresh_store.incident_data_counts(ex).values())
    for table in derived:
        assert fresh_store.scalar(
            f"SELECT count(*) FROM {table} WHERE post_id LIKE 'replay:%'") == 0
    assert fresh_store.scalar("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'coincés'") == 0
    # real data survive, every one of them
    assert [p["id"] for p in fresh_store.query("SELECT id FROM posts")] == [real_post]
    assert fresh_store.scalar("SELECT count(*) FROM post_categories") == 1
    assert fresh_store.scalar("SELECT count(*) FROM claims WHERE incident_id = ?", (real,)) == 1
    assert fresh_store.scalar("SELECT post_id FROM people WHERE incident_id = ?", (real,)) \
        == real_post
    assert any(r["text"] == "décision réelle" for r in fresh_store.log_entries())
    # the audit trail only grew, and the purge itself is recorded and logged outside it
    assert fresh_store.scalar("SELECT count(*) FROM audit") > audit_before
    assert fresh_store.audit_entries(entity="incidents")[0]["action"] == "purge_exercise"
    assert any("purgées" in r["text"] and r["incident_id"] is None
               for r in fresh_store.log_entries())
    assert fresh_store.get_incident(ex)["purged_at"]


def test_a_real_incident_is_never_purged(fresh_store) -> None:
    real = exercises.open_incident(fresh_store, COORD, "Crue réelle", area=None, keywords=[],
                                   departements=[])
    add_post(fresh_store, utc_now(), incident_id=real)
    exercises.close_incident(fresh_store, COORD, real)
    with pytest.raises(ExerciseError):
        exercises.purge_exercise(fresh_store, COORD, real)
    from vigie.store import StoreError

    with pytest.raises(StoreError):
        fresh_store.purge_exercise(real, "coord")
    assert fresh_store.scalar("SELECT count(*) FROM posts") == 1


def test_purge_reaches_tables_other_areas_add(fresh_store) -> None:
    """A table added later that points at posts without ON DELETE (e.g. volunteers' tags)
    loses the exercise's rows and keeps the real ones."""
    with fresh_store.write() as conn:
        conn.execute("CREATE TABLE tags (post_id TEXT NOT NULL REFERENCES posts(id), tag TEXT)")
    real = exercises.open_incident(fresh_store, COORD, "Réel", area=None, keywords=[],
                                   departements=[])
    ex = fresh_store.create_incident("Exercice", exercise=True)
    keep = add_post(fresh_store, utc_now(), incident_id=real)
    drop = add_post(fresh_store, utc_now(), incident_id=ex)
    with fresh_store.write() as conn:
        conn.executemany("INSERT INTO tags VALUES (?, 'x')", [(keep,), (drop,)])
    fresh_store.set_incident_status(ex, "closed")
    exercises.purge_exercise(fresh_store, COORD, ex)
    assert [r["post_id"] for r in fresh_store.query("SELECT post_id FROM tags")] == [keep]


def test_open_and_close_a_real_incident(fresh_store) -> None:
    incident_id = exercises.open_incident(fresh_store, COORD, "  Inondations Saône ",
                                          area="Val de Saône", keywords=["crue", "Saône"],
                                          departements=["21", "71"])
    incident = fresh_store.get_incident(incident_id)
    assert (incident["name"], incident["exercise"], incident["departements"]) == (
        "Inondations Saône", False, ["21", "71"])
    exercises.close_incident(fresh_store, COORD, incident_id)
    assert fresh_store.get_incident(incident_id)["status"] == "closed"
    assert [a["action"] for a in fresh_store.audit_entries(entity="incidents")] == [
        "close_incident", "open_incident"]
    texts = [r["text"] for r in fresh_store.log_entries()]
    assert any("Clôture" in t for t in texts) and any("Ouverture" in t for t in texts)
    with pytest.raises(ExerciseError):
        exercises.open_incident(fresh_store, COORD, "  ", area=None, keywords=[],
                                departements=[])


@pytest.mark.parametrize("role", ["viewer", "volunteer"])
def test_only_coordinators_and_admins_control_exercises(fresh_store, role) -> None:
    user = User(role, role)
    with pytest.raises(PermissionError):
        exercises.start_exercise(fresh_store, user, MINI, 10.0)
    incident = fresh_store.create_incident("Ex", exercise=True)
    for action in (exercises.pause_exercise, exercises.stop_exercise,
                   exercises.purge_exercise, exercises.close_incident):
        with pytest.raises(PermissionError):
            action(fresh_store, user, incident)
    assert fresh_store.get_incident(incident)["status"] == "active"


def test_spike_windows_follow_the_exercise_speed(fresh_store) -> None:
    incident = exercises.start_exercise(fresh_store, COORD, MINI, 60.0)
    assert spikes.window_for(fresh_store.get_incident(incident)) == timedelta(minutes=1)
