"""A source's health in words: the state and the sentences the Admin page shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vigie.models import iso
from vigie.source_health import assess, duration, late_after, late_for

NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)


def row(**fields) -> dict:
    base = {"name": "crue", "kind": "rss", "enabled": 1, "every": 60,
            "created_at": iso(NOW - timedelta(hours=1)), "last_run_at": None,
            "last_ok_at": None, "last_error": None, "last_error_code": None,
            "last_error_at": None, "consecutive_failures": 0, "items_total": 0,
            "items_last_run": 0, "rejected_last_run": 0, "next_run_at": None,
            "run_requested": 0, "newest_item_at": None}
    return {**base, **fields}


def ago(**delta) -> str:
    return iso(NOW - timedelta(**delta))


def test_a_fresh_success_is_ok_and_says_when_and_how_much() -> None:
    health = assess(row(last_run_at=ago(seconds=30), last_ok_at=ago(seconds=30),
                        items_last_run=12, rejected_last_run=1, items_total=450,
                        next_run_at=iso(NOW + timedelta(seconds=30)),
                        newest_item_at=ago(minutes=4)), NOW)
    assert (health.state, health.label) == ("ok", "OK")
    text = "\n".join(health.lines)
    assert "Dernier relevé réussi : il y a 30 s (17:59:30)" in text  # Paris time (UTC+1)
    assert "12 élément(s) nouveau(x), 1 ignoré(s) ; 450 au total" in text
    assert "publié il y a 4 min" in text and "Prochain relevé : dans 30 s" in text


def test_a_failure_is_failing_with_the_error_and_the_count() -> None:
    health = assess(row(last_run_at=ago(seconds=10), last_ok_at=ago(minutes=2),
                        last_error="Connexion refusée : le serveur est arrêté",
                        last_error_code="refused", last_error_at=ago(seconds=10),
                        consecutive_failures=3), NOW)
    assert health.state == "failing" and health.label == "En échec"
    text = "\n".join(health.lines)
    assert "Dernière erreur il y a 10 s" in text and "Connexion refusée" in text
    assert "3 échecs consécutifs" in text


def test_no_success_for_three_periods_is_late() -> None:
    assert assess(row(last_run_at=ago(minutes=2), last_ok_at=ago(minutes=2)), NOW).state == "ok"
    health = assess(row(last_run_at=ago(minutes=4), last_ok_at=ago(minutes=4)), NOW)
    assert health.state == "late" and health.label == "En retard"
    assert any("aucun relevé réussi depuis 4 min (période : 1 min)" in line
               for line in health.lines)


def test_a_source_that_never_ran_waits_then_is_late() -> None:
    assert assess(row(created_at=ago(seconds=20)), NOW).state == "waiting"
    assert assess(row(created_at=ago(minutes=10)), NOW).state == "late"


def test_a_warning_keeps_the_source_ok_and_is_shown() -> None:
    health = assess(row(last_run_at=ago(seconds=5), last_ok_at=ago(seconds=5),
                        last_error="1 élément(s) ignoré(s) : ligne 4", last_error_code="warning",
                        last_error_at=ago(seconds=5)), NOW)
    assert health.state == "ok"
    assert any(line.startswith("Avertissement") for line in health.lines)


def test_an_old_error_after_a_success_is_not_repeated() -> None:
    health = assess(row(last_run_at=ago(seconds=5), last_ok_at=ago(seconds=5),
                        last_error="Erreur du serveur (HTTP 500)", last_error_code="server_error",
                        last_error_at=ago(hours=3)), NOW)
    assert health.state == "ok" and not any("HTTP 500" in line for line in health.lines)


def test_disabled_is_never_late_and_shows_no_next_run() -> None:
    health = assess(row(enabled=0, last_ok_at=ago(days=3), last_run_at=ago(days=3)), NOW)
    assert health.state == "disabled" and late_for(row(enabled=0), NOW) is None
    assert not any("Prochain" in line for line in health.lines)


def test_a_requested_run_is_said() -> None:
    health = assess(row(run_requested=1, last_run_at=ago(seconds=5), last_ok_at=ago(seconds=5)),
                    NOW)
    assert any("Relevé demandé" in line for line in health.lines)


def test_fast_sources_have_a_floor_before_they_are_late() -> None:
    assert late_after(row(every=2)) == 30
    assert late_after(row(every=600)) == 1800


@pytest.mark.parametrize(("seconds", "fr", "en"), [
    (0, "0 s", "0 s"), (59, "59 s", "59 s"), (60, "1 min", "1 min"),
    (3599, "59 min", "59 min"), (3900, "1 h 05", "1 h 05"), (90000, "1 j", "1 d"),
])
def test_durations_read_naturally(seconds, fr, en) -> None:
    assert duration(seconds, "fr") == fr and duration(seconds, "en") == en


def test_english_labels() -> None:
    health = assess(row(last_run_at=ago(minutes=4), last_ok_at=ago(minutes=4)), NOW, "en")
    assert health.label == "Late" and health.lines[0].startswith("Last successful run")


def test_the_health_endpoint_reports_late_sources(fresh_store) -> None:
    from vigie.web import health_report

    fresh_store.add_source("vieux", "rss", "https://x.example/f", 60, True, {}, actor="a")
    fresh_store.record_success("vieux", items=1, rejected=0, state={}, lag_seconds=5,
                               at=iso(datetime.now(UTC) - timedelta(minutes=10)))
    report = health_report(fresh_store)
    assert report["status"] == "degraded" and report["late_sources"] == ["vieux"]
    assert report["sources"][0]["state"] == "late" and report["sources"][0]["lag_seconds"] == 5
