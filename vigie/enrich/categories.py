"""Categories of a post from the lexicon, each with the words that decided it.

A `strong` phrase decides a category on its own, a `weak` one needs a second clue. Scores
combine like independent clues (noisy-or), so two weak words make one category, and three
strong words are barely more certain than one. A post that matches nothing is `not_relevant`.

The learned model (`model.py`) may re-rank these; the lexicon reasons stay what the volunteer
sees, so a category is never shown without the words (or the model score) behind it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from vigie.enrich.lexicon import Entry, Hit, Hits, Matcher, group, load, surface
from vigie.enrich.text import Tokens

# The label set of DESIGN.md, in the order used to break ties: what needs action first.
LABELS = (
    "help_request",
    "missing_or_found",
    "casualties",
    "evacuation_shelter",
    "infrastructure",
    "roads_traffic",
    "caution_advice",
    "solidarity",
    "other_relevant",
    "sympathy",
    "not_relevant",
)
PRIORITY = {label: i for i, label in enumerate(LABELS)}
# Labels that do not make a post informative (DESIGN: help the cell act).
NOT_INFORMATIVE = frozenset({"sympathy", "not_relevant"})

STRONG = 0.8
WEAK = 0.3
THRESHOLD = 0.5
# Road numbers: D974, RD905, N7, RN74, A6, A31, CD21 (French departmental/national/motorways).
ROAD_RE = re.compile(r"(?:r?d|cd|r?n|a)\d{1,4}[a-z]?")


@dataclass
class CategoryResult:
    labels: list[str]  # most confident first; never empty
    reasons: dict[str, list[str]] = field(default_factory=dict)  # label -> words
    scores: dict[str, float] = field(default_factory=dict)  # label -> 0..1


def entries() -> list[Entry]:
    """Category phrases (kind "category") and exclusions (kind "category_exclude")."""
    out: list[Entry] = []
    for label, table in load("categories").items():
        if label not in PRIORITY:
            raise ValueError(f"unknown category in lexicon: {label}")
        out += [Entry(p, label, STRONG, "category") for p in table.get("strong", [])]
        out += [Entry(p, label, WEAK, "category") for p in table.get("weak", [])]
        out += [Entry(p, label, 0.0, "category_exclude") for p in table.get("exclude", [])]
    return out


_ROAD_ENTRY = Entry("<road number>", "roads_traffic", STRONG, "category")


@cache
def matcher() -> Matcher:
    return Matcher(entries())


def lexicon_scores(
    tokens: Tokens, hits: Hits | None = None
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Per-label noisy-or score and the words behind it (each word span counted once).

    `hits` are the tokens' lexicon hits when the caller already matched them (the pipeline
    matches every lexicon in one pass); otherwise they are found here.
    """
    if hits is None:
        hits = group(matcher().find(tokens))
    cat_hits = list(hits.get("category", ()))
    for i, w in enumerate(tokens.norm):
        if w[0] in "acdnr" and w[-1].isdigit() and ROAD_RE.fullmatch(w):
            cat_hits.append(Hit(_ROAD_ENTRY, i, i + 1))
    if not cat_hits:
        return {}, {}
    banned: dict[str, list[tuple[int, int]]] = {}
    for h in hits.get("category_exclude", ()):
        banned.setdefault(h.entry.label, []).append((h.start, h.end))
    by_label: dict[str, list[Hit]] = {}
    for h in cat_hits:
        spans = banned.get(h.entry.label)
        if spans and any(s <= h.start and h.end <= e for s, e in spans):
            continue
        by_label.setdefault(h.entry.label, []).append(h)
    scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}
    for label, lhits in by_label.items():
        # Longest and strongest first; a span overlapping an accepted one adds nothing.
        lhits.sort(key=lambda h: (h.start - h.end, -h.entry.weight))
        taken: list[tuple[int, int]] = []
        miss = 1.0
        words: list[str] = []
        for h in lhits:
            if any(h.start < e and s < h.end for s, e in taken):
                continue
            taken.append((h.start, h.end))
            miss *= 1.0 - h.entry.weight
            word = surface(tokens, h)
            if word not in words:
                words.append(word)
        scores[label] = 1.0 - miss
        reasons[label] = words
    return scores, reasons


def rank(scores: dict[str, float]) -> list[str]:
    """Labels by tier (a strong clue, else enough weak ones), then by PRIORITY.

    Within a tier, scores are not compared: three hazard words do not make a post more about
    "other" than one "killed" makes it about casualties.
    """
    return sorted(scores, key=lambda lab: (-_tier(scores[lab]), PRIORITY[lab]))


def _tier(score: float) -> int:
    return 2 if score >= STRONG - 1e-9 else 1 if score >= THRESHOLD else 0


def categorize(tokens: Tokens, hits: Hits | None = None) -> CategoryResult:
    """Lexicon-only categories: every label at or above THRESHOLD, else `not_relevant`."""
    return from_scores(*lexicon_scores(tokens, hits))


def from_scores(scores: dict[str, float], reasons: dict[str, list[str]]) -> CategoryResult:
    """Categories from lexicon scores (see `categorize`)."""
    labels = [lab for lab in rank(scores) if scores[lab] >= THRESHOLD]
    if len(labels) > 1 and "other_relevant" in labels:
        # "Other" means relevant to the crisis but in no specific category.
        labels.remove("other_relevant")
    if not labels:
        return CategoryResult(["not_relevant"], {"not_relevant": []}, {"not_relevant": 1.0})
    return CategoryResult(
        labels,
        {lab: reasons[lab] for lab in labels},
        {lab: round(scores[lab], 3) for lab in labels},
    )
