"""Who works on which triage card, so two volunteers at the top of the queue do not both
take the same card and collide on every action.

A hold is a hint, not a lock: it lasts HOLD_SECONDS after the holder last looked at the
card, anyone may still act on a held card (the stale-edit check protects every write), and
a volunteer who deliberately moves to a held card (J/K, "Activer") keeps it. What holds
change is the default: when the active card moves under a volunteer (first visit, or the
card they finished left the queue), the page skips to the first card nobody else holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from vigie.acting import ensure
from vigie.auth import User
from vigie.models import iso
from vigie.store import Store

HOLD_SECONDS = 120
RENEW_AFTER = 30  # seconds: a page run renews its hold at most this often


def choose_active(cards: Sequence[Mapping[str, Any]], index: int, held_by_others: set[str],
                  chosen: str | None) -> int:
    """The active card's index: the current one if it is free or was chosen on purpose,
    else the first free card from there on, else the first free card before it, else the
    current one (everything is taken: the volunteer may still help)."""
    if not cards:
        return 0
    index = max(0, min(index, len(cards) - 1))
    ckey = cards[index]["ckey"]
    if ckey not in held_by_others or ckey == chosen:
        return index
    order = [*range(index + 1, len(cards)), *range(index - 1, -1, -1)]
    return next((i for i in order if cards[i]["ckey"] not in held_by_others), index)


def hold(store: Store, user: User | None, ckey: str, now: datetime) -> str:
    """Hold the card for the user (a volunteer's right); returns who holds it."""
    ensure(user, "volunteer")
    return store.hold_card(ckey, user.username, iso(now + timedelta(seconds=HOLD_SECONDS)),
                           iso(now))


def holders(store: Store, ckeys: Sequence[str], me: str, now: datetime) -> dict[str, str]:
    """The cards among `ckeys` that someone other than `me` holds now, with who."""
    return {k: who for k, who in store.card_holders(list(ckeys), iso(now)).items()
            if who != me}
