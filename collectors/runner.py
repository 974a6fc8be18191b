"""The shared runner: schedules every source by its `every`, isolates failures per
source, backs off on repeated faults, and writes health to the `sources` table.

Kinds stay pure (see collectors/base.py); the runner owns the network (through
collectors.http), the cursors, the follow-up fetches and the health record. What a
run fetched and parsed is stored before anything later in that run can fail, so a
fault never loses collected items.

The `sources` table, not the sources file, is what runs: the file seeds the table
when the runner starts (see vigie/store/source_admin.py), and every tick re-reads the
table, so a source added, edited, enabled or disabled in the Admin page takes effect
within a tick, without a restart.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from collectors.base import Batch, ParseError, Request, Source
from collectors.config import source_from_row
from collectors.http import Fetcher, FetchError, describe
from collectors.registry import KINDS
from vigie import spikes
from vigie.models import iso, utc_now
from vigie.pipeline import Enricher, IngestResult, StoreEnricher, ingest, refresh_roads
from vigie.secrets import SecretsFile
from vigie.source_health import back_log_line, late_for, late_log_line, parse_iso
from vigie.store import Store

log = logging.getLogger("vigie.collectors")

MAX_FOLLOW = 20          # follow-up documents (pages, linked CAP files) per run
MAX_BACKOFF = 3600.0     # never wait more than an hour between tries of a failing source
# Linked documents (not pages) are skipped when fetched this recently: a CAP index lists
# the same alerts run after run. A source may set `document_ttl` (seconds, 0: never skip).
DOCUMENT_TTL = {"cap": 600.0}
FUTURE_SLACK = 300.0     # an item dated further ahead than this does not count for lag
SPIKES_EVERY = 60.0      # spike detection runs at most once a minute, after new posts
CHECKPOINT_EVERY = 10.0  # seconds between WAL restarts (store.checkpoint), after writes


class SourceConfigError(ValueError):
    """The source's options cannot produce a request (missing query, instance...)."""


@dataclass
class RunOutcome:
    source: str
    ok: bool
    items: int = 0
    rejected: int = 0
    error: str | None = None
    code: str | None = None
    retry_after: float | None = None
    state: dict[str, Any] = field(default_factory=dict)
    result: IngestResult = field(default_factory=IngestResult)
    newest: datetime | None = None      # newest post or alert time seen in this run
    documents_skipped: int = 0          # linked documents fetched recently, not refetched


class Runner:
    def __init__(self, store: Store, sources: list[Source] | None = None, *,
                 fetcher: Fetcher | None = None, enricher: Enricher | None = None,
                 secrets: dict[str, Any] | SecretsFile | None = None,
                 clock: Callable[[], datetime] = utc_now, retire_missing: bool = True) -> None:
        """`sources` is the sources file's content: it seeds the `sources` table. With
        `retire_missing` (the long-running process), file sources no longer in the file
        are disabled; a one-off pass (`--once`) never disables anything."""
        self.store = store
        self.fetcher = fetcher or Fetcher()
        self.enricher = enricher or StoreEnricher(store)
        self._secrets = secrets if secrets is not None else {}
        self.clock = clock
        self.sources: dict[str, Source] = {}
        self._next_run: dict[str, datetime] = {}
        self._last_maintenance: datetime | None = None
        self._documents: dict[str, datetime] = {}  # linked document key -> fetched at
        self._spikes_pending = False
        self._last_spikes: datetime | None = None
        # The only steady writer keeps the write-ahead log bounded (Store.checkpoint).
        store.checkpoint_every = CHECKPOINT_EVERY
        if sources is not None:
            seeded = store.seed_sources([asdict(s) for s in sources], retire=retire_missing)
            for what, names in seeded.items():
                if names:
                    log.info("sources file: %s %s", what, ", ".join(names))
        self.reload()

    # -- definitions -------------------------------------------------------------------

    def reload(self) -> list[dict[str, Any]]:
        """Re-read every source from the store. A new or edited source runs at once."""
        rows = self.store.list_sources()
        fresh = {}
        for row in rows:
            src = source_from_row(row)
            if self.sources.get(src.name) != src:
                self._next_run.pop(src.name, None)
            fresh[src.name] = src
        self.sources = fresh
        return rows

    # -- scheduling --------------------------------------------------------------------

    def due_sources(self, now: datetime,
                    rows: list[dict[str, Any]] | None = None) -> list[Source]:
        rows = self.reload() if rows is None else rows
        return [self.sources[row["name"]] for row in rows
                if row["enabled"] and (row["run_requested"]
                                       or now >= self._next_run.get(row["name"], now))]

    def run_once(self) -> list[RunOutcome]:
        """One pass over every enabled source (what `--once` does)."""
        outcomes = [self.run_source(self.sources[row["name"]])
                    for row in self.reload() if row["enabled"]]
        self.check_late()
        return outcomes

    def tick(self) -> list[RunOutcome]:
        """Run the sources that are due now and schedule their next run; say which sources
        fell late; once a minute, move road events along their times."""
        outcomes = [self.run_source(src) for src in self.due_sources(self.clock())]
        self.check_late()
        self._maintenance()
        self._detect_spikes()
        return outcomes

    def _detect_spikes(self) -> None:
        """Look for spikes after new posts, at most once a minute; never fails a run."""
        if not self._spikes_pending:
            return
        now = self.clock()
        if self._last_spikes and (now - self._last_spikes).total_seconds() < SPIKES_EVERY:
            return
        self._last_spikes = now
        self._spikes_pending = False
        try:
            found = spikes.detect(self.store, now)
            if found:
                log.info("%d spike(s) found", len(found))
        except Exception:
            log.exception("spike detection failed")

    def _maintenance(self) -> None:
        now = self.clock()
        if self._last_maintenance and (now - self._last_maintenance).total_seconds() < 60:
            return
        self._last_maintenance = now
        try:
            refresh_roads(self.store, now)
        except Exception:  # maintenance must never stop collection
            log.exception("road status refresh failed")

    def run_forever(self, stop: Callable[[], bool] = lambda: False, idle: float = 0.5) -> None:
        while not stop():
            try:
                self.tick()
            except Exception:  # the database itself failing: log, keep the process alive
                log.exception("tick failed")
            time.sleep(self.pause(idle))

    def pause(self, idle: float) -> float:
        """How long to wait before the next tick: `idle` at most (Admin changes and "run
        now" are read at each tick), nothing when a source is due already (a run that took
        longer than its period: under a heavy stream, waiting would only let it fall
        behind)."""
        if not self._next_run:
            return idle
        soonest = min(self._next_run.values())
        return max(0.0, min(idle, (soonest - self.clock()).total_seconds()))

    def check_late(self) -> None:
        """A main-courante line when a source falls late (no success for 3 periods) and
        when it is on time again; `late_since` keeps it to one line per episode."""
        now = self.clock()
        try:
            for row in self.store.list_sources():
                late = late_for(row, now)
                if late is not None and not row.get("late_since"):
                    with self.store.write():
                        self.store.set_source_late(row["name"], iso(now))
                        self.store.add_log("vigie", late_log_line(row, late), kind="system",
                                           entity="source", entity_id=row["name"])
                elif late is None and row.get("late_since"):
                    with self.store.write():
                        self.store.set_source_late(row["name"], None)
                        if row["enabled"]:
                            self.store.add_log("vigie", back_log_line(row["name"]),
                                               kind="system", entity="source",
                                               entity_id=row["name"])
        except Exception:
            log.exception("could not check late sources")

    def _schedule(self, src: Source, outcome: RunOutcome, failures: int,
                  started: datetime | None = None) -> None:
        now = self.clock()
        if outcome.ok:
            # A period from the start of the run, so that a source whose runs take most of
            # its period is still collected every period (never sooner than now).
            if started is not None:
                self._next_run[src.name] = max(now, started + timedelta(seconds=src.every))
                self.store.set_next_run(src.name, iso(self._next_run[src.name]))
                return
            delay = src.every
        else:
            # Exponential backoff with full jitter, never sooner than the source's own
            # period and never sooner than the server's Retry-After.
            delay = min(src.every * (2 ** min(failures, 10)), MAX_BACKOFF)
            delay = max(src.every, random.uniform(delay / 2, delay))
            if outcome.retry_after:
                delay = max(delay, outcome.retry_after)
        self._next_run[src.name] = now + timedelta(seconds=delay)
        self.store.set_next_run(src.name, iso(self._next_run[src.name]))

    # -- one source --------------------------------------------------------------------

    def run_source(self, src: Source) -> RunOutcome:
        """Collect one source. Never raises: every failure becomes health."""
        outcome = RunOutcome(source=src.name, ok=False)
        started = self.clock()
        state = self.store.source_state(src.name)
        try:
            self._collect(src, state, outcome)
            outcome.ok = True
        except FetchError as exc:
            outcome.code, outcome.error = exc.code, describe(exc)
            outcome.retry_after = exc.retry_after
            hint = getattr(KINDS[src.kind].load(), "auth_hint", None)
            if exc.status in (401, 403) and hint:
                outcome.error = hint(exc.status, src) or outcome.error
        except ParseError as exc:
            outcome.code, outcome.error = "parse", f"Contenu illisible : {exc}"
        except SourceConfigError as exc:
            outcome.code, outcome.error = "config", f"Configuration à corriger : {exc}"
        except Exception as exc:  # a bug in one kind must not stop the others
            log.exception("source %s failed", src.name)
            outcome.code = "internal"
            outcome.error = f"Erreur interne : {type(exc).__name__}: {exc}"
        failures = 0
        try:
            newest = self._newest_item(src.name, outcome.newest)
            now = self.clock()
            if outcome.ok:
                lag = None if newest is None else max(0.0, (now - newest).total_seconds())
                self.store.record_success(
                    src.name, items=outcome.items, rejected=outcome.rejected,
                    state=outcome.state, lag_seconds=lag, warning=outcome.error,
                    newest_item_at=iso(newest) if newest else None, at=iso(now))
            else:
                self.store.record_failure(src.name, code=outcome.code or "internal",
                                          message=outcome.error or "?", items=outcome.items,
                                          newest_item_at=iso(newest) if newest else None,
                                          at=iso(now))
                failures = int((self.store.get_source(src.name) or {}).get(
                    "consecutive_failures", 1))
            self._schedule(src, outcome, failures, started)
        except Exception:  # the database itself is failing: log, keep the process alive
            log.exception("could not record health of %s", src.name)
        return outcome

    def _newest_item(self, name: str, seen: datetime | None) -> datetime | None:
        row = self.store.get_source(name) or {}
        known = parse_iso(row.get("newest_item_at"))
        candidates = [t for t in (known, seen) if t is not None]
        return max(candidates) if candidates else None

    def _collect(self, src: Source, state: dict[str, Any], outcome: RunOutcome) -> None:
        module = KINDS[src.kind].load()
        incident_id = self._incident_for(src, module)
        if hasattr(module, "collect"):
            batch = module.collect(src, state, self.clock())
            self._store(src, batch, incident_id, outcome)
            outcome.state = batch.state
            return
        src = self._with_secrets(src)
        build = getattr(module, "build_request", None)
        try:
            request = build(src, state) if build else Request(url=src.url)
        except ValueError as exc:  # the source's configuration cannot make a request
            raise SourceConfigError(str(exc)) from exc
        fetched = self.fetcher.fetch(request)
        if fetched.status == 304:  # not modified: nothing new, cursor unchanged
            outcome.state = state
            return
        batch = module.parse(fetched, src)
        new_state = {**state, **batch.state}
        follow = list(batch.follow)
        self._store(src, batch, incident_id, outcome)
        fetched_docs = 0
        ttl = self._document_ttl(src)
        while follow and fetched_docs < int(src.options.get("max_follow", MAX_FOLLOW)):
            request = follow.pop(0)
            key = _request_key(request)
            if ttl and self._fetched_recently(key, ttl):
                outcome.documents_skipped += 1
                continue
            fetched_docs += 1
            try:
                sub = module.parse(self.fetcher.fetch(request), src)
            except (FetchError, ParseError) as exc:
                outcome.rejected += 1
                reason = describe(exc) if isinstance(exc, FetchError) else str(exc)
                outcome.error = f"Document lié ignoré ({request.url}) : {reason}"
                continue
            new_state.update(sub.state)
            follow.extend(sub.follow)
            self._store(src, sub, incident_id, outcome)
            if ttl:  # only once stored: a document fetched but not stored is fetched again
                self._documents[key] = self.clock()
        outcome.state = new_state

    def _document_ttl(self, src: Source) -> float:
        try:
            return max(0.0, float(src.options.get("document_ttl",
                                                  DOCUMENT_TTL.get(src.kind, 0.0))))
        except (TypeError, ValueError):
            return DOCUMENT_TTL.get(src.kind, 0.0)

    def _fetched_recently(self, key: str, ttl: float) -> bool:
        now = self.clock()
        if len(self._documents) > 2000:  # keep the memory bounded
            self._documents = {k: t for k, t in self._documents.items()
                               if (now - t).total_seconds() < ttl}
        at = self._documents.get(key)
        return at is not None and (now - at).total_seconds() < ttl

    def _store(self, src: Source, batch: Batch, incident_id: int | None,
               outcome: RunOutcome) -> None:
        result = ingest(self.store, batch, collector=src.name, incident_id=incident_id,
                        enricher=self.enricher, now=self.clock())
        outcome.items += result.added
        outcome.rejected += batch.rejected
        newest = _newest_time(batch, self.clock())
        if newest and (outcome.newest is None or newest > outcome.newest):
            outcome.newest = newest
        if batch.errors and not outcome.error:
            outcome.error = f"{batch.rejected} élément(s) ignoré(s) : {batch.errors[0]}"
        outcome.result.posts_added += result.posts_added
        outcome.result.road_events_changed += result.road_events_changed
        outcome.result.alerts_changed += result.alerts_changed
        if result.posts_added:
            self._spikes_pending = True
            self._detect_spikes()

    def _incident_for(self, src: Source, module: Any) -> int | None:
        spec_for = getattr(module, "incident_for", None)
        if spec_for is None:
            # Real sources feed the real incident, never an exercise running beside it.
            active = self.store.active_real_incident()
            return active["id"] if active else None
        spec = spec_for(src)
        found = self.store.incident_for_source(src.name, spec["scenario"])
        if found:
            return found["id"]
        with self.store.write():
            incident_id = self.store.create_incident(
                spec["name"], exercise=spec["exercise"], area=spec.get("area"),
                keywords=spec.get("keywords"), departements=spec.get("departements"),
                scenario=spec["scenario"], speed=spec.get("speed"), created_by="vigie")
            self.store.set_incident_source(incident_id, src.name)
        return incident_id

    @property
    def secrets(self) -> dict[str, Any]:
        """The secrets now: a SecretsFile is re-read when the file changed."""
        if isinstance(self._secrets, SecretsFile):
            return self._secrets.current()
        return self._secrets

    def _with_secrets(self, src: Source) -> Source:
        """Hand a kind the token its `token_secret` option names, if the secret exists."""
        secret_name = src.options.get("token_secret")
        if not secret_name:
            return src
        secrets = self.secrets
        if secret_name in secrets:
            return Source(name=src.name, kind=src.kind, url=src.url, every=src.every,
                          enabled=src.enabled,
                          options={**src.options, "token": secrets[secret_name]})
        return src



def _request_key(request: Request) -> str:
    if not request.params:
        return request.url
    return f"{request.url}?{urlencode(sorted(request.params.items()), doseq=True)}"


def _newest_time(batch: Batch, now: datetime) -> datetime | None:
    """The newest publication time of the batch's posts and alerts (road events carry
    validity times, not publication times). Items dated in the future are ignored."""
    limit = now + timedelta(seconds=FUTURE_SLACK)
    times = [parse_iso(p.created_at) for p in batch.posts]
    times += [parse_iso(a.sent) for a in batch.alerts]
    times = [t for t in times if t is not None and t <= limit]
    return min(max(times), now) if times else None
