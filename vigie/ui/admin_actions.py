"""How an Admin tab runs one action: refusals, stale edits and validation errors shown in
words, a success message kept across the rerun that shows fresh data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from vigie.admin_guard import Refused
from vigie.i18n import Catalog
from vigie.models import utc_now
from vigie.source_health import clock, parse_iso
from vigie.store import StaleEdit
from vigie.ui.safe import md_escape


def run_action(action: Callable[[], Any], success: str, *, prefix: str,
               messages: Catalog) -> None:
    """`messages` must hold the tab's "stale" and "not_saved" strings; `prefix` names the
    tab's session keys (`<prefix>_seen`, `<prefix>_flash`)."""
    try:
        errors = action()
    except Refused as exc:
        st.error(str(exc))
        return
    except StaleEdit as exc:
        st.session_state.pop(f"{prefix}_seen", None)
        at = parse_iso(exc.at)
        st.error(messages("stale", by=exc.by or "?", at=clock(at, utc_now()) if at else "?"))
        return
    if errors:
        st.error(messages("not_saved") + "\n" + "\n".join(f"- {md_escape(e)}" for e in errors))
        return
    st.session_state[f"{prefix}_flash"] = success
    st.session_state.pop(f"{prefix}_seen", None)
    st.rerun()


def show_flash(prefix: str) -> None:
    message = st.session_state.pop(f"{prefix}_flash", None)
    if message:
        st.success(message)
