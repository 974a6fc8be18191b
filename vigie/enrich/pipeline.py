"""Enrich one post: language, categories, urgency, rumor signals, place, near-duplicate cluster.

`enrich` is pure apart from the cluster index it is given (the store passes its own; without
one the post is its own cluster). It tokenises once and every step reads the same tokens.
`apply` copies the result onto the Post: the fields Post has (lang, place, lat, lon, precision)
and the rest under `post.extra["enrichment"]`, a JSON-ready dict the store turns into columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from vigie.enrich import categories as cat
from vigie.enrich import model as learned
from vigie.enrich.dedup import ClusterIndex, Keys, cluster, content_words, keys_for
from vigie.enrich.lang import LETTERS, language
from vigie.enrich.matching import all_hits
from vigie.enrich.places import locate
from vigie.enrich.rumor import rumor_signals
from vigie.enrich.text import Tokens, retweeted, tokenize
from vigie.enrich.urgency import urgency
from vigie.models import Post


@dataclass
class Enrichment:
    lang: str | None = None
    categories: list[str] = field(default_factory=list)  # most confident first
    category_reasons: dict[str, list[str]] = field(default_factory=dict)  # label -> words
    category_scores: dict[str, float] = field(default_factory=dict)  # label -> 0..1
    urgency: float = 0.0
    urgency_reasons: list[str] = field(default_factory=list)
    rumor_signals: list[str] = field(default_factory=list)
    place: str | None = None
    insee: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str = "unknown"  # exact | commune | unknown
    place_words: str | None = None  # the words that named the place
    cluster_id: str | None = None
    cluster_similarity: float = 0.0  # to the post it joined; 0 for a new cluster

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def enrich(
    post: Post,
    *,
    departements: Sequence[str] = ("21",),
    index: ClusterIndex | None = None,
    model: learned.Model | object | None = None,
    tokens: Any = None,
    dedup_keys: Keys | None = None,
    analysed: Enrichment | None = None,
) -> Enrichment:
    """All enrichment of one post (see the package modules for each step): `analyse`, then
    the near-duplicate cluster from `index`.

    `model`: None uses the shipped model when its file exists (else the lexicon alone);
    `learned.NO_MODEL` forces the lexicon alone; a `learned.Model` is used as given.
    `tokens`, `dedup_keys` and `analysed` pass what a caller computed already (`tokenize`,
    `dedup.keys_for`, `analyse`, possibly in another process), so nothing is done twice.
    """
    text = post.text or ""
    if analysed is None:
        tokens = tokenize(text) if tokens is None else tokens
        out = analyse(post, departements=departements, model=model, tokens=tokens)
    else:
        out = analysed
    if index is not None:
        words = tokens.norm if tokens is not None else None
        res = cluster(post.id, text, index, words=words, keys=dedup_keys)
        out.cluster_id, out.cluster_similarity = res.cluster_id, res.similarity
    else:
        out.cluster_id = post.id
    return out


def analyse(
    post: Post,
    *,
    departements: Sequence[str] = ("21",),
    model: learned.Model | object | None = None,
    tokens: Any = None,
) -> Enrichment:
    """Everything but the cluster: a pure function of the post, so it may run anywhere.
    A retweet is analysed as the text it copies (vigie.enrich.text)."""
    text = retweeted(post.text or "")
    tokens = tokenize(text) if tokens is None else tokens  # callers that tokenised already
    given_lang = post.lang or (post.extra or {}).get("langs")
    out = Enrichment(lang=language(tokens, text, given_lang))

    match = locate(
        tokens, lat=post.lat, lon=post.lon, place=post.place, departements=departements
    )
    if match is not None:
        out.place, out.insee, out.lat, out.lon = match.name, match.insee, match.lat, match.lon
        out.precision, out.place_words = match.precision, match.words

    hits = all_hits(tokens)
    scores, reasons = cat.lexicon_scores(tokens, hits)
    mdl = learned.default_model() if model is None else model
    if isinstance(mdl, learned.Model):
        pred = mdl.predict(learned.hashed(learned.features(tokens, scores, out.lang)))
        out.categories, out.category_reasons, out.category_scores = learned.relabel(
            pred, mdl.threshold, scores, reasons)
    else:
        result = cat.from_scores(scores, reasons)
        out.categories, out.category_reasons = result.labels, result.reasons
        out.category_scores = result.scores

    urg = urgency(tokens, has_place=match is not None, hits=hits)
    out.urgency, out.urgency_reasons = urg.score, urg.reasons
    out.rumor_signals = rumor_signals(tokens, hits)
    return out


class AnalysisMemo:
    """`analyse` and the dedup keys of recent posts, by everything they read.

    A retweet storm or a message copied with other links repeats the same tokens many
    times; their analysis is then the same too. The key is every input the analysis reads
    (the tokens with their case and position flags, the letters the language guess looks at,
    the source's language, geotag and place field, the départements), so a hit returns what
    `analyse` would compute, as a copy the caller may change. Bounded: cleared when full.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._memo: dict[tuple, tuple[Enrichment, Keys | None]] = {}

    def analyse(self, post: Post, tokens: Tokens,
                departements: tuple[str, ...]) -> tuple[Enrichment, Keys | None]:
        """(Enrichment without a cluster, dedup keys) of one post."""
        text = retweeted(post.text or "")
        langs = (post.extra or {}).get("langs")
        key = (tuple(tokens.raw), tuple(tokens.cap), tuple(tokens.initial),
               tuple(tokens.hashtag), tokens.exclamations, tokens.caps_words,
               frozenset(text.lower()).intersection(LETTERS), post.lang,
               tuple(langs) if isinstance(langs, list) else langs, post.lat, post.lon,
               post.place, departements)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= self.size:
                self._memo.clear()
            found = self._memo[key] = (
                analyse(post, departements=departements, tokens=tokens),
                keys_for(content_words(tokens.norm)))
        return replace(found[0]), found[1]


def apply(post: Post, enrichment: Enrichment) -> Post:
    """Fill the Post from an Enrichment (in place; returns the post for chaining).

    A language or geotag the source gave is kept; a place found in the text never overrides
    coordinates the post already had.
    """
    if not post.lang and enrichment.lang:
        post.lang = enrichment.lang
    if enrichment.precision != "unknown" and (post.lat is None or post.lon is None):
        post.lat, post.lon = enrichment.lat, enrichment.lon
        post.precision = enrichment.precision
    elif post.lat is not None and post.lon is not None:
        post.precision = "exact"
    if not post.place and enrichment.place:
        post.place = enrichment.place
    post.extra["enrichment"] = {
        k: v
        for k, v in enrichment.as_dict().items()
        if k not in ("lang", "lat", "lon", "place", "precision")
    }
    return post
