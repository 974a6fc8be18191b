"""The one step between every collector (file import included) and the store.

It drops items already stored (so re-collecting is cheap and idempotent), enriches
the new ones, computes road-event statuses, and writes each kind in one short
transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectors.base import Batch
from vigie.contradictions import flag_new_posts
from vigie.models import Post, iso, utc_now
from vigie.roads import extract_roads, status_at
from vigie.store import Store
from vigie.store.posts import post_row

Enricher = Callable[[Post], dict[str, Any]]


def no_enrichment(post: Post) -> dict[str, Any]:
    return {}


class StoreEnricher:
    """vigie.enrich on each new post, with the store's near-duplicate index.

    The index's writes are buffered per batch and land in the same transaction as the
    posts (`flush`), so a crash never leaves index rows for posts that were not stored.
    """

    def __init__(self, store: Store, departements: Sequence[str] | None = None) -> None:
        from vigie.enrich.pipeline import AnalysisMemo

        self.store = store
        self.departements = tuple(departements) if departements else None
        self.index = store.cluster_index()
        self._analysed: dict[str, Any] = {}
        self._batch_departements: tuple[str, ...] | None = None
        self._memo = AnalysisMemo()

    def begin(self, posts: Sequence[Post] = ()) -> None:
        """A new batch: a fresh index view and the incident's départements (read once per
        batch, not per post); then `prepare(posts)`."""
        self.index = self.store.cluster_index()
        self._batch_departements = None
        self._batch_departements = self._departements()
        self._analysed = {}
        if posts:
            self.prepare(posts)

    def prepare(self, posts: Sequence[Post]) -> None:
        """`analyse` then `fetch` these posts. A batch may be prepared in parts: the index
        view keeps what earlier parts loaded and added."""
        self.fetch(self.analyse(posts))

    def analyse(self, posts: Sequence[Post]) -> list[Any]:
        """The text analysis and dedup keys of these posts, kept for `__call__` (pure
        Python: no database); returns the keys for `fetch`."""
        from vigie.enrich.text import tokenize

        deps = self._batch_departements or self._departements()
        keys = []
        for post in posts:
            tokens = tokenize(post.text or "")
            analysed, found = self._memo.analyse(post, tokens, deps)
            self._analysed[post.id] = (post, analysed, found, tokens)
            if found is not None:
                keys.append(found)
        return keys

    def fetch(self, keys: Sequence[Any]) -> None:
        """Every stored candidate these dedup keys could match, in two queries: exact keys
        first, then band keys only for posts that are not exact copies of a stored post or
        of one this batch added (a retweet needs no band look-up)."""
        if not keys:
            return
        self.index.prefetch([k.exact for k in keys])
        seen: set[int] = set()
        bands: list[int] = []
        index = self.index
        for k in keys:
            if (k.exact not in seen and k.bands and not index.stored(k.exact)
                    and not index.pending(k.exact)):
                bands.extend(k.bands)
            seen.add(k.exact)
        if bands:
            self.index.prefetch(bands)

    def _departements(self) -> tuple[str, ...]:
        if self.departements:
            return self.departements
        if self._batch_departements:
            return self._batch_departements
        incident = self.store.active_incident()
        return tuple(incident["departements"]) if incident else ("21",)

    def __call__(self, post: Post) -> dict[str, Any]:
        from vigie.enrich.pipeline import enrich

        seen, analysed, keys, tokens = self._analysed.pop(post.id, (None, None, None, None))
        if seen is not post:  # `begin` saw another Post object: reuse only what the text gives
            analysed = None
            if seen is None or seen.text != post.text:
                keys = tokens = None
        e = enrich(post, departements=self._departements(), index=self.index, tokens=tokens,
                   dedup_keys=keys, analysed=analysed)
        if e.place and not post.place:
            post.place, post.lat, post.lon, post.precision = e.place, e.lat, e.lon, e.precision
        post.lang = post.lang or e.lang
        return {"categories": e.categories, "category_reasons": e.category_reasons,
                "urgency": e.urgency, "urgency_reasons": e.urgency_reasons,
                "rumor_signals": e.rumor_signals, "cluster_id": e.cluster_id or post.id,
                "insee": e.insee}

    def flush(self, conn: Any) -> None:
        self.index.flush(conn)

    def take_writes(self) -> Callable[[Any], None]:
        """The index rows of the posts enriched since the last call (see
        SqlClusterIndex.take_writes), to store in the same transaction as them."""
        return self.index.take_writes()


def log_road_change(store: Store, road: str | None, commune: str | None, event_type: str,
                    old: str | None, new: str, incident_id: int | None) -> None:
    """A main-courante line when a closure starts or a road reopens (not for every update)."""
    if old == new or event_type not in ("closure", "detour"):
        return
    where = " ".join(x for x in (road, f"({commune})" if commune else None) if x) or "route"
    if new == "active":
        text = f"Route coupée : {where}" if event_type == "closure" else f"Déviation : {where}"
    elif new == "ended" and old is not None:
        text = f"Route rouverte : {where}" if event_type == "closure" else (
            f"Fin de déviation : {where}")
    else:
        return
    store.add_log("vigie", text, kind="system", entity="road_event", incident_id=incident_id)


def refresh_roads(store: Store, now: datetime | None = None) -> int:
    """Move road events along their times and schedules; log closures and reopenings."""
    now = now or utc_now()
    changed = store.refresh_road_statuses(status_at, now)
    for row in changed:
        log_road_change(store, row["road"], row["commune"], row["event_type"],
                        row["old_status"], row["status"], None)
    return len(changed)


WRITE_CHUNK = 500  # posts per call of _ingest_posts
# Posts per write transaction, handed to the writer thread. The writer idles while the
# first part is enriched and the caller waits while the last part is written, so both
# are small; the parts between are larger, to share the cost of a commit.
PART_FIRST, PART, PART_LAST = 10, 40, 10


def part_bounds(n: int) -> list[tuple[int, int]]:
    """(start, end) of the parts of n posts: PART_FIRST first, PART_LAST last, and parts
    of at most PART between them, of even sizes (200 posts: 10, 5 x 36, 10)."""
    if n <= PART_FIRST:
        return [(0, n)] if n > 0 else []
    if n <= PART_FIRST + PART_LAST:
        return [(0, PART_FIRST), (PART_FIRST, n)]
    middle = n - PART_FIRST - PART_LAST
    count = -(-middle // PART)
    edges = [PART_FIRST + middle * i // count for i in range(count + 1)]
    return [(0, PART_FIRST), *zip(edges, edges[1:], strict=False), (n - PART_LAST, n)]


def _ingest_posts(store: Store, posts: list[Post], enricher: Enricher, collected_at: str,
                  collector: str, fetched_at: str | None, incident_id: int | None,
                  known: set[str]) -> tuple[int, list[str]]:
    """Enrich and store a chunk of posts: (posts added, ids of the new posts that name a
    road, for the contradiction check).

    The enrichment is Python and holds the GIL; SQLite releases it. So the writer thread
    stores and commits part k (vigie.store.post_stream) while this thread enriches part
    k+1 (`part_bounds`), and scans the posts for road names while the last part commits.
    Each part is one transaction with its near-duplicate index rows: a crash keeps a part
    whole or not at all. (Reading the candidates on a third thread was slower: a read that returns
    rows takes the GIL back for every row.)"""
    new = [p for p in posts if p.id not in known]
    if not new:
        return 0, []
    begin, prepare = getattr(enricher, "begin", None), getattr(enricher, "prepare", None)
    take = getattr(enricher, "take_writes", None)
    if begin is not None:
        begin()
    with store.post_stream(each_part=True) as stream:
        for i, j in part_bounds(len(new)):
            part = new[i:j]
            if prepare is not None:
                prepare(part)
            stream.send([post_row(post, collected_at=collected_at, collector=collector,
                                  fetched_at=fetched_at or collected_at,
                                  incident_id=incident_id, enrichment=enricher(post))
                         for post in part], take() if take is not None else None)
        stream.close_input(getattr(enricher, "flush", None))
        naming_roads = [p.id for p in new if extract_roads(p.text)]
        return stream.finish(), naming_roads


@dataclass
class IngestResult:
    posts_added: int = 0
    posts_seen: int = 0
    road_events_changed: int = 0
    road_events_ended: int = 0
    alerts_changed: int = 0
    posts_flagged: int = 0

    @property
    def added(self) -> int:
        return self.posts_added + self.road_events_changed + self.alerts_changed


def ingest(store: Store, batch: Batch, *, collector: str, incident_id: int | None,
           enricher: Enricher = no_enrichment, fetched_at: str | None = None,
           now: datetime | None = None) -> IngestResult:
    """Store a parsed batch. Safe to call twice with the same batch."""
    now = now or utc_now()
    collected_at = iso(now)
    result = IngestResult(posts_seen=len(batch.posts))
    naming_roads: list[str] = []
    if batch.posts:
        unique: dict[str, Post] = {}
        for post in batch.posts:
            unique.setdefault(post.id, post)
        posts = list(unique.values())
        known_before = store.existing_post_ids(list(unique))
        for i in range(0, len(posts), WRITE_CHUNK):  # short write transactions
            added, roads = _ingest_posts(store, posts[i:i + WRITE_CHUNK], enricher,
                                         collected_at, collector, fetched_at, incident_id,
                                         known_before)
            result.posts_added += added
            naming_roads += roads
    if batch.road_events:
        before = store.road_event_statuses([ev.id for ev in batch.road_events])
        statuses = [(ev, status_at(ev, now)) for ev in batch.road_events]
        result.road_events_changed = store.upsert_road_events(statuses, incident_id)
        for ev, status in statuses:  # a batch may hold several versions of one event
            log_road_change(store, ev.road, ev.commune, ev.event_type, before.get(ev.id),
                            status, incident_id)
            before[ev.id] = status
    if batch.complete_snapshot:
        sources = {ev.source for ev in batch.road_events} or {collector}
        for source in sources:
            result.road_events_ended += store.end_missing_road_events(
                source, {ev.id for ev in batch.road_events if ev.source == source})
    if batch.alerts:
        result.alerts_changed = store.upsert_alerts(batch.alerts, incident_id)
    if naming_roads:  # after the batch's road events: compare with the newest data
        result.posts_flagged = flag_contradictions(store, naming_roads, now)
    return result


def flag_contradictions(store: Store, post_ids: list[str], now: datetime) -> int:
    """Flag new posts that contradict the road data; never stops collection."""
    try:
        return flag_new_posts(store, post_ids, now)
    except Exception:
        logging.getLogger("vigie.pipeline").exception("contradiction check failed")
        return 0
