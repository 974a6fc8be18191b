"""`python -m collectors import`: imported posts are real data unless declared an inject."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from collectors.importer import ImportRefused, import_file
from tests.conftest import ROOT
from vigie.store import Store


def write_jsonl(path, n: int = 3) -> None:
    path.write_text("".join(json.dumps({"id": f"i{k}", "text": f"Cave inondée rue {k} Dijon"},
                                       ensure_ascii=False) + "\n" for k in range(n)),
                    encoding="utf-8")


def incidents_of_posts(store: Store) -> set:
    return {r["incident_id"] for r in store.query("SELECT incident_id FROM posts")}


def test_an_import_during_an_exercise_joins_the_real_incident(fresh_store, tmp_path) -> None:
    real = fresh_store.create_incident("Crue réelle", exercise=False)
    fresh_store.create_incident("Exercice crue", exercise=True)  # newer, so "active"
    write_jsonl(tmp_path / "x.jsonl")
    assert import_file(fresh_store, tmp_path / "x.jsonl").imported == 3
    assert incidents_of_posts(fresh_store) == {real}


def test_an_import_with_no_real_incident_joins_none(fresh_store, tmp_path) -> None:
    fresh_store.create_incident("Exercice crue", exercise=True)
    write_jsonl(tmp_path / "x.jsonl")
    import_file(fresh_store, tmp_path / "x.jsonl")
    assert incidents_of_posts(fresh_store) == {None}


def test_an_inject_joins_the_running_exercise(fresh_store, tmp_path) -> None:
    fresh_store.create_incident("Crue réelle", exercise=False)
    drill = fresh_store.create_incident("Exercice crue", exercise=True)
    write_jsonl(tmp_path / "x.jsonl")
    import_file(fresh_store, tmp_path / "x.jsonl", exercise=True)
    assert incidents_of_posts(fresh_store) == {drill}


def test_an_inject_without_an_exercise_is_refused_and_stores_nothing(fresh_store,
                                                                     tmp_path) -> None:
    write_jsonl(tmp_path / "x.jsonl")
    with pytest.raises(ImportRefused):
        import_file(fresh_store, tmp_path / "x.jsonl", exercise=True)
    assert fresh_store.scalar("SELECT count(*) FROM posts") == 0


def test_the_cli_says_why_an_inject_is_refused(tmp_path) -> None:
    write_jsonl(tmp_path / "x.jsonl")
    done = subprocess.run([sys.executable, "-m", "collectors", "import", str(tmp_path / "x.jsonl"),
                           "--exercise", "--db", str(tmp_path / "v.db")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "no exercise is running" in done.stderr
    assert "Traceback" not in done.stderr
