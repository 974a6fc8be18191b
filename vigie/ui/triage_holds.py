"""The triage page's side of card holds (vigie/card_holds.py): pick the active card,
hold it, and say which shown cards others are working on."""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from vigie import card_holds
from vigie.models import utc_now
from vigie.ui import triage_state as ts
from vigie.ui.session import current_user, get_store

HELD = "tq_held"        # (ckey, monotonic time) of this session's last hold


def settle(cards: list[dict[str, Any]]) -> dict[str, str]:
    """Choose and hold the active card; return the shown cards others hold, with who.
    A database that cannot take the hold right now only costs the hint, never the page."""
    user = current_user()
    if not cards or user is None or not user.can("volunteer"):
        return {}
    store, now = get_store(), utc_now()
    try:
        others = card_holds.holders(store, [c["ckey"] for c in cards], user.username, now)
        index = card_holds.choose_active(cards, ts.active_index(), set(others),
                                         st.session_state.get(ts.CHOSEN))
        st.session_state[ts.ACTIVE] = index
        ckey = cards[index]["ckey"]
        last = st.session_state.get(HELD)
        if (last is None or last[0] != ckey
                or time.monotonic() - last[1] >= card_holds.RENEW_AFTER):
            if card_holds.hold(store, user, ckey, now) == user.username:
                st.session_state[HELD] = (ckey, time.monotonic())
            else:
                st.session_state.pop(HELD, None)
    except Exception:  # noqa: BLE001 - a hint must never break triage
        return {}
    return others
