"""The shared runner: schedules every source by its `every`, isolates failures per
source, backs off on repeated faults, and writes health to the `sources` table.

Kinds stay pure (see collectors/base.py); the runner owns the network (through
collectors.http), the cursors, the follow-up fetches and the health record. What a
run fetched and parsed is stored before anything later in that run can fail, so a
fault never loses collected items.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from collectors.base import Batch, ParseError, Request, Source
from collectors.http import Fetcher, FetchError, describe
from collectors.registry import KINDS
from vigie import spikes
from vigie.models import iso, utc_now
from vigie.pipeline import Enricher, IngestResult, StoreEnricher, ingest, refresh_roads
from vigie.store import Store

log = logging.getLogger("vigie.collectors")

MAX_FOLLOW = 20          # follow-up documents (pages, linked CAP files) per run
MAX_BACKOFF = 3600.0     # never wait more than an hour between tries of a failing source
SPIKES_EVERY = 60.0      # spike detection runs at most once a minute, after new posts
SOURCES_EVERY = 2.0      # how often sources added in the database (exercises) are picked up


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


class Runner:
    def __init__(self, store: Store, sources: list[Source], *, fetcher: Fetcher | None = None,
                 enricher: Enricher | None = None, secrets: dict[str, Any] | None = None,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.sources = {s.name: s for s in sources}
        self.fetcher = fetcher or Fetcher()
        self.enricher = enricher or StoreEnricher(store)
        self.secrets = secrets or {}
        self.clock = clock
        self._next_run: dict[str, datetime] = {}
        self._last_maintenance: datetime | None = None
        self._configured = set(self.sources)
        self._last_refresh: datetime | None = None
        self._spikes_pending = False
        self._last_spikes: datetime | None = None
        for s in sources:
            store.sync_source(s.name, s.kind, s.url, s.every, s.enabled, s.options)

    # -- scheduling --------------------------------------------------------------------

    def due_sources(self, now: datetime) -> list[Source]:
        due = []
        for name, src in self.sources.items():
            row = self.store.get_source(name) or {}
            if not row.get("enabled", src.enabled):
                continue
            if row.get("run_requested") or now >= self._next_run.get(name, now):
                due.append(src)
        return due

    def run_once(self) -> list[RunOutcome]:
        """One pass over every enabled source (what `--once` does)."""
        self.refresh_sources(force=True)
        outcomes = []
        for name, src in self.sources.items():
            row = self.store.get_source(name) or {}
            if row.get("enabled", src.enabled):
                outcomes.append(self.run_source(src))
        return outcomes

    def tick(self) -> list[RunOutcome]:
        """Run the sources that are due now and schedule their next run; once a minute,
        move road events along their times."""
        outcomes = []
        self.refresh_sources()
        for src in self.due_sources(self.clock()):
            outcomes.append(self.run_source(src))
        self._maintenance()
        self._detect_spikes()
        return outcomes

    def refresh_sources(self, *, force: bool = False) -> None:
        """Sources created in the database (an exercise started from the Admin page) join
        the schedule without a restart; those deleted from it leave, unless the sources
        file names them."""
        now = self.clock()
        if not force and self._last_refresh and (
                (now - self._last_refresh).total_seconds() < SOURCES_EVERY):
            return
        self._last_refresh = now
        try:
            rows = {r["name"]: r for r in self.store.list_sources()}
        except Exception:
            log.exception("could not read the sources table")
            return
        for name, row in rows.items():
            if name not in self.sources and row["kind"] in KINDS:
                self.sources[name] = Source(name=name, kind=row["kind"], url=row["url"] or "",
                                            every=float(row["every"]),
                                            enabled=bool(row["enabled"]),
                                            options=row["options"] or {})
                log.info("source %s added from the database", name)
        for name in [n for n in self.sources if n not in rows and n not in self._configured]:
            del self.sources[name]
            self._next_run.pop(name, None)

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
            self.tick()
            time.sleep(idle)

    def _schedule(self, src: Source, outcome: RunOutcome, failures: int) -> None:
        now = self.clock()
        if outcome.ok:
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
            if outcome.ok:
                self.store.record_success(
                    src.name, items=outcome.items, rejected=outcome.rejected,
                    state=outcome.state, lag_seconds=None,
                    warning=outcome.error)
            else:
                self.store.record_failure(src.name, code=outcome.code or "internal",
                                          message=outcome.error or "?", items=outcome.items)
                failures = int((self.store.get_source(src.name) or {}).get(
                    "consecutive_failures", 1))
            self._schedule(src, outcome, failures)
        except Exception:  # the database itself is failing: log, keep the process alive
            log.exception("could not record health of %s", src.name)
        return outcome

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
        while follow and fetched_docs < int(src.options.get("max_follow", MAX_FOLLOW)):
            request = follow.pop(0)
            fetched_docs += 1
            try:
                sub = module.parse(self.fetcher.fetch(request), src)
            except (FetchError, ParseError) as exc:
                outcome.rejected += 1
                outcome.error = f"Document lié ignoré ({request.url}) : {exc}"
                continue
            new_state.update(sub.state)
            follow.extend(sub.follow)
            self._store(src, sub, incident_id, outcome)
        outcome.state = new_state

    def _store(self, src: Source, batch: Batch, incident_id: int | None,
               outcome: RunOutcome) -> None:
        result = ingest(self.store, batch, collector=src.name, incident_id=incident_id,
                        enricher=self.enricher, now=self.clock())
        outcome.items += result.added
        outcome.rejected += batch.rejected
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

    def _with_secrets(self, src: Source) -> Source:
        """Hand a kind the token its `token_secret` option names, if the secret exists."""
        secret_name = src.options.get("token_secret")
        if secret_name and secret_name in self.secrets:
            return Source(name=src.name, kind=src.kind, url=src.url, every=src.every,
                          enabled=src.enabled,
                          options={**src.options, "token": self.secrets[secret_name]})
        return src

