"""How long a message is for each network, counted the way each network counts.

- X (Twitter): 280 weighted characters (twitter-text v3): a link counts 23, most Latin
  characters 1, CJK and emoji 2.
- Mastodon: 500 characters; a link counts 23, a mention `@user@instance` counts as `@user`.
- Bluesky: 300 graphemes (what a reader sees as one character: "é" written as e + accent,
  or a family emoji, is one).
- SMS: GSM 7-bit alphabet when every character is in it (160 per single SMS, 153 per part,
  `€ [ ] { } ^ ~ | \\` count twice); otherwise UCS-2 (70, then 67 per part). French `ê â î ô û
  ç œ` and the typographic apostrophe are not in GSM 7-bit: one of them makes the SMS
  Unicode and cuts its length by more than half.
- Facebook: 63,206 characters.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
MASTODON_MENTION = re.compile(r"(?<![\w/])(@\w+)@[\w.-]+\w", re.UNICODE)
LINK_LENGTH = 23

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")

# twitter-text v3 configuration: code point ranges that weigh 1 (100 of a 200 scale).
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_ZWJ = "\u200d"


@dataclass(frozen=True)
class Count:
    network: str
    used: int
    limit: int
    unit: str          # weighted / chars / graphemes / sms (the UI words them)
    encoding: str = ""  # SMS only: gsm7 or ucs2
    units: int = 0      # SMS only: septets or UTF-16 code units

    @property
    def ok(self) -> bool:
        return self.used <= self.limit


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return (0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF
            or 0x1F1E6 <= cp <= 0x1F1FF)


def _is_extender(ch: str) -> bool:
    """Characters that never start a grapheme of their own."""
    cp = ord(ch)
    return (unicodedata.combining(ch) != 0 or unicodedata.category(ch) in ("Mn", "Me")
            or 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F
            or ch == _ZWJ)


def graphemes(text: str) -> list[str]:
    """Approximate extended grapheme clusters: a base character plus its combining marks,
    variation selectors, skin tones and ZWJ-joined emoji; a flag (two regional indicators)
    is one. Enough for Bluesky's counter, without the `regex` package."""
    clusters: list[str] = []
    join_next = False
    for ch in text:
        if clusters and _continues(clusters[-1], ch, join_next):
            clusters[-1] += ch
        else:
            clusters.append(ch)
        join_next = ch == _ZWJ
    return clusters


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _continues(cluster: str, ch: str, after_zwj: bool) -> bool:
    """Does `ch` belong to the grapheme `cluster` ends with?"""
    if after_zwj or _is_extender(ch):
        return True
    if _regional(ch) and len(cluster) == 1 and _regional(cluster):
        return True  # the second half of a flag
    return ch == "\n" and cluster == "\r"


def x_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total = 0
    for part_index, part in enumerate(URL.split(text)):
        if part_index:
            total += LINK_LENGTH
        for cluster in graphemes(part):
            if any(_is_emoji(c) for c in cluster):
                total += 2
                continue
            for ch in cluster:
                cp = ord(ch)
                total += 1 if any(lo <= cp <= hi for lo, hi in _X_LIGHT) else 2
    return total


def mastodon_length(text: str) -> int:
    text = MASTODON_MENTION.sub(r"\1", text)
    urls = URL.findall(text)
    return len(URL.sub("", text)) + LINK_LENGTH * len(urls)


def bluesky_length(text: str) -> int:
    return len(graphemes(unicodedata.normalize("NFC", text)))


def sms_parts(text: str) -> tuple[int, str, int]:
    """(parts, encoding, units): GSM 7-bit septets or UCS-2 code units."""
    if all(c in GSM_BASIC or c in GSM_EXTENDED for c in text):
        units = sum(2 if c in GSM_EXTENDED else 1 for c in text)
        single, part = 160, 153
        encoding = "gsm7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
        encoding = "ucs2"
    parts = 1 if units <= single else math.ceil(units / part)
    return parts, encoding, units


def counts(text: str) -> list[Count]:
    """The counter of every network for one message text."""
    text = text or ""
    parts, encoding, units = sms_parts(text)
    return [
        Count("X", x_length(text), 280, "weighted"),
        Count("Mastodon", mastodon_length(text), 500, "chars"),
        Count("Bluesky", bluesky_length(text), 300, "graphemes"),
        Count("SMS", parts, 1, "sms", encoding=encoding, units=units),
        Count("Facebook", len(text), 63_206, "chars"),
    ]
