"""HTML fragments (feed summaries, Mastodon statuses) to readable plain text.

Volunteers read posts as text: tags go, entities are unescaped, block elements
and `<br>` become line breaks so that a multi-paragraph toot stays readable.
Link text is kept as written (Mastodon hides the scheme of long URLs in
`<span class="invisible">`; keeping every text node rebuilds the full URL).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tr",
    "ul",
}
_PARAGRAPH = {"p", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table"}
_SKIP = {"script", "style", "template", "head", "title"}
_TAG_RE = re.compile(r"<[^>]*>")
_SPACES_RE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS_RE = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n" if tag in _PARAGRAPH else "\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n" if tag in _PARAGRAPH else "\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def tidy(text: str) -> str:
    """Collapse runs of spaces, strip each line, keep at most one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS_RE.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(fragment: str | None) -> str:
    """Plain text of an HTML fragment; plain text passes through (whitespace tidied)."""
    if not fragment:
        return ""
    if "<" not in fragment and "&" not in fragment:
        return tidy(fragment)
    parser = _TextExtractor()
    try:
        parser.feed(fragment)
        parser.close()
        text = "".join(parser.parts)
    except (AssertionError, ValueError, TypeError):
        # html.parser still raises on some broken markup (e.g. "<![foo"):
        # fall back to a crude strip rather than losing the item.
        text = html.unescape(_TAG_RE.sub(" ", fragment))
    return tidy(text)
