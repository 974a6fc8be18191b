"""Reliability on the Admiralty scale, and how two raters' views are shown side by side.

The source is rated from A (completely reliable) to F (cannot be judged), the information
from 1 (confirmed by other sources) to 6 (cannot be judged). Several volunteers may rate the
same post; their ratings are listed and a disagreement is marked, never averaged away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vigie.i18n import Catalog

_ = Catalog({
    "A": ("A — complètement fiable", "A — completely reliable"),
    "B": ("B — habituellement fiable", "B — usually reliable"),
    "C": ("C — plutôt fiable", "C — fairly reliable"),
    "D": ("D — pas toujours fiable", "D — not usually reliable"),
    "E": ("E — peu fiable", "E — unreliable"),
    "F": ("F — fiabilité inconnue", "F — reliability cannot be judged"),
    "1": ("1 — confirmée par d'autres sources", "1 — confirmed by other sources"),
    "2": ("2 — probablement vraie", "2 — probably true"),
    "3": ("3 — possiblement vraie", "3 — possibly true"),
    "4": ("4 — douteuse", "4 — doubtful"),
    "5": ("5 — improbable", "5 — improbable"),
    "6": ("6 — impossible à évaluer", "6 — truth cannot be judged"),
})

SOURCES = ("A", "B", "C", "D", "E", "F")
INFOS = (1, 2, 3, 4, 5, 6)


def source_label(letter: str) -> str:
    return _(letter)


def info_label(digit: int) -> str:
    return _(str(digit))


def code(source: str | None, info: int | None) -> str:
    """"B2"; a missing half is shown as "?"."""
    return f"{source or '?'}{info if info is not None else '?'}"


@dataclass
class PostRatings:
    """One post's ratings: each rater's own code, and where they disagree."""

    by_rater: dict[str, str] = field(default_factory=dict)
    disagree_source: bool = False
    disagree_info: bool = False

    @property
    def disagree(self) -> bool:
        return self.disagree_source or self.disagree_info


def summarize(rows: Iterable[dict[str, Any]]) -> dict[str, PostRatings]:
    """Group rating rows by post. A disagreement is two raters giving the same post a
    different source letter or a different information digit (a half left blank by one
    rater is not a disagreement)."""
    out: dict[str, PostRatings] = {}
    sources: dict[str, set[str]] = {}
    infos: dict[str, set[int]] = {}
    for r in rows:
        post = r["post_id"]
        pr = out.setdefault(post, PostRatings())
        pr.by_rater[r["rater"]] = code(r.get("source_rating"), r.get("info_rating"))
        if r.get("source_rating"):
            sources.setdefault(post, set()).add(r["source_rating"])
        if r.get("info_rating") is not None:
            infos.setdefault(post, set()).add(int(r["info_rating"]))
    for post, pr in out.items():
        pr.disagree_source = len(sources.get(post, ())) > 1
        pr.disagree_info = len(infos.get(post, ())) > 1
    return out
