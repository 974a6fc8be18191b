"""Every lexicon (categories, urgency, rumor) compiled into one matcher: one pass per post."""

from __future__ import annotations

from functools import cache

from vigie.enrich import categories, rumor, urgency
from vigie.enrich.lexicon import Hits, Matcher, group
from vigie.enrich.text import Tokens


@cache
def combined() -> Matcher:
    return Matcher(categories.entries() + urgency.entries() + rumor.entries())


def all_hits(tokens: Tokens) -> Hits:
    """Hits of every lexicon, grouped by kind, for the steps' `hits=` argument."""
    return group(combined().find(tokens))
