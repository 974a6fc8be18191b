"""What the triage page remembers between runs: the cards shown, the active card, the
selection. Actions read it to act on exactly what the volunteer saw."""

from __future__ import annotations

from typing import Any

import streamlit as st

from vigie.store.triage import PostRef

SHOWN = "tq_shown"      # list of cards as last drawn: {"ckey", "refs", "post", "size"}
ACTIVE = "tq_active"    # index of the active card in SHOWN
OFFSET = "tq_offset"    # first cluster shown (paging)
PAGE = 12


def sel_key(ckey: str) -> str:
    return f"tq_sel_{ckey}"


def shown() -> list[dict[str, Any]]:
    return st.session_state.get(SHOWN, [])


def active_index() -> int:
    cards = shown()
    i = int(st.session_state.get(ACTIVE, 0))
    return max(0, min(i, len(cards) - 1)) if cards else 0


def active_card() -> dict[str, Any] | None:
    cards = shown()
    return cards[active_index()] if cards else None


def selected_cards() -> list[dict[str, Any]]:
    return [c for c in shown() if st.session_state.get(sel_key(c["ckey"]))]


def target_cards() -> list[dict[str, Any]]:
    """The checked cards, or the active card when none is checked."""
    chosen = selected_cards()
    if chosen:
        return chosen
    card = active_card()
    return [card] if card else []


def target_refs() -> list[PostRef]:
    return [tuple(ref) for c in target_cards() for ref in c["refs"]]


def focus_card() -> dict[str, Any] | None:
    """The card whose post single-post actions use: the active one if targeted, else the
    first target."""
    targets = target_cards()
    card = active_card()
    if card and any(t["ckey"] == card["ckey"] for t in targets):
        return card
    return targets[0] if targets else None


CHOSEN = "tq_chosen"    # the card the volunteer moved to on purpose (see triage_holds)


def activate(index: int) -> None:
    """Make card `index` active on purpose: a card someone else holds stays active."""
    cards = shown()
    if cards:
        index = max(0, min(index, len(cards) - 1))
        st.session_state[ACTIVE] = index
        st.session_state[CHOSEN] = cards[index]["ckey"]


def move(delta: int) -> None:
    activate(active_index() + delta)


def toggle_active_selection() -> None:
    card = active_card()
    if card:
        key = sel_key(card["ckey"])
        st.session_state[key] = not st.session_state.get(key, False)


def clear_selection() -> None:
    for c in shown():
        st.session_state.pop(sel_key(c["ckey"]), None)
