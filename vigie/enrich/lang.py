"""Language of a post: fr, en, es, it, de, pt or nl, or None when the text cannot tell.

A source-given language (Mastodon, Bluesky `langs`, a CSV column) wins. Otherwise the text is
scored by its function words (articles, pronouns, prepositions: the words every sentence has)
and a few letters and endings that only some of these languages use ("ñ", "ß", "-zione").
A word shared by several languages ("de", "la", "in") counts for each, divided among them.

Why no library: the usual detectors either load models of several megabytes (langid,
fastText, lingua) or are slow and random unless seeded (langdetect). Crisis posts are short,
the set of languages is small, and this scorer costs a few microseconds per post; it is also
explainable ("7 French function words").
"""

from __future__ import annotations

from collections.abc import Sequence

from vigie.enrich.text import Tokens, fold

SUPPORTED = ("fr", "en", "es", "it", "de", "pt", "nl")

# Folded (accent-free) function words. Keep each list to frequent, short words.
_STOPWORDS = {
    "fr": """le la les l un une des du de d au aux et ou mais donc car ni que qui quoi dont ou
        ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs je tu il
        elle on nous vous ils elles me te se lui y en ne pas plus tres est sont etait ete etre
        avoir ai as avons avez ont a sur sous dans par pour avec sans chez vers entre apres avant
        depuis pendant comme tout tous toute toutes aussi encore deja ici la-bas c ca cela ceci
        rien personne quand si oui non merci bien fait faire peut doit vont va""",
    "en": """the a an and or but of to in on at for with from by about into over after before
        is are was were be been being have has had do does did will would can could should may
        might must i you he she it we they me him her us them my your his its our their this
        that these those there here what which who whom when where why how not no yes all any
        some more most just only also very so than then too up out if as get got""",
    "es": """el la los las un una unos unas de del al y o pero que quien como cuando donde por
        para con sin sobre entre hasta desde es son era fue ser estar esta estan esta estoy hay
        ha han he yo tu el ella nosotros ellos ellas me te se le les lo nos mi mis tu tus su sus
        muy mas ya no si tambien todo todos este esta estos estas ese esa eso aqui alli porque
        hoy ahora pues gracias""",
    "it": """il lo la i gli le un uno una di del della dei delle dello degli al alla ai alle e ed
        o ma che chi come quando dove perche per con su tra fra da in non si e sono era stato
        essere ho hai ha abbiamo hanno io tu lui lei noi voi loro mi ti ci vi mio mia miei tuo
        suo sua nostro questo questa questi quello quella anche ancora gia molto piu tutto tutti
        qui li cosa sempre oggi ora""",
    "de": """der die das den dem des ein eine einen einem einer und oder aber nicht kein keine
        ist sind war waren sein haben hat hatte wird werden ich du er sie es wir ihr mich dich
        sich uns euch mein dein sein ihr unser mit von zu bei nach aus fur uber unter auf an im
        am um vom zum zur auch noch schon sehr wie was wer wo warum dass wenn weil hier dort""",
    "pt": """o a os as um uma uns umas de do da dos das no na nos nas ao aos e ou mas que quem
        como quando onde por para com sem sobre entre ate desde e sao era foi ser estar esta
        estao estou ha eu tu ele ela nos eles elas me te se lhe lhes meu minha seu sua muito
        mais ja nao sim tambem todo todos isso isto aqui ali porque voce obrigado em pra num numa
        pelo pela""",
    "nl": """de het een en of maar niet geen is zijn was waren hebben heeft had wordt worden ik
        jij je hij zij ze wij we jullie mij me zich ons mijn jouw zijn haar onze van te bij
        naar uit voor over onder op aan in met om ook nog al zeer heel hoe wat wie waar waarom
        dat als omdat hier daar deze dit die er""",
}

# Letters that only some of the languages write (checked on the lower-cased raw text).
_LETTERS = {
    "ñ": {"es": 2.0}, "¿": {"es": 2.0}, "¡": {"es": 1.5},
    "ã": {"pt": 2.0}, "õ": {"pt": 2.0},
    "ß": {"de": 2.0}, "ä": {"de": 1.5}, "ö": {"de": 1.0, "nl": 0.3}, "ü": {"de": 1.5},
    "ç": {"fr": 1.0, "pt": 1.0},
    "è": {"fr": 0.8, "it": 0.8}, "ê": {"fr": 1.0, "pt": 0.5}, "à": {"fr": 1.0, "it": 0.5},
    "â": {"fr": 1.0, "pt": 0.5}, "î": {"fr": 1.0}, "ô": {"fr": 1.0, "pt": 0.5},
    "û": {"fr": 1.0}, "ù": {"fr": 1.0, "it": 0.5}, "œ": {"fr": 1.5},
    "ì": {"it": 1.5}, "ò": {"it": 1.5},
    "á": {"es": 0.8, "pt": 0.8}, "í": {"es": 0.8, "pt": 0.5}, "ó": {"es": 0.8, "pt": 0.5},
    "ú": {"es": 0.8, "pt": 0.5},
}
LETTERS = frozenset(_LETTERS)  # what `scores` reads of the raw text
# Word endings typical of one language (on folded tokens of 5+ letters).
_ENDINGS = {
    "zione": {"it": 1.0}, "zioni": {"it": 1.0}, "cion": {"es": 0.6}, "ciones": {"es": 1.0},
    "cao": {"pt": 1.0}, "coes": {"pt": 1.0}, "mente": {"es": 0.4, "it": 0.4, "pt": 0.4},
    "ement": {"fr": 0.6}, "eux": {"fr": 0.6}, "aient": {"fr": 1.0}, "ait": {"fr": 0.5},
    "ing": {"en": 0.6}, "ed": {"en": 0.2}, "ly": {"en": 0.5}, "ness": {"en": 1.0},
    "ung": {"de": 1.0}, "heit": {"de": 1.0}, "keit": {"de": 1.0}, "lijk": {"nl": 1.0},
    "tje": {"nl": 1.0}, "ij": {"nl": 0.5},
}


def _weights() -> dict[str, dict[str, float]]:
    owners: dict[str, list[str]] = {}
    for lang, words in _STOPWORDS.items():
        for w in set(fold(words).split()):
            owners.setdefault(w, []).append(lang)
    return {w: {lang: 1.0 / len(langs) for lang in langs} for w, langs in owners.items()}


_WORDS = _weights()
_ENDING_LENGTHS = sorted({len(e) for e in _ENDINGS}, reverse=True)


def normalize_tag(tag: str | Sequence[str] | None) -> str | None:
    """'fr-FR' -> 'fr'; ['pt-BR'] -> 'pt'; '' or 'und' -> None."""
    if tag is None:
        return None
    if not isinstance(tag, str):
        tag = next((t for t in tag if t), "")
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if len(primary) not in (2, 3) or primary in ("und", "mul", "zxx"):
        return None
    return primary


_EVIDENCE: dict[str, tuple[tuple[str, float], ...]] = {}
_EVIDENCE_MAX = 200_000  # memo of word -> evidence; cleared when full (words are Zipfian)


def _word_evidence(w: str) -> tuple[tuple[str, float], ...]:
    """What one folded word says: its function-word shares, then its ending's hint."""
    found: list[tuple[str, float]] = list((_WORDS.get(w) or {}).items())
    if len(w) >= 5:
        for n in _ENDING_LENGTHS:
            hint = _ENDINGS.get(w[-n:])
            if hint:
                found.extend(hint.items())
                break
    return tuple(found)


def scores(tokens: Tokens, raw_lower: str = "") -> dict[str, float]:
    """Evidence per language (function words, letters, endings)."""
    out = dict.fromkeys(SUPPORTED, 0.0)
    memo = _EVIDENCE
    if len(memo) > _EVIDENCE_MAX:
        memo.clear()
    for w in tokens.norm:
        evidence = memo.get(w)
        if evidence is None:
            evidence = memo[w] = _word_evidence(w)
        for lang, s in evidence:
            out[lang] += s
    if raw_lower:
        for ch in set(raw_lower).intersection(_LETTERS):
            for lang, s in _LETTERS[ch].items():
                out[lang] += s
    return out


def detect(tokens: Tokens, raw_text: str = "", *, min_score: float = 1.0) -> str | None:
    """Best-scoring language, or None when the evidence is thin or tied."""
    sc = scores(tokens, raw_text.lower())
    ranked = sorted(sc.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < min_score or top <= second * 1.2:
        return None
    return best


def language(tokens: Tokens, raw_text: str, given: str | Sequence[str] | None = None) -> str | None:
    """The source-given language when there is one, else the detected one."""
    return normalize_tag(given) or detect(tokens, raw_text)
