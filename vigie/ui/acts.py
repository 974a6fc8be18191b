"""Running a page action: the user re-checked on the server, the outcome shown once.

Actions run as widget callbacks, before the script draws the page again, so they act on what
the person saw in the previous run (the versions bound to the button) and the page then shows
the result. A refusal (stale version, missing role, missing field) becomes a message; nothing
is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from vigie.acting import Refused
from vigie.durations import clock
from vigie.i18n import Catalog
from vigie.store import StaleEdit, StoreError
from vigie.ui.safe import md_escape
from vigie.ui.session import current_user

_ = Catalog({
    "stale": ("Non enregistré : modifié par {by} à {at} pendant que vous le regardiez. La page "
              "montre maintenant la version actuelle ; refaites votre modification si elle "
              "reste utile.",
              "Not saved: changed by {by} at {at} while you were looking at it. The page now "
              "shows the current version; make your change again if it is still needed."),
    "yours": ("Votre texte non enregistré : {text}", "Your unsaved text: {text}"),
    "failed": ("Action impossible : {error}", "Action failed: {error}"),
})

FLASH = "vigie_flash"


def flash(kind: str, text: str) -> None:
    """Queue a message (success / info / warning / error) for the next run of the page."""
    st.session_state.setdefault(FLASH, []).append((kind, text))


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        getattr(st, kind)(text)


def stale_text(exc: StaleEdit) -> str:
    return _("stale", by=exc.by or "?", at=clock(exc.at))


def act(fn: Callable[..., Any], *args: Any,
        done: str | Callable[[Any], str] | None = None,
        unsaved: str | None = None, **kwargs: Any) -> Any:
    """Call `fn(store, user, *args, **kwargs)` with the user read again now; turn a
    refusal into a message. `done` (text, or a function of the result) is shown on success;
    `unsaved` is text the person typed, shown back if refused."""
    from vigie.ui.session import get_store

    try:
        result = fn(get_store(), current_user(), *args, **kwargs)
    except StaleEdit as exc:
        flash("error", stale_text(exc))
        if unsaved:
            flash("info", _("yours", text=md_escape(unsaved)))
        return None
    except Refused as exc:
        flash("error", str(exc))
        return None
    except StoreError as exc:
        flash("error", _("failed", error=md_escape(str(exc))))
        return None
    if done:
        flash("success", done(result) if callable(done) else done)
    return result
