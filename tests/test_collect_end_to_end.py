"""`python -m collectors` end to end: one source of every kind, served from 127.0.0.1.

The payloads are the real fixtures of each kind (tests/fixtures/<kind>/), served by
tests/fixtureserver.py; what each source must store comes from the expected files the
per-kind tests already check, so a parser change that breaks a kind breaks this too.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from collectors.registry import KINDS
from collectors.replay import load_scenario
from tests.collect_helpers import load_expected
from tests.conftest import FIXTURES, ROOT
from vigie.models import utc_now
from vigie.source_health import assess
from vigie.store import Store

ROAD_FILES = {
    "wzdx": "wzdx/scenario1_simple_linestring_example.geojson",
    "datex2": "datex2/datex2_v2_situation_cotedor_handwritten.xml",
    "cifs": "cifs/cifs_v2_incidents_test_fixture.xml",
    "geojson": "geojson/routes_generic_handwritten.geojson",
}
MINI = FIXTURES / "replay" / "mini.jsonl"


def road_case(relative: str) -> dict:
    """The fixture's case without options: what a plain source of that kind stores."""
    doc = json.loads((FIXTURES / f"{relative}.expected.json").read_text(encoding="utf-8"))
    return next(case for case in doc["cases"] if not case.get("options"))


def sources_file(server, tmp_path: Path) -> Path:
    """One source of every kind; the geojson one is named as its expected ids say."""
    f = server.file_url
    entries = {
        "rss-crue": ("rss", f("rss/vigie/crue_ouche_fr.xml"), ""),
        "mastodon-crue": ("mastodon", "", f'instance = "{server.url("/mastodon")}"\n'
                                          'hashtags = ["crue21"]\n'),
        "bluesky-crue": ("bluesky", server.url("/bluesky"), 'query = "inondation"\n'),
        "alertes-cap": ("cap", f("e2e/cap_index.atom"), ""),
        "export-visov": ("file", f("fileimport/posts_fr.jsonl"), ""),
        "wzdx-travaux": ("wzdx", f(ROAD_FILES["wzdx"]), ""),
        "datex-cd21": ("datex2", f(ROAD_FILES["datex2"]), ""),
        "cifs-dialog": ("cifs", f(ROAD_FILES["cifs"]), ""),
        road_case(ROAD_FILES["geojson"])["events"][0]["id"].split(":")[1]:
            ("geojson", f(ROAD_FILES["geojson"]), ""),
        "exercice": ("replay", str(MINI), "speed = 1000\n"),
    }
    text = "".join(
        f'[[source]]\nname = "{name}"\nkind = "{kind}"\n'
        + (f'url = "{url}"\n' if url else "") + extra + "\n"
        for name, (kind, url, extra) in entries.items())
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def collectors(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    return subprocess.run([sys.executable, "-m", "collectors", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def counts(store: Store, table: str) -> dict[str, int]:
    rows = store.query(f"SELECT source, count(*) AS n FROM {table} GROUP BY source")
    return {r["source"]: r["n"] for r in rows}


def test_once_collects_every_kind_from_loopback_servers(fixture_server, tmp_path) -> None:
    config, db = sources_file(fixture_server, tmp_path), tmp_path / "vigie.db"
    done = collectors("--once", "--config", str(config), "--db", str(db))
    assert done.returncode == 0, done.stdout + done.stderr
    store = Store(db)
    sources = {row["kind"]: row for row in store.list_sources()}
    assert set(sources) == set(KINDS), "the test must cover every registered kind"

    posts, roads, alerts = (counts(store, t) for t in ("posts", "road_events", "alerts"))
    expected_posts = {
        "rss": load_expected("rss")["vigie/crue_ouche_fr.xml"]["posts"],
        "mastodon": load_expected("mastodon")["vigie/boosts_fr.json"]["posts"],
        "bluesky": load_expected("bluesky")["vigie/search_page.json"]["posts"],
        "file": load_expected("fileimport")["posts_fr.jsonl"]["posts"],
    }
    for kind, n in expected_posts.items():
        assert posts.get(sources[kind]["name"]) == n, (kind, posts)
    cap = load_expected("cap")
    want_alerts = cap["weather.cap"]["alerts"] + cap["canada.cap"]["alerts"]
    assert alerts == {sources["cap"]["name"]: want_alerts}
    assert fixture_server.count("/files/cap/canada.cap") >= 1  # the index's link was followed
    stored_alert_ids = {a["id"] for a in store.alerts(limit=10)}
    assert cap["canada.cap"]["first"]["id"] in stored_alert_ids
    for kind, relative in ROAD_FILES.items():
        case = road_case(relative)
        assert roads.get(sources[kind]["name"]) == case["count"], (kind, roads)
        stored = {e["id"] for e in store.road_events()}
        assert {e["id"] for e in case["events"]} <= stored, kind
    _header, items = load_scenario(MINI)
    first = [i for i in items if i["type"] == "post" and float(i["at"]) <= 0]
    assert posts.get(sources["replay"]["name"]) == len(first)
    assert store.find_incident_by_scenario("mini")["exercise"]

    now = utc_now()
    for kind, row in sources.items():
        health = assess(row, now)
        assert health.state == "ok", (kind, health.lines)
        assert row["consecutive_failures"] == 0 and row["last_ok_at"], kind
        assert row["items_last_run"] >= 1 and row["items_total"] == row["items_last_run"], kind
        assert f"{row['name']}: ok" in done.stdout
    for kind in ("rss", "mastodon", "bluesky", "cap", "file", "replay"):
        assert sources[kind]["lag_seconds"] is not None and sources[kind]["lag_seconds"] >= 0


def test_a_second_pass_stores_nothing_twice(fixture_server, tmp_path) -> None:
    config, db = sources_file(fixture_server, tmp_path), tmp_path / "vigie.db"
    assert collectors("--once", "--config", str(config), "--db", str(db)).returncode == 0
    store = Store(db)
    before = [counts(store, t) for t in ("posts", "road_events", "alerts")]
    again = collectors("--once", "--config", str(config), "--db", str(db))
    assert again.returncode == 0, again.stdout + again.stderr
    after = [counts(store, t) for t in ("posts", "road_events", "alerts")]
    # Replay releases what its clock reached since the first pass; nothing else grows.
    for table_before, table_after in zip(before, after, strict=True):
        for source, n in table_before.items():
            if source != "exercice":
                assert table_after[source] == n, source


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_the_running_process_picks_up_admin_changes_without_restart(fixture_server,
                                                                    tmp_path) -> None:
    db = tmp_path / "vigie.db"
    config = tmp_path / "sources.toml"
    config.write_text(f'[[source]]\nname = "rss-crue"\nkind = "rss"\n'
                      f'url = "{fixture_server.file_url("rss/vigie/crue_ouche_fr.xml")}"\n'
                      f'every = 3600\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    proc = subprocess.Popen([sys.executable, "-m", "collectors", "--config", str(config),
                             "--db", str(db)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        store = Store(db)
        assert wait_for(lambda: (store.get_source("rss-crue") or {}).get("last_ok_at"))
        # Added in the Admin page (the store call the page makes): collected at once.
        store.add_source("export-visov", "file",
                         fixture_server.file_url("fileimport/posts_fr.jsonl"), 3600, True, {},
                         actor="admin")
        assert wait_for(lambda: counts(store, "posts").get("export-visov") == 4)
        # Disabled, then asked to run: a disabled source does not run.
        row = store.get_source("rss-crue")
        store.edit_source("rss-crue", row["version"], {"enabled": False}, "admin")
        store.request_run("rss-crue")
        # Edited (period and address): runs again at once, with the new definition.
        fetched = fixture_server.count("/files/cap/weather.cap")
        row = store.get_source("export-visov")
        store.edit_source("export-visov", row["version"],
                          {"kind": "cap", "url": fixture_server.file_url("cap/weather.cap")},
                          "admin")
        assert wait_for(lambda: counts(store, "alerts").get("export-visov") == 1)
        assert fixture_server.count("/files/cap/weather.cap") == fetched + 1
        assert store.get_source("rss-crue")["run_requested"] == 1  # never taken: disabled
        assert proc.poll() is None
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)

