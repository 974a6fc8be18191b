"""Rumor signals: the phrases in a post that call for verification.

Returned as "kind: words" strings ("hearsay: il paraît que") so that the triage queue can show
why a post was flagged. A signal is not a verdict; volunteers verify (DESIGN S5).
"""

from __future__ import annotations

from functools import cache

from vigie.enrich.lexicon import Entry, Hits, Matcher, load, surface
from vigie.enrich.text import Tokens


def entries() -> list[Entry]:
    data = load("rumor")
    return [Entry(p, kind, 1.0, "rumor") for kind, table in data.items() for p in table["phrases"]]


@cache
def matcher() -> Matcher:
    return Matcher(entries())


def rumor_signals(tokens: Tokens, hits: Hits | None = None) -> list[str]:
    """Distinct signals in text order, longest phrase first where two overlap."""
    found = matcher().find(tokens) if hits is None else hits.get("rumor", [])
    hits_sorted = sorted(found, key=lambda h: (h.start, h.start - h.end))
    out: list[str] = []
    covered_until = -1
    for h in hits_sorted:
        if h.start < covered_until:
            continue
        covered_until = h.end
        signal = f"{h.entry.label}: {surface(tokens, h)}"
        if signal not in out:
            out.append(signal)
    return out
