"""Process-wide snapshots of wall data, shared by every session of the server.

The wall must show a new item within seconds of its collection, yet a dozen wall
screens polling every second must not multiply the queries by a dozen. A snapshot is
reloaded by the first caller that finds it stale — the data stamp moved and it is older
than `min_age`, or it is older than the caller's `max_age` whatever the stamp (clock-driven changes:
windows that slide, statuses that move with time) — while concurrent callers keep the
previous value instead of waiting or querying too. So the query rate per panel is at most
one per `min_age` per server process, however many screens watch it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any


@dataclass
class _Entry:
    stamp: Hashable
    loaded: float
    value: Any


class Snapshots:
    """Keyed, thread-safe, stale-while-reloading cache of loader results."""

    def __init__(self, *, min_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.min_age, self.clock = min_age, clock
        self._entries: dict[Hashable, _Entry] = {}
        self._loading: set[Hashable] = set()
        self._lock = threading.Lock()

    def get(self, key: Hashable, stamp: Hashable, loader: Callable[[], Any], *,
            max_age: float) -> Any:
        """The snapshot for `key`, reloaded with `loader` if stale. A loader's exception
        propagates and leaves the previous snapshot in place."""
        now = self.clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and not self._stale(entry, stamp, now, max_age):
                return entry.value
            if entry is not None and key in self._loading:
                return entry.value  # another session is reloading it: no second query
            self._loading.add(key)
        try:
            value = loader()
        finally:
            with self._lock:
                self._loading.discard(key)
        with self._lock:
            self._entries[key] = _Entry(stamp, now, value)
        return value

    def _stale(self, entry: _Entry, stamp: Hashable, now: float, max_age: float) -> bool:
        age = now - entry.loaded
        return age >= max_age or (stamp != entry.stamp and age >= self.min_age)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
