"""The wall's dearest reads, shared by its panels and kept as long as the panel that shows
them waits before refreshing, so new data still shows within one refresh.

At a million posts, counting a day of open urgent posts by cluster, 6 hours of posts by
category and the last hour's located posts each cost 0.1 to 1 s; three panels asked for
the urgent items on every run. Keys are the database and the window, whose start is
rounded down to the cache's period so that every session in that period shares one read;
the urgent items are also keyed on the posts' version (a new or edited post reads them
again), the chart and the map's dots wait at most their own refresh period.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import streamlit as st

from vigie import situation
from vigie.models import iso
from vigie.ui.session import get_store

URGENT_TTL = 5    # the urgent panel's and the key figures' refresh
VOLUME_TTL = 30   # the topics chart's and the map's refresh


def _floor(now: datetime, seconds: int) -> datetime:
    return datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=UTC)


def urgent(now: datetime, limit: int = 200) -> tuple[int, list[dict[str, Any]]]:
    """Open urgent items of the last day: (count of clusters, the `limit` newest)."""
    store = get_store()
    since = iso(_floor(now, URGENT_TTL) - situation.URGENT_WINDOW)
    count, rows = _urgent(str(store.path), situation.urgency_threshold(store), since,
                          store.posts_version())
    return count, rows[:limit]


@st.cache_data(ttl=URGENT_TTL, show_spinner=False, max_entries=8)
def _urgent(db: str, threshold: float, since: str, version: tuple[int, str | None]
            ) -> tuple[int, list[dict[str, Any]]]:
    """Keyed on the posts' version too: a new urgent post shows at the next refresh."""
    return get_store().urgent_open(threshold, since, limit=200)


@st.cache_data(ttl=VOLUME_TTL, show_spinner=False, max_entries=8)
def category_volume(db: str, since: str, bucket: int) -> list[dict[str, Any]]:
    return get_store().category_volume(since, bucket_seconds=bucket)


def volume(now: datetime) -> tuple[list[dict[str, Any]], int]:
    """Posts per category per bucket over the wall's window, and the bucket's length."""
    store = get_store()
    since = _floor(now, VOLUME_TTL) - situation.VOLUME_WINDOW
    first = situation.parse(store.first_post_since(iso(since)))
    bucket = situation.volume_bucket(now - (first or since))
    return category_volume(str(store.path), iso(since), bucket), bucket


@st.cache_data(ttl=VOLUME_TTL, show_spinner=False, max_entries=8)
def _located(db: str, since: str) -> list[dict[str, Any]]:
    return get_store().located_posts(since)


def located(now: datetime) -> list[dict[str, Any]]:
    """Located posts of the last hour (the map's dots and the spikes' rings)."""
    return _located(str(get_store().path),
                    iso(_floor(now, VOLUME_TTL) - timedelta(hours=1)))
