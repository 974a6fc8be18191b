"""Fault drills through the runner: every fault of the fault server, one pass each.

Each drill first collects a victim source from a good server (so it has stored
items), then points it at the fault (the edit the Admin page makes) and adds a new
healthy source, and runs one more pass. The runner must come back; the healthy
sources must collect in that same pass; the victim's health must say what went wrong
in words; and nothing stored before may be lost (road events of a failed snapshot
are not ended either). Every HTTP kind is the victim of at least one fault; the
Fetcher gets small timeouts and never really sleeps, so each drill is bounded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import pytest

from collectors.base import Source
from collectors.http import Fetcher
from collectors.runner import Runner
from tests.conftest import FIXTURES
from vigie.models import utc_now
from vigie.source_health import assess, parse_iso

DEADLINE = 3.0
BOUND = DEADLINE + 5.0   # the drill's pass: the fault's deadline plus the good sources, slack


@dataclass(frozen=True)
class Drill:
    fault: str
    kind: str
    target: str            # fault server path, or "refused" / "unknown-host"
    words: str             # what the health message must say
    retry_after: float | None = None


DRILLS = [
    Drill("500", "rss", "/status/500", "Erreur du serveur (HTTP 500)"),
    Drill("503 with Retry-After", "cap", "/status/503?retry_after=120",
          "le serveur demande d'attendre 120 s", retry_after=120),
    Drill("429", "geojson", "/status/429", "Trop de requêtes"),
    Drill("connection refused", "mastodon", "refused", "Connexion refusée"),
    Drill("read timeout", "datex2", "/slow-headers?delay=5", "Le serveur ne répond pas"),
    Drill("slow drip", "cifs", "/drip?seconds=20", "Téléchargement trop long"),
    Drill("truncated body", "rss", "/truncated", "Réponse incomplète"),
    Drill("50 MB body", "wzdx", "/huge?mb=50", "Réponse trop volumineuse"),
    Drill("malformed XML", "datex2", "/malformed.xml", "Contenu illisible"),
    Drill("malformed JSON", "geojson", "/malformed.json", "Contenu illisible"),
    Drill("invalid UTF-8", "wzdx", "/invalid-utf8", "Contenu illisible"),
    Drill("wrong content type", "cifs", "/wrong-type", "Contenu illisible"),
    Drill("redirect loop", "file", "/redirect-loop", "Redirections en boucle"),
    Drill("unknown host", "bluesky", "unknown-host", "Nom de serveur inconnu"),
]

GOOD = {
    "rss": ("rss/vigie/crue_ouche_fr.xml", {}),
    "cap": ("cap/weather.cap", {}),
    "file": ("fileimport/posts_fr.jsonl", {}),
    "wzdx": ("wzdx/scenario1_simple_linestring_example.geojson", {}),
    "datex2": ("datex2/datex2_v2_situation_cotedor_handwritten.xml", {}),
    "cifs": ("cifs/cifs_v2_incidents_test_fixture.xml", {}),
    "geojson": ("geojson/routes_generic_handwritten.geojson", {}),
}


def test_every_fault_and_every_http_kind_is_drilled() -> None:
    from collectors.registry import KINDS

    assert {d.kind for d in DRILLS} == set(KINDS) - {"replay"}
    assert len({d.fault for d in DRILLS}) == 14


def victim(kind: str, server, fault_url: str | None = None) -> dict:
    """The victim's definition on the good server, or pointing at `fault_url`."""
    if kind == "mastodon":
        base = fault_url or server.url("/mastodon")
        return {"url": "", "options": {"instance": base, "hashtags": ["crue21"]}}
    if kind == "bluesky":
        return {"url": fault_url or server.url("/bluesky"), "options": {"query": "crue"}}
    relative, options = GOOD[kind]
    return {"url": fault_url or server.file_url(relative), "options": options}


def totals(store) -> dict[str, dict[str, int]]:
    out = {}
    for table in ("posts", "road_events", "alerts"):
        rows = store.query(f"SELECT source, count(*) AS n FROM {table} GROUP BY source")
        out[table] = {r["source"]: r["n"] for r in rows}
    rows = store.query("SELECT source, count(*) AS n FROM road_events "
                       "WHERE status != 'ended' GROUP BY source")
    out["open_road_events"] = {r["source"]: r["n"] for r in rows}
    return out


@pytest.mark.parametrize("drill", DRILLS, ids=lambda d: f"{d.fault}-{d.kind}")
def test_fault_drill(drill, fresh_store, fault_server, fixture_server, refused_url,
                     unknown_host_url) -> None:
    store = fresh_store
    sleeps: list[float] = []
    fetcher = Fetcher(trust_env=False, connect_timeout=1.0, read_timeout=1.0,
                      deadline=DEADLINE, attempts=2, sleep=sleeps.append,
                      max_retry_after=30.0)
    good = victim(drill.kind, fixture_server)
    sources = [
        Source("victim", drill.kind, good["url"], every=60, options=good["options"]),
        Source("steady", "rss", fixture_server.file_url("rss/vigie/crue_ouche_fr.xml"),
               every=60),
        Source("exercise", "replay", str(FIXTURES / "replay" / "mini.jsonl"), every=60,
               options={"speed": 1000}),
    ]
    runner = Runner(store, sources, fetcher=fetcher)
    assert all(o.ok for o in runner.run_once())
    before = totals(store)
    assert sum(n for table in before.values() for n in table.values()) > 0
    kept = store.get_source("victim")

    # The Admin page's edit points the victim at the fault; a new source is added.
    fault_url = {"refused": refused_url.rsplit("/", 1)[0], "unknown-host": unknown_host_url
                 }.get(drill.target) or fault_server.url(drill.target)
    broken = victim(drill.kind, fixture_server, fault_url)
    store.edit_source("victim", kept["version"], broken, "admin")
    store.add_source("newcomer", "file", fixture_server.file_url("fileimport/posts_fr.jsonl"),
                     60, True, {}, actor="admin")

    started = time.monotonic()
    outcomes = {o.source: o for o in runner.run_once()}
    elapsed = time.monotonic() - started
    assert elapsed < BOUND, f"the pass took {elapsed:.1f} s"

    # The other sources collected in the same pass.
    assert set(outcomes) == {"victim", "steady", "exercise", "newcomer"}
    assert outcomes["steady"].ok and outcomes["exercise"].ok and outcomes["newcomer"].ok
    assert outcomes["newcomer"].items == 4
    # Health says what went wrong, in words.
    assert not outcomes["victim"].ok
    row = store.get_source("victim")
    assert drill.words in row["last_error"], row["last_error"]
    assert row["consecutive_failures"] == 1 and row["last_ok_at"] == kept["last_ok_at"]
    now = utc_now()
    assert assess(row, now).state == "failing"
    assert any(drill.words in line for line in assess(row, now).lines)
    if drill.retry_after:
        assert parse_iso(row["next_run_at"]) >= now + timedelta(seconds=drill.retry_after - 5)
    # Nothing stored before was lost; the faulty snapshot ended no road event.
    after = totals(store)
    for table, per_source in before.items():
        for source, n in per_source.items():
            assert after[table].get(source, 0) >= n, (table, source)
        assert after[table].get("victim", 0) == per_source.get("victim", 0), table
    assert sum(sleeps) <= 60  # retries were bounded (and never really slept here)
