"""How long the dashboard's script runs take, per page and per fragment.

Streamlit runs every session's scripts in threads of the server process, so a bounded
in-process ring buffer per name is enough: the shell records each full run of a page
(`page:<path>`), and `fragment_timer` records each fragment-only re-run of a self-refreshing
panel (`fragment:<name>`; a fragment's body inside a full run counts in its page's time).
`/api/metrics` (vigie/web.py) returns percentiles, which `python -m bench load` compares
idle and under ingest. Names come from code, never from a request; no user, text or URL
is kept: only (when, seconds).
"""

from __future__ import annotations

import functools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

SIZE = 4096        # runs kept per name: ~25 min of 8 wall screens at full refresh
MAX_NAMES = 200    # names are code-defined; this only guards against a mistake
PERCENTILES = (50, 95, 99)

F = TypeVar("F", bound=Callable[..., Any])

_lock = threading.Lock()
_runs: dict[str, deque[tuple[float, float]]] = {}


def record(name: str, seconds: float, at: float | None = None) -> None:
    """One run of `name` that took `seconds`, ended at `at` (epoch seconds, default now)."""
    with _lock:
        runs = _runs.get(name)
        if runs is None:
            if len(_runs) >= MAX_NAMES:
                return
            runs = _runs[name] = deque(maxlen=SIZE)
        runs.append((time.time() if at is None else at, seconds))


@contextmanager
def timed(name: str) -> Iterator[None]:
    """Record the block's wall time, also when it ends with st.stop/st.rerun or an error
    (a refused page is a run too)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        record(name, time.perf_counter() - start)


def _fragment_only_run() -> bool:
    """True while Streamlit runs fragments alone (a run_every tick or a widget inside
    one), not the whole page."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def fragment_timer(name: str) -> Callable[[F], F]:
    """Decorator for a fragment's body, placed under `@st.fragment`: records its
    fragment-only re-runs as `fragment:<name>`."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not _fragment_only_run():
                return func(*args, **kwargs)
            with timed(f"fragment:{name}"):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (an observed value, never invented)."""
    if not ordered:
        raise ValueError("no values")
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100)
    return ordered[int(rank) - 1]


def stats(seconds: list[float]) -> dict[str, Any]:
    ordered = sorted(seconds)
    out: dict[str, Any] = {"count": len(ordered)}
    if ordered:
        for q in PERCENTILES:
            out[f"p{q}_ms"] = round(percentile(ordered, q) * 1000, 1)
        out["max_ms"] = round(ordered[-1] * 1000, 1)
    return out


def summary(since: float | None = None) -> dict[str, Any]:
    """Percentiles per name of the runs that ended after `since` (epoch seconds), plus
    every page run and fragment re-run together (`all`), as the JSON of /api/metrics."""
    with _lock:
        snapshot = {name: [s for at, s in runs if since is None or at > since]
                    for name, runs in _runs.items()}
    snapshot = {name: values for name, values in snapshot.items() if values}
    every = [s for values in snapshot.values() for s in values]
    return {"since": since, "now": time.time(), "kept_per_name": SIZE,
            "runs": {name: stats(values) for name, values in sorted(snapshot.items())},
            "all": stats(every)}


def clear() -> None:
    """Forget every run (tests)."""
    with _lock:
        _runs.clear()
