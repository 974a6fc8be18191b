"""Text normalisation and tokenisation shared by every enrichment step.

One pass turns a post into tokens that lexicons, the gazetteer and the model all read, so that
"L'eau MONTE", "l’eau monte" and "#leaumonte"-free variants meet the same lexicon entry:

- case and accents are folded ("Évacuation" -> "evacuation");
- URLs and @mentions are dropped, and so is a leading retweet marker ("RT @x:"): a retweet
  reads exactly like the post it copies, so it gets the same analysis;
- a hashtag keeps its word ("#Inondation" -> "inondation") and a CamelCase hashtag is split
  ("#PrayForBoston" -> "pray for boston");
- French and Italian elisions are dropped ("l'eau" -> "eau", "qu'il" -> "il",
  "dell'acqua" -> "acqua"), and so are English clitics ("it's" -> "it");
- hyphens separate words ("Saint-Jean-de-Losne" -> saint jean de losne);
- a light plural stem ("inondations" -> "inondation") is kept beside each token.

The original capitalisation and sentence position are kept per token: the place matcher needs
them to tell "Tours" (the city) from "tours" (turns).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# "RT @x: RT @y: text": the markers a retweet (of a retweet) starts with.
RETWEET_RE = re.compile(r"^\s*(?:RT\s*@\w+\s*:?\s*)+", re.IGNORECASE)
# A word: letters/digits, no underscore. Apostrophes and hyphens split words.
# Split a hashtag where a lower-case letter meets a capital: "PrayForBoston", not "ABflood".
CAMEL_RE = re.compile(r"[A-ZÀ-ÖØ-Þ]*[a-zß-öø-ÿ]+|[A-ZÀ-ÖØ-Þ]+|\d+")
# One pass: sentence punctuation, an @mention (skipped whole, "@Kelly_Metz" included), or a
# word with its '#' prefix and, when an elided word
# ends with an apostrophe before a letter ("l'eau"), that apostrophe.
_TOKEN_RE = re.compile(
    r"(?P<stop>[.!?:;\n…])|(?P<mention>@\w+)"
    r"|(?P<pre>#?)(?P<w>[^\W_]+)(?P<apo>['’ʼ‘`´](?=[^\W\d_]))?"
)

def wordset(words: str) -> frozenset[str]:
    """A frozenset from a space-separated string (keeps long word lists readable)."""
    return frozenset(words.split())


# Words whose final letter was elided before an apostrophe (French and Italian).
ELISIONS = wordset(
    "l d j m n s t c qu jusqu lorsqu puisqu presqu quoiqu quelqu "
    "dell nell all dall sull coll un quell bell sant dov com"
)
# English clitics after an apostrophe.
CLITICS = wordset("s t re ve ll d m")


def _fold_table() -> dict[int, str]:
    """Map each accented Latin letter to its base letter(s); built once."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base and base != ch:
            table[code] = base.lower()
    table.update({ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae",
                  ord("ß"): "ss", ord("ø"): "o", ord("Ø"): "o", ord("ł"): "l", ord("đ"): "d"})
    return table


FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Côte-d'Or' -> "cote-d'or"."""
    return text.lower().translate(FOLD)


def stem(token: str) -> str:
    """A light plural stem, the same for lexicon entries and text.

    Only a final s/x is dropped on words longer than three letters: enough to join
    'inondations'/'inondation', 'eaux'/'eau', 'roads'/'road' without a real stemmer.
    """
    if len(token) > 3 and token[-1] in "sx" and token[-2] != "s":
        return token[:-1]
    return token


@dataclass(slots=True)
class Tokens:
    """Parallel lists, one entry per token (kept as lists: they are read in tight loops)."""

    raw: list[str]  # lower-cased token as written, accents kept (shown to people)
    norm: list[str]  # folded token
    stem: list[str]  # folded, light plural stem
    cap: list[bool]  # first letter upper-case in the original text
    initial: list[bool]  # first token of a sentence (capitalised for grammar, not as a name)
    hashtag: list[bool]
    exclamations: int = 0
    caps_words: int = 0  # words of 3+ letters written all in capitals
    words: int = 0

    def __len__(self) -> int:
        return len(self.norm)


def retweeted(text: str) -> str:
    """The text without its leading retweet markers ("RT @x: Crue" -> "Crue")."""
    marker = RETWEET_RE.match(text)
    return text[marker.end():] if marker else text


_WORDS: dict[str, tuple[str, str, str, bool, bool]] = {}
_WORDS_MAX = 200_000  # memo of word -> forms; cleared when full (words are Zipfian)


def _forms(word: str) -> tuple[str, str, str, bool, bool]:
    """(lower-cased, folded, stem, capitalised, all capitals) of a word as written."""
    low = word.lower()
    f = low.translate(FOLD)
    return (low, f, stem(f), word[0].isupper(),
            len(word) >= 3 and word.isupper() and word.isalpha())


def tokenize(text: str) -> Tokens:
    """Tokenise a post; see the module docstring for what is folded and dropped."""
    text = URL_RE.sub(" ", retweeted(text or ""))
    raws: list[str] = []
    norm: list[str] = []
    stems: list[str] = []
    cap: list[bool] = []
    initial: list[bool] = []
    hashtag: list[bool] = []
    caps_words = 0
    sentence_start = True
    apostrophe_end = -1  # where the last word's trailing apostrophe ended
    words = _WORDS
    if len(words) > _WORDS_MAX:
        words.clear()
    for m in _TOKEN_RE.finditer(text):
        stop, _mention, pre, raw, apo = m.groups()
        if raw is None:
            if stop:
                sentence_start = True
            continue
        after_apostrophe = apostrophe_end == m.start()
        apostrophe_end = m.end() if apo else -1
        forms = words.get(raw)
        if forms is None:
            forms = words[raw] = _forms(raw)
        low = forms[0]
        if apostrophe_end > 0 and low in ELISIONS:
            continue
        if after_apostrophe and low in CLITICS:
            continue
        caps_words += forms[4]
        is_tag = pre == "#"
        parts = (CAMEL_RE.findall(raw) or [raw]) if (
            is_tag and not raw.islower() and not raw.isupper()) else None
        if parts is not None and len(parts) > 1:
            for i, part in enumerate(parts):  # "#PrayForBoston": one token per word
                p_low, p_fold, p_stem, p_cap, _ = _forms(part)
                raws.append(p_low)
                norm.append(p_fold)
                stems.append(p_stem)
                cap.append(p_cap)
                initial.append(sentence_start and not i)
                hashtag.append(True)
        else:
            raws.append(low)
            norm.append(forms[1])
            stems.append(forms[2])
            cap.append(forms[3] if parts is None else parts[0][0].isupper())
            initial.append(sentence_start)
            hashtag.append(is_tag)
        sentence_start = False
    return Tokens(raws, norm, stems, cap, initial, hashtag, text.count("!"), caps_words, len(norm))


def phrase_tokens(phrase: str) -> list[str]:
    """Fold a lexicon phrase into tokens the same way text is, keeping '*' wildcards.

    'l'eau monte' -> ['eau', 'monte']; 'évacu*' -> ['evacu*']; 'avant * supprim*' keeps the
    lone '*' (any one token).
    """
    out: list[str] = []
    for raw in phrase.replace("’", "'").split():
        wild = raw.endswith("*")
        body = raw.rstrip("*")
        if not body:
            out.append("*")
            continue
        toks = tokenize(body).norm
        if not toks:
            continue
        if wild:
            toks[-1] += "*"
        out.extend(toks)
    return out
