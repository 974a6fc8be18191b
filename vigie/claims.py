"""Verification of claims: which moves are allowed, verdicts, publication, suggestions.

A claim goes `to_verify → investigating → confirmed | false | misleading | unverifiable`.
Any volunteer moves it forward or back to `to_verify` while it is investigated; a verdict can
only be reopened by a coordinator (reopening takes it off the public map). Only coordinators
publish a verdict, and only with the public message that goes with it. Vigie writes a line in
the main courante for every verdict, reopening and publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from vigie.acting import Refused, ensure
from vigie.auth import User
from vigie.durations import seconds_between
from vigie.enrich.text import tokenize, wordset
from vigie.i18n import Catalog
from vigie.store import Store
from vigie.store.claims import CLAIM_STATUSES, VERDICTS

_ = Catalog({
    "to_verify": ("À vérifier", "To verify"),
    "investigating": ("En cours", "Investigating"),
    "confirmed": ("Confirmée", "Confirmed"),
    "false": ("Fausse", "False"),
    "misleading": ("Trompeuse", "Misleading"),
    "unverifiable": ("Invérifiable", "Unverifiable"),
    "bad_move": ("Passage de « {a} » à « {b} » impossible.", "Cannot move from {a} to {b}."),
    "need_note": ("Un verdict demande une note de vérification (sources, raisonnement).",
                  "A verdict needs a verification note (sources, reasoning)."),
    "need_verdict": ("Seul un verdict (confirmée, fausse, trompeuse, invérifiable) se publie.",
                     "Only a verdict (confirmed, false, misleading, unverifiable) is published."),
    "need_message": ("Rédigez d'abord le message public qui accompagnera le verdict.",
                     "Write the public message that goes with the verdict first."),
    "need_title": ("Donnez un titre à l'affirmation.", "Give the claim a title."),
    "published_message": ("Le message public d'une affirmation publiée ne se change que par un "
                          "coordinateur.", "Only a coordinator changes the public message of a "
                          "published claim."),
    "log_verdict": ("Verdict « {status} » sur l'affirmation n°{id} « {title} » (par {who}).",
                    "Verdict \"{status}\" on claim #{id} \"{title}\" (by {who})."),
    "log_reopen": ("Affirmation n°{id} « {title} » rouverte par {who}{unpublished}.",
                   "Claim #{id} \"{title}\" reopened by {who}{unpublished}."),
    "log_unpublished": (", retirée de la carte publique", ", taken off the public map"),
    "log_publish": ("Affirmation n°{id} « {title} » publiée sur la carte publique ({status}) "
                    "par {who} : {message}", "Claim #{id} \"{title}\" published on the public "
                    "map ({status}) by {who}: {message}"),
    "log_unpublish": ("Affirmation n°{id} « {title} » retirée de la carte publique par {who}.",
                      "Claim #{id} \"{title}\" taken off the public map by {who}."),
    "why_cluster": ("même groupe de publications", "same group of posts"),
    "why_words": ("mots communs : {words}", "shared words: {words}"),
})

LOG_LANG = "fr"  # the main courante is written in the cell's language
SPARK = "▁▂▃▄▅▆▇█"
MAX_SPARK = 36
STOPWORDS = wordset(
    "dans pour avec sont cette comme fait etre avoir tout tous toute plus mais nous vous elle "
    "elles leur leurs sans chez depuis encore aussi alors apres avant tres deja quand faut "
    "this that from with have been were they their there what will would about just your "
    "partagez svp urgent vrai")


def status_label(status: str, lang: str | None = None) -> str:
    return _(status, lang)


def allowed_moves(status: str, user: User | None) -> list[str]:
    """The statuses a user may move a claim to from `status`."""
    if user is None or not user.can("volunteer"):
        return []
    if status == "to_verify":
        return ["investigating"]
    if status == "investigating":
        return ["to_verify", *VERDICTS]
    if status in VERDICTS and user.can("coordinator"):
        return ["investigating"]
    return []


def _short(text: str | None, n: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def create(store: Store, user: User | None, title: str, posts, *,
           incident_id: int | None = None, cluster_id: str | None = None) -> int:
    ensure(user, "volunteer")
    if not (title or "").strip():
        raise Refused(_("need_title"))
    return store.create_claim(title.strip(), user.username, posts=posts,
                              incident_id=incident_id, cluster_id=cluster_id)


def save(store: Store, user: User | None, claim: dict[str, Any], changes: dict[str, Any],
         status: str | None = None, *, incident_id: int | None = None) -> dict[str, Any]:
    """Edit a claim's fields and, if `status` differs, move it, all in one transaction and
    against the version the user saw (`claim["version"]`)."""
    ensure(user, "volunteer")
    changes = {k: v for k, v in changes.items() if v != (claim.get(k) or "")}
    if "title" in changes and not (changes["title"] or "").strip():
        raise Refused(_("need_title"))
    if ("public_message" in changes and claim.get("published")
            and not user.can("coordinator")):
        raise Refused(_("published_message"))
    moving = status is not None and status != claim["status"]
    if not changes and not moving:
        return claim
    with store.write():
        row = claim
        fields = {k: v for k, v in changes.items() if k not in ("verdict_note",
                                                                "public_message")}
        texts = {k: v for k, v in changes.items() if k in ("verdict_note", "public_message")}
        if fields or (texts and not moving):
            row = store.update_claim(claim["id"], claim["version"], {**fields, **(
                {} if moving else texts)}, user.username)
        if moving:
            row = move(store, user, {**claim, "version": row["version"]}, status,
                       verdict_note=texts.get("verdict_note"),
                       public_message=texts.get("public_message"), incident_id=incident_id)
    return row


def move(store: Store, user: User | None, claim: dict[str, Any], status: str, *,
         verdict_note: str | None = None, public_message: str | None = None,
         incident_id: int | None = None) -> dict[str, Any]:
    """Move a claim (as the user saw it: `claim["version"]`) to `status`."""
    ensure(user, "volunteer")
    if status not in allowed_moves(claim["status"], user):
        raise Refused(_("bad_move", a=_(claim["status"]), b=_(status)))
    extra: dict[str, Any] = {}
    if verdict_note is not None and verdict_note != (claim.get("verdict_note") or ""):
        extra["verdict_note"] = verdict_note
    if public_message is not None and public_message != (claim.get("public_message") or ""):
        extra["public_message"] = public_message
    note = extra.get("verdict_note", claim.get("verdict_note")) or ""
    if status in VERDICTS and not note.strip():
        raise Refused(_("need_note"))
    who = user.username
    if status in VERDICTS:
        log = _("log_verdict", LOG_LANG, status=_(status, LOG_LANG).lower(), id=claim["id"],
                title=_short(claim["title"]), who=who)
    elif claim["status"] in VERDICTS:
        log = _("log_reopen", LOG_LANG, id=claim["id"], title=_short(claim["title"]), who=who,
                unpublished=_("log_unpublished", LOG_LANG) if claim.get("published") else "")
    else:
        log = None
    return store.move_claim(claim["id"], claim["version"], status, who, extra=extra,
                            log_text=log, incident_id=incident_id)


def publish(store: Store, user: User | None, claim: dict[str, Any], published: bool, *,
            incident_id: int | None = None) -> dict[str, Any]:
    """Put a verdict on the public map (coordinators only), or take it off."""
    ensure(user, "coordinator")
    who = user.username
    if published:
        if claim["status"] not in VERDICTS:
            raise Refused(_("need_verdict"))
        if not (claim.get("public_message") or "").strip():
            raise Refused(_("need_message"))
        log = _("log_publish", LOG_LANG, id=claim["id"], title=_short(claim["title"]),
                status=_(claim["status"], LOG_LANG).lower(), who=who,
                message=_short(claim["public_message"], 200))
    else:
        log = _("log_unpublish", LOG_LANG, id=claim["id"], title=_short(claim["title"]),
                who=who)
    return store.publish_claim(claim["id"], claim["version"], published, who, log_text=log,
                               incident_id=incident_id)


def time_to_verdict(claim: dict[str, Any]) -> float | None:
    """Seconds from the claim's first linked post (else its creation) to its verdict."""
    if not claim.get("verdict_at"):
        return None
    return seconds_between(claim.get("first_seen") or claim["created_at"], claim["verdict_at"])


def open_for(claim: dict[str, Any], now: str | None = None) -> float | None:
    """Seconds since the claim's first linked post (else its creation), while undecided."""
    if claim.get("verdict_at"):
        return None
    return seconds_between(claim.get("first_seen") or claim["created_at"], now)


def fill_buckets(buckets: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Posts per 10 minutes from the first to the last bucket, empty buckets included."""
    from datetime import timedelta

    from vigie.durations import parse

    if not buckets:
        return []
    counts = dict(buckets)
    first, last = parse(buckets[0][0] + ":00Z"), parse(buckets[-1][0] + ":00Z")
    if first is None or last is None:
        return buckets
    out, t = [], first
    while t <= last and len(out) < 10_000:
        key = t.strftime("%Y-%m-%dT%H:%M")
        out.append((key, counts.get(key, 0)))
        t += timedelta(minutes=10)
    return out


def sparkline(buckets: list[tuple[str, int]]) -> str:
    """A one-line chart of posts per 10 minutes ("▁▃█▅▂"), at most MAX_SPARK columns.

    Same columns as summing fill_buckets() in groups, without building every empty
    10-minute bucket (a month-long claim has 4,000 of them)."""
    from vigie.durations import parse

    if not buckets:
        return ""
    first, last = parse(buckets[0][0] + ":00Z"), parse(buckets[-1][0] + ":00Z")
    if first is None or last is None:
        values = [n for _b, n in buckets]
    else:
        length = min(int((last - first).total_seconds() // 600) + 1, 10_000)
        step = -(-length // MAX_SPARK) if length > MAX_SPARK else 1
        values = [0] * (-(-length // step))
        for key, n in buckets:
            at = parse(key + ":00Z")
            index = int((at - first).total_seconds() // 600) if at else -1
            if 0 <= index < length and (at - first).total_seconds() % 600 == 0:
                values[index // step] += n
    top = max(values) or 1
    return "".join(SPARK[0] if v == 0 else SPARK[min(7, 1 + (v * 7 - 1) // top)]
                   for v in values)


# -- suggestions ----------------------------------------------------------------------

@dataclass
class Suggestion:
    claim: dict[str, Any]
    why: str
    score: float


def content_words(text: str | None) -> set[str]:
    words = tokenize(text or "").stem
    return {w for w in words if len(w) >= 4 and not w.isdigit() and w not in STOPWORDS}


@lru_cache(maxsize=4096)
def _cached_words(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def _words_of(text: str | None) -> set[str]:
    """content_words, remembered: the claims' sample texts come back on every triage run."""
    return set(_cached_words(text or ""))


def _fts_query(words: set[str], n: int = 8) -> str:
    chosen = sorted(words, key=lambda w: (-len(w), w))[:n]
    return " OR ".join(f'"{w}"*' for w in chosen if re.fullmatch(r"\w+", w))


def suggest(store: Store, post: dict[str, Any], *, limit: int = 4,
            min_overlap: float = 0.34) -> list[Suggestion]:
    """Existing claims a post probably belongs to: the claims of its near-duplicate cluster
    first, then claims whose title or posts share enough of its words."""
    found: dict[int, Suggestion] = {}
    key = post.get("cluster_id") or post["id"]
    for c in store.claims_for_cluster(key):
        found[c["id"]] = Suggestion(c, _("why_cluster"), 2.0)
    words = content_words(post.get("text"))
    if words:
        candidates = [*store.claims_matching(_fts_query(words), limit=10),
                      *store.claim_sample_texts()]
        for c in candidates:
            if getattr(found.get(c["id"]), "score", 0) >= 2.0:
                continue
            other = _words_of(c.pop("text", ""))
            common = words & other
            if len(common) < min(2, len(words)):
                continue
            score = len(common) / min(len(words), len(other) or 1)
            if score >= min_overlap and score > getattr(found.get(c["id"]), "score", 0):
                found[c["id"]] = Suggestion(
                    c, _("why_words", words=", ".join(sorted(common)[:5])), score)
    return sorted(found.values(), key=lambda s: -s.score)[:limit]


__all__ = ["CLAIM_STATUSES", "VERDICTS", "Refused", "Suggestion", "allowed_moves", "create",
           "move", "open_for", "publish", "sparkline", "status_label", "suggest",
           "time_to_verdict"]
