"""Collected text is rendered inert: md_escape leaves no markup for Streamlit to act on."""

from __future__ import annotations

import pytest

from vigie.ui.safe import clean, md_escape

HOSTILE = [
    "<script>alert(1)</script>",
    "[cliquez ici](javascript:alert(1))",
    "![img](http://evil.invalid/pixel.png)",
    ":red[ALERTE] :material/warning: $x^2$",
    "<img src=x onerror=alert(1)>",
    "**gras** _italique_ `code` # titre",
    "| a | b |\n|---|---|",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_markup_character_is_escaped(text: str) -> None:
    escaped = md_escape(text)
    for ch in "<>[]()!*_`#|:$":
        assert ch not in escaped.replace("\\" + ch, "")


def test_direction_overrides_and_zero_width_characters_are_removed() -> None:
    assert clean("abc\u202edcba\u200b!") == "abcdcba!"


def test_very_long_words_are_broken_so_they_cannot_overflow() -> None:
    escaped = md_escape("x" * 500)
    assert max(len(w) for w in escaped.split("\u200b")) <= 60


def test_text_is_cut_at_max_len() -> None:
    assert md_escape("mot " * 1000, max_len=100).endswith("…")
