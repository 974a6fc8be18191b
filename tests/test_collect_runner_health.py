"""Runner completeness: lag, late sources in the main courante, linked CAP documents
not fetched again while fresh."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from collectors import rss
from collectors.base import Fetched, Source
from collectors.http import Fetcher
from collectors.runner import DOCUMENT_TTL, Runner
from tests.conftest import FIXTURES
from vigie.models import iso, utc_now
from vigie.source_health import assess, parse_iso

MINI = FIXTURES / "replay" / "mini.jsonl"


def fetcher() -> Fetcher:
    return Fetcher(trust_env=False, connect_timeout=1, read_timeout=2, deadline=5, attempts=1)


def test_lag_is_the_age_of_the_newest_item(fresh_store, fixture_server) -> None:
    now = {"t": utc_now()}
    src = Source("crue", "rss", fixture_server.file_url("rss/vigie/crue_ouche_fr.xml"),
                 every=60)
    runner = Runner(fresh_store, [src], fetcher=fetcher(), clock=lambda: now["t"])
    runner.run_once()
    feed = FIXTURES / "rss" / "vigie" / "crue_ouche_fr.xml"
    parsed = rss.parse(Fetched(body=feed.read_bytes(), url=src.url), src)
    newest = max(parse_iso(p.created_at) for p in parsed.posts if p.created_at)
    row = fresh_store.get_source("crue")
    assert row["newest_item_at"] == iso(newest)
    assert abs(row["lag_seconds"] - (now["t"] - newest).total_seconds()) < 1
    # Nothing new an hour later: the lag grows, the newest item stays.
    now["t"] += timedelta(hours=1)
    runner.run_once()
    row = fresh_store.get_source("crue")
    assert row["items_last_run"] == 0 and row["newest_item_at"] == iso(newest)
    assert abs(row["lag_seconds"] - (now["t"] - newest).total_seconds()) < 1


def test_a_late_source_gets_one_log_line_then_one_when_back(fresh_store, tmp_path) -> None:
    now = {"t": utc_now()}
    path = tmp_path / "later.jsonl"
    runner = Runner(fresh_store, [Source("later", "replay", str(path), every=20)],
                    clock=lambda: now["t"])
    runner.tick()
    assert fresh_store.log_entries(kinds=["system"]) == []  # failing, not yet late
    for _ in range(3):  # 3 periods and more without success
        now["t"] += timedelta(seconds=40)
        runner.tick()
    lines = [e["text"] for e in fresh_store.log_entries(kinds=["system"])]
    assert len(lines) == 1 and "« later » en retard" in lines[0]
    assert "introuvable" in lines[0]  # with the last error
    row = fresh_store.get_source("later")
    assert row["late_since"] and assess(row, now["t"]).state == "failing"
    path.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    now["t"] += timedelta(hours=2)
    runner.tick()
    lines = [e["text"] for e in fresh_store.log_entries(kinds=["system"])]
    assert len(lines) == 2 and "« later » de nouveau à jour" in lines[0]
    row = fresh_store.get_source("later")
    assert row["late_since"] is None and assess(row, now["t"]).state == "ok"


def test_a_disabled_source_is_never_late(fresh_store) -> None:
    now = {"t": utc_now()}
    runner = Runner(fresh_store, [Source("off", "replay", str(MINI), every=10, enabled=False)],
                    clock=lambda: now["t"])
    now["t"] += timedelta(hours=1)
    runner.tick()
    assert fresh_store.log_entries(kinds=["system"]) == []
    assert assess(fresh_store.get_source("off"), now["t"]).state == "disabled"


def test_linked_cap_documents_are_not_fetched_again_while_fresh(fresh_store,
                                                               fixture_server) -> None:
    now = {"t": utc_now()}
    src = Source("cap", "cap", fixture_server.file_url("e2e/cap_index.atom"), every=60)
    runner = Runner(fresh_store, [src], fetcher=fetcher(), clock=lambda: now["t"])
    doc = "/files/cap/canada.cap"
    first = fixture_server.count(doc)
    [outcome] = runner.run_once()
    assert outcome.ok and outcome.items == 2 and fixture_server.count(doc) == first + 1
    now["t"] += timedelta(seconds=DOCUMENT_TTL["cap"] / 2)
    [outcome] = runner.run_once()
    assert outcome.ok and outcome.documents_skipped == 2
    assert fixture_server.count(doc) == first + 1  # the index was read, not the documents
    now["t"] += timedelta(seconds=DOCUMENT_TTL["cap"])
    runner.run_once()
    assert fixture_server.count(doc) == first + 2
    assert fresh_store.get_source("cap")["consecutive_failures"] == 0


def test_document_ttl_zero_always_fetches(fresh_store, fixture_server) -> None:
    src = Source("cap0", "cap", fixture_server.file_url("e2e/cap_index.atom"), every=60,
                 options={"document_ttl": 0})
    runner = Runner(fresh_store, [src], fetcher=fetcher())
    doc = "/files/cap/weather.cap"
    first = fixture_server.count(doc)
    runner.run_once()
    runner.run_once()
    assert fixture_server.count(doc) == first + 2


def test_a_failed_linked_document_is_fetched_again(fresh_store, fixture_server,
                                                  tmp_path: Path) -> None:
    index = (FIXTURES / "e2e" / "cap_index.atom").read_text(encoding="utf-8")
    broken = tmp_path / "index.atom"
    # Same index read from disk, one of its links to a document the server does not have.
    broken.write_text(index.replace("../cap/weather.cap", fixture_server.file_url(
        "cap/missing.cap")).replace("../cap/canada.cap", fixture_server.file_url(
            "cap/canada.cap")), encoding="utf-8")
    src = Source("capx", "cap", str(broken), every=60)
    runner = Runner(fresh_store, [src], fetcher=fetcher())
    [outcome] = runner.run_once()
    assert outcome.ok and outcome.items == 1 and outcome.rejected == 1
    assert "Document lié ignoré" in fresh_store.get_source("capx")["last_error"]
    [outcome] = runner.run_once()
    assert outcome.documents_skipped == 1  # the good one; the missing one is tried again
    assert fixture_server.count("/files/cap/missing.cap") == 2
