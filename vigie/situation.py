"""What the wall screen shows, computed from the store: key figures, freshness and the
health warnings. Pure of Streamlit, so it is tested without a browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from vigie.models import iso
from vigie.process import CollectorsLock

URGENCY_THRESHOLD = 0.7   # setting `wall_urgency_threshold` overrides it
URGENT_WINDOW = timedelta(hours=24)  # an "open" urgent post older than this is stale
VOLUME_WINDOW = timedelta(hours=6)
SOURCE_STALE_MIN = timedelta(minutes=10)  # a failing source is reported after this long...
SOURCE_STALE_RUNS = 5                     # ...or this many of its periods, if longer


def parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def urgency_threshold(store: Any) -> float:
    try:
        return float(store.get_setting("wall_urgency_threshold", URGENCY_THRESHOLD))
    except (TypeError, ValueError):
        return URGENCY_THRESHOLD


@dataclass
class Figures:
    posts_hour: int = 0
    posts_previous_hour: int = 0
    urgent_open: int = 0
    people_waiting: int = 0
    longest_wait: timedelta | None = None
    claims: dict[str, int] = field(default_factory=dict)
    roads_closed: int = 0

    @property
    def trend(self) -> float | None:
        """Change of the last hour against the hour before, as a fraction (+0.4 = +40 %);
        None when the hour before had nothing to compare with."""
        if self.posts_previous_hour == 0:
            return None
        return self.posts_hour / self.posts_previous_hour - 1.0


def figures(store: Any, now: datetime, *, urgent_count: int | None = None) -> Figures:
    """The wall's key figures. `urgent_count`: the open urgent items when the caller has
    already counted them (the wall shares one count between its panels)."""
    hour_ago, two_hours_ago = now - timedelta(hours=1), now - timedelta(hours=2)
    waiting = store.people_waiting()
    oldest = parse(waiting["oldest"])
    if urgent_count is None:
        urgent_count, _rows = store.urgent_open(urgency_threshold(store),
                                                iso(now - URGENT_WINDOW), limit=0)
    count = urgent_count
    return Figures(
        posts_hour=store.posts_between(iso(hour_ago), iso(now + timedelta(seconds=1))),
        posts_previous_hour=store.posts_between(iso(two_hours_ago), iso(hour_ago)),
        urgent_open=count,
        people_waiting=waiting["count"],
        longest_wait=(now - oldest) if oldest else None,
        claims=store.claims_by_status(),
        roads_closed=store.roads_closed(),
    )


def volume_bucket(span: timedelta) -> int:
    """Seconds per bar so that the chart has enough bars: 10 min over hours of data, finer
    when the data cover less (the first hour of a crisis, a fast exercise)."""
    for limit, seconds in ((timedelta(hours=1), 120), (timedelta(hours=3), 300)):
        if span <= limit:
            return seconds
    return 600


def duration_text(delta: timedelta | None) -> str:
    """"45 min", "2 h 05", "3 j 4 h": short enough for a tile."""
    if delta is None:
        return "—"
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} j {hours} h"


@dataclass(frozen=True)
class Problem:
    kind: str        # collectors_stopped / source_failing / source_silent
    source: str | None = None
    since: datetime | None = None
    error: str | None = None


def health_problems(store: Any, now: datetime, *, lock: CollectorsLock | None = None,
                    ) -> list[Problem]:
    """Reasons the wall may not be current: the collectors process is not running, or an
    enabled source has failed (or not run) for longer than max(10 min, 5 periods)."""
    problems: list[Problem] = []
    lock = lock or CollectorsLock(store.path)
    if not lock.held_elsewhere():
        problems.append(Problem("collectors_stopped", since=parse(store.last_post_time())))
    for row in store.list_sources():
        if not row.get("enabled"):
            continue
        limit = max(SOURCE_STALE_MIN, timedelta(seconds=float(row.get("every") or 60) *
                                                SOURCE_STALE_RUNS))
        last_ok = parse(row.get("last_ok_at"))
        last_run = parse(row.get("last_run_at"))
        if int(row.get("consecutive_failures") or 0) > 0:
            since = last_ok or parse(row.get("updated_at"))
            if since is None or now - since > limit:
                problems.append(Problem("source_failing", row["name"], last_ok,
                                        row.get("last_error")))
        elif last_run is not None and now - last_run > limit * 2:
            problems.append(Problem("source_silent", row["name"], last_run))
    return problems
