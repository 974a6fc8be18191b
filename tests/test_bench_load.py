"""`python -m bench load`, shortened: two browser sessions on the wall and the timeline
while the real collectors ingest; its JSON line, and no lock error."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import chromium_available

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def chromium():
    if not chromium_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium not found: CI must install it (apt-get install -y chromium)")
        pytest.skip("Chromium not installed: `sudo apt-get install -y chromium`")
    pytest.importorskip("playwright.sync_api")


def test_short_load_run_prints_its_json_line_without_lock_errors(chromium, capsys) -> None:
    from bench.__main__ import main

    code = main(["load", "--sessions", "2", "--rate", "150", "--duration", "12", "--idle", "8",
                 "--prefill", "300", "--warmup", "3"])
    assert code == 0
    out = capsys.readouterr().out.strip().splitlines()
    result = json.loads(out[-1])
    assert {"sessions", "duration_s", "target_rate", "achieved_rate", "lock_errors",
            "idle_p95_ms", "load_p95_ms", "ratio", "rss_mb", "goal", "met",
            "loadavg"} <= set(result)
    assert result["sessions"] == 2 and result["target_rate"] == 150
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
