"""`python -m bench load`, shortened: two sessions (websocket by default, or headless
Chromium) on the wall and the timeline while the real collectors ingest; its JSON line, no
lock error, and the panels' fragment re-runs recorded by the server."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import chromium_available


@pytest.fixture
def chromium():
    if not chromium_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium not found: CI must install it (apt-get install -y chromium)")
        pytest.skip("Chromium not installed: `sudo apt-get install -y chromium`")
    pytest.importorskip("playwright.sync_api")


@pytest.mark.slow
@pytest.mark.browser
def test_short_load_run_prints_its_json_line_without_lock_errors(chromium, capsys) -> None:
    from bench.__main__ import main

    code = main(["load", "--clients", "browser", "--sessions", "2", "--rate", "150",
                 "--duration", "12", "--idle", "8", "--prefill", "300", "--warmup", "3"])
    assert code == 0
    out = capsys.readouterr().out.strip().splitlines()
    result = json.loads(out[-1])
    assert {"sessions", "duration_s", "target_rate", "achieved_rate", "lock_errors",
            "idle_p95_ms", "load_p95_ms", "ratio", "rss_mb", "goal", "met",
            "loadavg"} <= set(result)
    assert result["sessions"] == 2 and result["target_rate"] == 150
    assert result["clients"] == "browser"
    assert result["lock_errors"] == 0, out
    assert result["page_errors"] == 0 and result["sessions_lost"] == 0, out
    # the collectors really ingested, and the sessions really re-ran their panels
    assert result["posts_ingested"] > 0 and result["achieved_rate"] > 0
    assert result["idle_runs"] > 0 and result["load_runs"] > 0
    assert result["idle_p95_ms"] > 0 and result["load_p95_ms"] > 0
    rss = result["rss_mb"]
    assert 0 < rss["start"] <= rss["peak"] and rss["end"] > 0
    assert set(result["goal"]) >= {"lock_errors", "min_rate", "max_ratio"}
    assert isinstance(result["met"], bool)
    assert any(line.startswith("fragment:wall.") for line in out)  # the table's rows
    assert any(line.startswith("fragment:timeline.results") for line in out)


@pytest.mark.slow
def test_websocket_sessions_make_the_server_rerun_the_panels_like_browsers() -> None:
    from bench.load import run
    from vigie.ui.timeline_view import REFRESH_SECONDS

    idle, duration = 8.0, 12.0
    result = run(sessions=2, rate=150, duration=duration, idle=idle, prefill_posts=300,
                 warmup=3)
    assert result["clients"] == "ws"  # the default
    texts = result["_detail"]["page_texts"]
    assert result["page_errors"] == 0 and result["sessions_lost"] == 0, texts
    assert result["lock_errors"] == 0, result["_detail"]["lock_lines"]
    assert result["posts_ingested"] > 0
    assert 0 <= result["clients_cpu_share"] < 0.5
    # the server itself recorded fragment-only re-runs of both pages' panels, at their pace
    for phase, seconds in (("idle", idle), ("load", duration)):
        runs = result["_detail"][phase]
        wall = sum(v["count"] for k, v in runs.items() if k.startswith("fragment:wall."))
        assert wall >= seconds, (phase, runs)  # three panels pulse every second
        timeline = runs.get("fragment:timeline.results", {}).get("count", 0)
        assert timeline >= max(1, seconds // REFRESH_SECONDS - 1), (phase, runs)


def test_websocket_watch_counts_exceptions_and_the_database_alarm() -> None:
    from streamlit.proto.Delta_pb2 import Delta

    from bench.ws_sessions import delta_errors

    exc = Delta()
    exc.new_element.exception.type = "OperationalError"
    exc.new_element.exception.message = "database is locked"
    assert delta_errors(exc) == (1, ["OperationalError: database is locked"])
    alarm = Delta()
    alarm.add_block.id = "$$ID-0123abcd-wall-alarm-db"
    assert delta_errors(alarm)[0] == 1
    line = Delta()
    line.new_element.markdown.body = r"Données indisponibles \(OperationalError\) — nouvel essai"
    assert delta_errors(line) == (0, [line.new_element.markdown.body])  # counted by its block
    card = Delta()
    card.new_element.markdown.body = "Route coupée, données indisponibles sur le site ?"
    assert delta_errors(card) == (0, [])  # a collected post saying so is not an error


def test_memory_growth_is_told_from_a_plateau() -> None:
    from bench.load import growth

    plateau = [200.0] * 5 + [450.0] * 25  # the collectors read their scenario, then hold
    assert growth(plateau) == (0.0, False)
    leak = [200.0 + 2 * i for i in range(60)]  # 2 MB a second, to the end
    delta, growing = growth(leak)
    assert growing and delta > 60


def test_the_rate_starts_when_the_ingest_does() -> None:
    from bench.load import steady_rate

    # the source is picked up 3 s late, then 500 posts/s
    counts = [(0.0, 0), (2.0, 0), (4.0, 500), (6.0, 1500), (8.0, 2500)]
    assert steady_rate(counts) == 500.0
    assert steady_rate([(0.0, 0), (2.0, 0)]) is None


def test_the_sustained_rate_follows_the_schedule_not_the_batch_in_flight() -> None:
    from bench.load import sustained_rate

    # keeping up, 2 s behind while each big batch is written: the full rate
    keeping_up = [(10.0, 2.0), (12.0, 3.0), (14.0, 2.0), (16.0, 3.0), (18.0, 2.0)]
    assert sustained_rate(keeping_up, 1000) == 1000.0
    # absorbing 80 % of the schedule: the lag grows by 0.4 s every 2 s
    behind = [(10.0 + 2 * i, 1.0 + 0.4 * i) for i in range(6)]
    assert round(sustained_rate(behind, 1000), 6) == 800.0
    assert sustained_rate([(10.0, 1.0)], 1000) is None


@pytest.mark.slow
def test_a_short_websocket_run_measures_the_ingest_lag(tmp_path) -> None:
    from bench.load import run

    result = run(sessions=1, rate=100, duration=10, idle=4, prefill_posts=200, warmup=2)
    lag = result["lag_s"]
    assert lag is not None and 0 <= lag["median"] <= lag["max"] < 30, result
    assert 50 <= result["sustained_rate"] <= 150, result  # 100 posts/s asked
    assert "max_lag_s" in result["goal"]
