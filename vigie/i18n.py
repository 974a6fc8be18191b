"""The one translation function. French is the default; English on request.

Each module owns a small catalog of its strings, so adding a page never touches a
shared file:

    _ = Catalog({"title": ("Fil chronologique", "Timeline")})
    st.title(_("title"))

The language lives in the URL (`?lang=en`) so that a link or a bookmark keeps it.
"""

from __future__ import annotations

from typing import Any

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
_current = {"lang": DEFAULT_LANG}


def set_lang(lang: str | None) -> str:
    _current["lang"] = lang if lang in LANGS else DEFAULT_LANG
    return _current["lang"]


def get_lang() -> str:
    """The language of the running script (set once per run by the app shell)."""
    try:
        import streamlit as st

        return st.session_state.get("vigie_lang", _current["lang"])
    except Exception:  # outside Streamlit (CLI, collectors)
        return _current["lang"]


class Catalog:
    def __init__(self, messages: dict[str, tuple[str, str]]) -> None:
        self.messages = messages

    def __call__(self, key: str, lang: str | None = None, **params: Any) -> str:
        pair = self.messages.get(key)
        if pair is None:
            return key
        text = pair[LANGS.index(lang or get_lang())]
        return text.format(**params) if params else text
