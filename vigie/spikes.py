"""Spike alerts: an unusual rise of posts in one commune or one category.

Method. Posts are counted per value (a commune in `posts.place`, or a category) in the
last window of `WINDOW` (10 minutes) and in each of the `BASELINE_WINDOWS` (6) windows
before it: the value's own recent baseline, so a big town with steady chatter and a
village that suddenly talks are judged each against itself. The baseline rate is the mean
of those windows (floored at `RATE_FLOOR`, since "never seen before" is not a rate of
zero). The current window is a spike when all three hold:

- `count >= MIN_COUNT` (5): 1 -> 3 posts is noise, not an alert for the préfet;
- the Poisson upper tail P(X >= count | rate) is below `P_MAX` (1e-3): counts of rare
  events are Poisson-like, and the tail is exact for the small counts where a ratio or a
  z-score is meaningless (a village going from 0 to 2 is "infinitely" up but means nothing);
- `count >= MIN_RATIO x rate` (2x): social media is burstier than Poisson (retweets,
  threads), so at high volume the Poisson tail alone would flag ordinary fluctuation; a
  doubling is what a human reads as "unusual".

Why not median and MAD: with sparse counts (most windows 0 or 1) the MAD is 0 and every
rise becomes infinite; the Poisson tail degrades gracefully there and the ratio guard
handles the overdispersed high-volume end.

A value needs history: at least `MIN_HISTORY` windows of observation before the current
one (the first post of the incident marks the start), so the first minutes of a crisis,
or of an exercise, do not flag everything. An exercise replayed `speed` times faster
gets windows `speed` times shorter (never under one minute), so that it behaves on the
wall the way the real crisis would. Each spike is stored once per value per `DEDUPE`
(30 minutes) and writes a main-courante line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from vigie.i18n import Catalog
from vigie.labels import category_label
from vigie.models import iso

WINDOW = timedelta(minutes=10)
WINDOW_EPS = timedelta(seconds=1)  # a post stamped exactly `now` belongs to the next run
MIN_WINDOW = timedelta(minutes=1)
BASELINE_WINDOWS = 6
MIN_HISTORY = 3
MIN_COUNT = 5
MIN_RATIO = 2.0
P_MAX = 1e-3
RATE_FLOOR = 0.5
DEDUPE = timedelta(minutes=30)
ACTIVE_FOR = timedelta(minutes=30)  # how long the wall shows a spike
IGNORED_CATEGORIES = frozenset({"not_relevant"})

_ = Catalog({
    "log_place": ("Hausse inhabituelle de publications à {value} : {count} en {minutes} min "
                  "(habituellement {baseline:.1f})",
                  "Unusual rise of posts in {value}: {count} in {minutes} min "
                  "(usually {baseline:.1f})"),
    "log_category": ("Hausse inhabituelle de publications « {value} » : {count} en {minutes} "
                     "min (habituellement {baseline:.1f})",
                     "Unusual rise of \"{value}\" posts: {count} in {minutes} min "
                     "(usually {baseline:.1f})"),
})


@dataclass(frozen=True)
class Verdict:
    spike: bool
    count: int
    baseline: float  # the rate the count is compared with (floored mean)
    p_value: float

    @property
    def score(self) -> float:
        """Surprise in powers of ten (-log10 p), what the `spikes.score` column keeps."""
        return round(min(-math.log10(max(self.p_value, 1e-300)), 300.0), 2)


def poisson_tail(count: int, rate: float) -> float:
    """P(X >= count) for X ~ Poisson(rate), summed in log space (no overflow)."""
    if count <= 0:
        return 1.0
    if rate <= 0:
        return 0.0
    # 1 - P(X <= count - 1)
    term = math.exp(-rate)
    cdf = term
    for k in range(1, count):
        term *= rate / k
        cdf += term
    tail = 1.0 - cdf
    if tail > 1e-12:
        return tail
    # Far tail: sum the terms from `count` upward instead (1 - cdf lost its precision).
    log_term = -rate + count * math.log(rate) - math.lgamma(count + 1)
    total, k = 0.0, count
    while True:
        value = math.exp(log_term)
        total += value
        k += 1
        log_term += math.log(rate / k)
        if value < total * 1e-15 or k > count + 10_000:
            return total


def judge(count: int, history: Sequence[int]) -> Verdict:
    """Is `count` (the current window) a spike against `history` (previous windows)?"""
    if len(history) < MIN_HISTORY:
        return Verdict(False, count, float("nan"), 1.0)
    rate = max(sum(history) / len(history), RATE_FLOOR)
    p = poisson_tail(count, rate)
    spike = count >= MIN_COUNT and count >= MIN_RATIO * rate and p <= P_MAX
    return Verdict(spike, count, round(rate, 2), p)


def window_for(incident: dict[str, Any] | None) -> timedelta:
    """10 minutes, or 10 scenario minutes for an exercise replayed faster (at least 1 min)."""
    speed = float((incident or {}).get("speed") or 1.0)
    if incident and incident.get("exercise") and speed > 1:
        return max(WINDOW / speed, MIN_WINDOW)
    return WINDOW


def detect(store: Any, now: datetime) -> list[int]:
    """Run detection over every live incident (and posts without one); store new spikes
    with their main-courante line. Returns the ids of the spikes stored."""
    stored: list[int] = []
    for incident in [*store.live_incidents(), None]:
        incident_id = incident["id"] if incident else None
        window = window_for(incident)
        first = store.first_post_at(incident_id)
        if first is None:
            continue
        start = datetime.fromisoformat(first.replace("Z", "+00:00"))
        observed = int((now - WINDOW_EPS - start) / window)  # whole windows before `now`
        history_len = min(BASELINE_WINDOWS, observed - 1)
        if history_len < MIN_HISTORY:
            continue
        since = now - window * (history_len + 1)
        for dimension in ("place", "category"):
            counts = store.spike_counts(dimension, since=iso(since), until=iso(now),
                                        window_seconds=window.total_seconds(),
                                        incident_id=incident_id)
            for value, buckets in counts.items():
                if dimension == "category" and value in IGNORED_CATEGORIES:
                    continue
                history = [buckets.get(i, 0) for i in range(1, history_len + 1)]
                verdict = judge(buckets.get(0, 0), history)
                if not verdict.spike:
                    continue
                spike_id = store.add_spike(
                    at=iso(now), dimension=dimension, value=value, count=verdict.count,
                    baseline=verdict.baseline, score=verdict.score, incident_id=incident_id,
                    dedupe_since=iso(now - max(DEDUPE, window * 3)),
                    log_text=log_line(dimension, value, verdict, window))
                if spike_id is not None:
                    stored.append(spike_id)
    return stored



def log_line(dimension: str, value: str, verdict: Verdict, window: timedelta) -> str:
    """The main-courante line, in French (the log's language)."""
    label = category_label(value, "fr") if dimension == "category" else value
    key = "log_place" if dimension == "place" else "log_category"
    minutes = max(int(round(window.total_seconds() / 60)), 1)
    return _(key, "fr", value=label, count=verdict.count, minutes=minutes,
             baseline=verdict.baseline)
