"""A phrase matcher over tokens, compiled once from the lexicon files.

Lexicon entries are phrases written as a person would write them ("l'eau monte",
"évacu*", "partagez avant * supprim*"); they are folded the same way as post text
(see `text.py`). Inside a phrase:

- a plain word matches the same word, singular or plural ("inondation" matches
  "Inondations", "#inondation");
- a word ending in `*` matches any word with that prefix ("évacu*" matches "évacuation",
  "evacuated", "évacués");
- a lone `*` matches any one word.

Matching costs O(tokens x distinct prefix lengths) dictionary look-ups: the first word of every
phrase is indexed, and the rest is only checked where a first word matched.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from vigie.enrich.text import Tokens, phrase_tokens, stem

LEXICON_DIR = Path(__file__).parent / "lexicons"


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon phrase and what it stands for (a label and a weight).

    `kind` says which lexicon it comes from ("category", "urgency", "rumor"...), so that one
    matcher can serve every step in a single pass over the tokens.
    """

    phrase: str
    label: str
    weight: float
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    start: int
    end: int  # exclusive token index


# A compiled word: (0, stem) exact, (1, prefix) prefix, (2, "") any word.
_Word = tuple[int, str]


def _compile_word(tok: str) -> _Word:
    if tok == "*":
        return (2, "")
    if tok.endswith("*"):
        return (1, tok[:-1])
    return (0, stem(tok))


class Matcher:
    """Finds every lexicon phrase in a token list."""

    def __init__(self, entries: Iterable[Entry]):
        self._exact: dict[str, list[tuple[list[_Word], Entry]]] = {}
        self._prefix: dict[str, list[tuple[list[_Word], Entry]]] = {}
        lengths: set[int] = set()
        self.size = 0
        for entry in entries:
            words = [_compile_word(t) for t in phrase_tokens(entry.phrase)]
            if not words or words[0][0] == 2:
                continue
            kind, value = words[0]
            if kind == 0:
                self._exact.setdefault(value, []).append((words[1:], entry))
            else:
                self._prefix.setdefault(value, []).append((words[1:], entry))
                lengths.add(len(value))
            self.size += 1
        self._lengths = sorted(lengths)
        # The prefix lengths worth trying for a word, by its first MIN_PREFIX letters: most
        # words start like no prefix entry and cost one look-up instead of one per length.
        self._min_prefix = min(lengths, default=0)
        by_start: dict[str, set[int]] = {}
        for value in self._prefix:
            by_start.setdefault(value[: self._min_prefix], set()).add(len(value))
        self._by_start = {k: sorted(v) for k, v in by_start.items()}

    def find(self, tokens: Tokens) -> list[Hit]:
        """All hits, in text order; a phrase may overlap another one."""
        hits: list[Hit] = []
        norm, stems = tokens.norm, tokens.stem
        n = len(norm)
        exact, prefix, by_start = self._exact, self._prefix, self._by_start
        shortest = self._min_prefix
        for i in range(n):
            cands = exact.get(stems[i])
            if cands:
                self._extend(hits, cands, i, norm, stems, n)
            word = norm[i]
            wl = len(word)
            if wl < shortest:
                continue
            for length in by_start.get(word[:shortest], ()):
                if length > wl:
                    break
                cands = prefix.get(word[:length])
                if cands:
                    self._extend(hits, cands, i, norm, stems, n)
        return hits

    @staticmethod
    def _extend(hits, cands, i, norm, stems, n) -> None:
        for rest, entry in cands:
            j = i + 1
            if j + len(rest) > n:
                continue
            ok = True
            for kind, value in rest:
                if kind == 0:
                    ok = stems[j] == value
                elif kind == 1:
                    ok = norm[j].startswith(value)
                if not ok:
                    break
                j += 1
            if ok:
                hits.append(Hit(entry, i, j))


Hits = dict[str, list[Hit]]  # hits grouped by Entry.kind


def group(hits: list[Hit]) -> Hits:
    out: Hits = {}
    for h in hits:
        out.setdefault(h.entry.kind, []).append(h)
    return out


def surface(tokens: Tokens, hit: Hit) -> str:
    """The words of the post that made a hit, lower-cased ("eau monte", "coincé")."""
    return " ".join(tokens.raw[hit.start : hit.end])


@cache
def load(name: str) -> dict:
    """Read `lexicons/<name>.toml` once per process."""
    with (LEXICON_DIR / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)
