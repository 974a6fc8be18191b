"""A debunked claim as schema.org ClaimReview in JSON-LD (what fact-checkers publish and
search engines read).

The rating uses a 1-5 scale with the French verdict as `alternateName` ("Faux",
"Trompeur"). The claim's authors are never named: the rumour was spread by private people,
so `itemReviewed` only says where and when it appeared.
"""

from __future__ import annotations

import os
from typing import Any

from vigie.messages import with_exercise_prefix

DEFAULT_ORGANISATION = "Vigie — cellule de crise"
RATINGS = {"false": (1, "Faux"), "misleading": (2, "Trompeur")}
MAX_APPEARANCES = 20


def organisation() -> str:
    return os.environ.get("VIGIE_ORGANISATION") or DEFAULT_ORGANISATION


def _creative_work(post: dict[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if post.get("url"):
        work["url"] = post["url"]
    if post.get("created_at"):
        work["datePublished"] = post["created_at"]
    return work


def to_claimreview(claim: dict[str, Any], appearances: list[dict[str, Any]], *,
                   exercise: bool, review_url: str | None = None) -> dict[str, Any]:
    """The JSON-LD document (a dict; `json.dumps` it) for a claim judged false or
    misleading."""
    if claim.get("status") not in RATINGS:
        raise ValueError("only a claim judged false or misleading has a ClaimReview")
    value, label = RATINGS[claim["status"]]
    published = claim.get("verdict_at") or claim.get("updated_at") or claim["created_at"]
    seen = [a for a in appearances if a.get("url") or a.get("created_at")]
    item: dict[str, Any] = {
        "@type": "Claim",
        "name": claim["title"],
        "author": {"@type": "Organization", "name": "Publications sur les réseaux sociaux"},
    }
    if seen:
        item["firstAppearance"] = _creative_work(seen[0])
        item["appearance"] = [_creative_work(a) for a in seen[:MAX_APPEARANCES]]
        if seen[0].get("created_at"):
            item["datePublished"] = seen[0]["created_at"]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "datePublished": published,
        "inLanguage": "fr",
        "author": {"@type": "Organization", "name": organisation()},
        "claimReviewed": with_exercise_prefix(claim["title"], exercise),
        "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5,
                         "worstRating": 1, "alternateName": label},
        "itemReviewed": item,
    }
    body = claim.get("public_message") or claim.get("verdict_note")
    if body:
        review["reviewBody"] = with_exercise_prefix(body, exercise)
    if review_url:
        review["url"] = review_url
    if exercise:
        review["description"] = "EXERCICE — vérification d'exercice, ne pas diffuser comme réelle."
    return review
