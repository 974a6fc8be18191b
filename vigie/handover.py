"""The handover summary: what the next shift must know about the last N hours, as plain text
ready to copy into a message or to file in the main courante.

It names report numbers, kinds and communes of people reports, never their descriptions: the
main courante is readable by every signed-in role, people reports are not.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from vigie import claims as claim_rules
from vigie import people as people_rules
from vigie.durations import clock, human
from vigie.i18n import Catalog
from vigie.models import iso
from vigie.store import Store

_ = Catalog({
    "title": ("RELÈVE — main courante Vigie", "HANDOVER — Vigie log"),
    "exercise": ("EXERCICE — données fictives", "EXERCISE — fictitious data"),
    "incident": ("Événement : {name}", "Incident: {name}"),
    "period": ("Période : {start} → {end} ({hours} h)", "Period: {start} → {end} ({hours} h)"),
    "posts": ("Publications", "Posts"),
    "received": ("- reçues : {n}", "- received: {n}"),
    "handled": ("- traitées : {triaged} pertinentes, {irrelevant} hors sujet, {escalated} "
                "remontées à la cellule", "- handled: {triaged} relevant, {irrelevant} not "
                "relevant, {escalated} escalated to the cell"),
    "queue": ("- file de tri : {clusters} groupes en attente ({posts} publications)",
              "- triage queue: {clusters} groups waiting ({posts} posts)"),
    "escalated_list": ("- remontée à {at} : « {text} »", "- escalated at {at}: \"{text}\""),
    "claims": ("Vérification", "Verification"),
    "claim_counts": ("- affirmations : {counts}", "- claims: {counts}"),
    "verdicts": ("- verdicts rendus sur la période : {n}", "- verdicts given in the period: {n}"),
    "verdict": ("  - {status} : « {title} » — {who} à {at}, {took} après la 1re publication{pub}",
                "  - {status}: \"{title}\" — {who} at {at}, {took} after the first post{pub}"),
    "published": (", publiée", ", published"),
    "people": ("Personnes", "People"),
    "people_open": ("- signalements ouverts : {n} ({reported} signalés, {escalated} transmis)",
                    "- open reports: {n} ({reported} reported, {escalated} escalated)"),
    "person": ("  - n°{id} {kind}{place} — attend depuis {wait}{esc}",
               "  - #{id} {kind}{place} — waiting for {wait}{esc}"),
    "person_esc": (" — transmis à {to} à {at}", " — escalated to {to} at {at}"),
    "people_closed": ("- localisées ou closes sur la période : {n}",
                      "- located or resolved in the period: {n}"),
    "decisions": ("Décisions", "Decisions"),
    "none": ("- aucune", "- none"),
    "line": ("- {at} {author} : {text}", "- {at} {author}: {text}"),
    "actions": ("Actions en cours", "Actions"),
})

MAX_LINES = 12


def _short(text: str | None, n: int = 140) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def summary(store: Store, hours: float, *, incident: dict[str, Any] | None = None,
            now: datetime | None = None, lang: str | None = None) -> str:
    """The last `hours` hours of the incident, as text."""
    now = now or datetime.now(UTC)
    since = iso(now - timedelta(hours=hours))
    inc = incident["id"] if incident else None
    out: list[str] = [_("title", lang)]
    if incident:
        if incident.get("exercise"):
            out.append(_("exercise", lang))
        out.append(_("incident", lang, name=incident["name"]))
    out.append(_("period", lang, start=clock(since, now), end=clock(iso(now), now),
                 hours=f"{hours:g}"))

    handled = store.posts_handled_since(since, incident_id=inc)
    clusters, waiting = store.triage_queue_size(incident_id=inc)
    out += ["", _("posts", lang), _("received", lang, n=handled["received"]),
            _("handled", lang, **{k: handled[k] for k in ("triaged", "irrelevant",
                                                          "escalated")}),
            _("queue", lang, clusters=clusters, posts=waiting)]
    for p in store.escalated_posts_since(since, incident_id=inc, limit=5):
        out.append(_("escalated_list", lang, at=clock(p["updated_at"], now),
                     text=_short(p["text"], 100)))

    counts = store.claim_status_counts(incident_id=inc)
    verdicts = store.verdicts_since(since, incident_id=inc)
    out += ["", _("claims", lang), _("claim_counts", lang, counts=", ".join(
        f"{claim_rules.status_label(s, lang).lower()} {n}" for s, n in counts.items())),
        _("verdicts", lang, n=len(verdicts))]
    for c in verdicts[:MAX_LINES]:
        out.append(_("verdict", lang, status=claim_rules.status_label(c["status"], lang).upper(),
                     title=_short(c["title"], 90), who=c["verdict_by"] or "?",
                     at=clock(c["verdict_at"], now),
                     took=human(claim_rules.time_to_verdict(c), lang),
                     pub=_("published", lang) if c["published"] else ""))

    reports = store.people_reports(incident_id=inc, limit=500)
    open_ = [p for p in reports if people_rules.is_open(p)]
    closed = [p for p in reports if not people_rules.is_open(p)
              and (p.get("located_at") or p.get("resolved_at") or "") >= since]
    out += ["", _("people", lang), _("people_open", lang, n=len(open_),
            reported=sum(p["status"] == "reported" for p in open_),
            escalated=sum(p["status"] == "escalated" for p in open_))]
    for p in open_[:MAX_LINES]:
        esc = (_("person_esc", lang, to=p.get("escalated_to") or "SDIS",
                 at=clock(p["escalated_at"], now)) if p.get("escalated_at") else "")
        out.append(_("person", lang, id=p["id"], kind=people_rules.label(p["kind"], lang),
                     place=f", {p['place']}" if p.get("place") else "",
                     wait=human(people_rules.wait_seconds(p, iso(now)), lang), esc=esc))
    out.append(_("people_closed", lang, n=len(closed)))

    for kind, title in (("decision", "decisions"), ("action", "actions")):
        lines = store.log_entries(since=since, kinds=[kind], limit=MAX_LINES)
        out += ["", _(title, lang)]
        out += [_("line", lang, at=clock(e["at"], now), author=e["author"],
                  text=_short(e["text"], 200)) for e in reversed(lines)] or [_("none", lang)]
    return "\n".join(out)
