"""How the wall's panels are laid out, per view, and the rotation between views."""

from __future__ import annotations

import time

import streamlit as st

from vigie.metrics import fragment_timer
from vigie.ui import wall_map, wall_panels
from vigie.ui.session import still_allowed
from vigie.ui.wall_style import KIOSK_CSS, WALL_CSS

VIEWS = ("overview", "map")
ROTATE_MIN = 15  # seconds; a faster rotation cannot be read


def rotation(value: str | None) -> int | None:
    """`?rotate=60` -> 60 (seconds per view); anything else -> no rotation."""
    try:
        seconds = int(value or 0)
    except ValueError:
        return None
    return max(seconds, ROTATE_MIN) if seconds > 0 else None


def view_now(rotate: int | None, pinned: str | None, now: float | None = None) -> str:
    """The view to show: the pinned one, else the wall clock's turn (so that two screens
    rotating at the same pace stay in step), else the overview."""
    if pinned in VIEWS:
        return pinned
    if not rotate:
        return VIEWS[0]
    return VIEWS[int((now if now is not None else time.time()) // rotate) % len(VIEWS)]


def page() -> None:
    """The Situation page, from its URL parameters (pages/situation.py and / both)."""
    from vigie.ui.session import require

    require("situation")
    render(kiosk=st.query_params.get("kiosk") == "1", rotate=rotation(st.query_params.get(
        "rotate")), view=st.query_params.get("view"))


def render(*, kiosk: bool, rotate: int | None, view: str | None) -> None:
    st.html(WALL_CSS + (KIOSK_CSS if kiosk else ""))
    current = view_now(rotate, view)
    st.session_state["wall_view"] = current
    if rotate and view not in VIEWS:
        _rotator(rotate, view)
    wall_panels.top_bar()
    wall_panels.spike_band()
    wall_panels.key_figures()
    if current == "map":
        with st.container(key="wall-grid"):
            left, right = st.columns([1.35, 1], gap="small")
            with left:
                wall_map.map_panel(height=540)
            with right:
                wall_panels.volume_panel(height=300, top=6)
                wall_panels.urgent_panel(limit=4, max_len=100)
        return
    with st.container(key="wall-grid"):
        urgent, middle, right = st.columns([1.25, 1, 1], gap="small")
        with urgent:
            wall_panels.urgent_panel(limit=9, max_len=130)
        with middle:
            wall_panels.verdicts_panel(limit=5)
            wall_panels.roads_panel(limit=5)
        with right:
            wall_map.map_panel(height=270)
            wall_panels.volume_panel(height=150, top=4)


def _rotator(rotate: int, pinned: str | None) -> None:
    """Checks every few seconds whether the view's turn is over; only then does the whole
    page re-run (the only full re-run of the wall)."""

    @st.fragment(run_every=min(5, rotate))
    @fragment_timer("wall.rotate")
    @still_allowed("situation")
    def check() -> None:
        if view_now(rotate, pinned) != st.session_state.get("wall_view"):
            st.rerun(scope="app")

    check()
