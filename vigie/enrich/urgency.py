"""Urgency of a post, 0..1, with the clues that raised it.

Clues come from `lexicons/urgency.toml` (tables with a weight each) plus the way the post is
written: several exclamation marks, words in capitals, an address or a named place. Only a
core clue (critical, injury, distress) makes a post urgent; the others amplify it. Clues combine
like independent evidence: 1 - prod(1 - weight). A "calming" phrase (safe, rescued) halves it.
The reasons are the words, shown to the volunteer next to the score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from vigie.enrich.lexicon import Entry, Hits, Matcher, group, load, surface
from vigie.enrich.text import Tokens, wordset

CORE = frozenset({"critical", "injury", "distress"})
MAX_HITS_PER_TABLE = 3  # further clues of one table are listed, not counted
EXCLAMATION_WEIGHT = 0.1
CAPS_WEIGHT = 0.1
LOCATION_WEIGHT = 0.2
# "12 rue ...", "au numéro 4", "street", "st." after a number: someone gives an address.
ADDRESS_WORDS = wordset(
    "rue avenue av bd boulevard chemin impasse allee place route lieu-dit lotissement residence "
    "batiment etage appartement numero street st road rd ave avenue lane drive floor calle "
    "via piazza"
)
_DIGIT = re.compile(r"\d")


@dataclass
class UrgencyResult:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def entries() -> list[Entry]:
    """Clues (kind "urgency", label = their table) and calming phrases (kind "calming")."""
    data = load("urgency")
    clues = [
        Entry(p, table, float(spec["weight"]), "urgency")
        for table, spec in data.items()
        if table != "calming"
        for p in spec["phrases"]
    ]
    calming = data.get("calming", {}).get("phrases", [])
    return clues + [Entry(p, "calming", 0.0, "calming") for p in calming]


@cache
def matcher() -> Matcher:
    return Matcher(entries())


def _has_address(tokens: Tokens) -> bool:
    norm = tokens.norm
    for i, w in enumerate(norm):
        if w in ADDRESS_WORDS:
            before = norm[i - 1] if i else ""
            after = norm[i + 1] if i + 1 < len(norm) else ""
            if _DIGIT.search(before) or _DIGIT.search(after) or (after and w != "st"):
                return True
    return False


def urgency(tokens: Tokens, *, has_place: bool = False, hits: Hits | None = None) -> UrgencyResult:
    """Score a tokenised post; `has_place` is True when the gazetteer found a commune."""
    grouped = group(matcher().find(tokens)) if hits is None else hits
    hits_list = list(grouped.get("urgency", ()))
    if not hits_list:
        return UrgencyResult()
    hits_list.sort(key=lambda h: (h.start, h.start - h.end))
    per_table: dict[str, int] = {}
    covered_until = -1
    miss = 1.0
    core = False
    reasons: list[str] = []
    amplifiers: list[tuple[float, str]] = []
    for h in hits_list:
        if h.start < covered_until:
            continue
        table = h.entry.label
        covered_until = h.end
        per_table[table] = per_table.get(table, 0) + 1
        weight = h.entry.weight if per_table[table] <= MAX_HITS_PER_TABLE else 0.0
        word = surface(tokens, h)
        if table in CORE:
            core = True
            miss *= 1.0 - weight
            if word not in reasons:
                reasons.append(word)
        else:
            amplifiers.append((weight, word))
    if not core:
        return UrgencyResult()
    for weight, word in amplifiers:
        miss *= 1.0 - weight
        if word not in reasons:
            reasons.append(word)
    if tokens.exclamations >= 2:
        miss *= 1.0 - EXCLAMATION_WEIGHT * min(tokens.exclamations - 1, 3)
        reasons.append("!" * min(tokens.exclamations, 3))
    if tokens.caps_words >= 2:
        miss *= 1.0 - CAPS_WEIGHT
        reasons.append("MAJUSCULES")
    if _has_address(tokens):
        miss *= 1.0 - LOCATION_WEIGHT
        reasons.append("adresse")
    elif has_place:
        miss *= 1.0 - LOCATION_WEIGHT / 2
        reasons.append("lieu")
    score = 1.0 - miss
    calm = grouped.get("calming")
    if calm:
        score *= 0.5
        reasons.append("rassurant: " + surface(tokens, calm[0]))
    return UrgencyResult(round(score, 3), reasons)
