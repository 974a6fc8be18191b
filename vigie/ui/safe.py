"""Collected text is hostile until proven otherwise: render it as text, never as markup.

Streamlit renders markdown (links, images, `:red[...]` directives, LaTeX, emoji
shortcodes). Backslash-escaping every ASCII punctuation mark (CommonMark allows it
for all of them) makes any post text render literally: no link, no image, no HTML.
"""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'^%@/;,?])")
# Bidirectional overrides and isolates can make text read backwards; zero-width
# characters can hide words from moderators. Remove them from what we display.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200e\u200f\ufeff"),
    None,
)
_LONG_WORD = re.compile(r"(\S{60})(?=\S)")


def clean(text: str | None) -> str:
    """Drop control and direction-override characters; keep line breaks and tabs."""
    if not text:
        return ""
    text = text.translate(_INVISIBLE)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def md_escape(text: str | None, *, max_len: int | None = None) -> str:
    """Text made inert for st.markdown: every markup character escaped, very long words
    broken so they cannot push the layout off screen, lines kept."""
    text = clean(text)
    if max_len and len(text) > max_len:
        text = text[: max_len - 1] + "…"
    text = _LONG_WORD.sub("\\1\u200b", text)
    escaped = _PUNCT.sub(r"\\\1", text)
    return escaped.replace("\n", "  \n")
