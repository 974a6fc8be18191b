"""The point de situation as Markdown: sections in a fixed order, French, EXERCICE on each.

Text that comes from the database (claim titles, road descriptions, log lines) is escaped,
so a collected or typed string cannot turn into a link, an image or HTML in a Markdown viewer.
The two pictures are separate PNG files referenced by relative name.
"""

from __future__ import annotations

import re
from typing import Any

from vigie.reports.labels import (
    CATEGORIES,
    CLAIM_STATUSES,
    EVENT_KINDS,
    PEOPLE_KINDS,
    PEOPLE_STATUSES,
    ROAD_TYPES,
    SEVERITIES,
    VERDICTS,
    local,
    number,
    short,
)
from vigie.reports.sitrep import Sitrep
from vigie.ui.safe import clean

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!])")
EXERCISE_BANNER = "EXERCICE — EXERCICE — EXERCICE : données fictives, ne pas diffuser comme réelles"

SECTION_TITLES = (
    "Incident et période", "Chiffres clés", "Faits marquants", "Carte de situation",
    "Volume des publications", "Faits vérifiés", "Rumeurs démenties",
    "Personnes (effectifs)", "Routes coupées et déviations", "Alertes officielles en cours",
)

HIDDEN_EVENTS = ("{n} événements plus anciens ne sont pas repris, des ouvertures et fermetures de "
                 "routes d'abord (voir la section 9 et l'export des routes).")
BUCKET_WORDS = {"10min": "par tranche de 10 minutes", "hour": "par heure", "day": "par jour",
                "minute": "par minute"}


def md(text: Any) -> str:
    """Inline Markdown-safe text: one line, markup characters escaped."""
    flat = " ".join(clean("" if text is None else str(text)).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)


def section_title(index: int, exercise: bool) -> str:
    suffix = " — EXERCICE" if exercise else ""
    return f"## {index}. {SECTION_TITLES[index - 1]}{suffix}"


def key_figures(s: Sitrep) -> list[tuple[str, str]]:
    """(label, value) pairs shared by the Markdown and the PDF."""
    f = s.figures
    peak = max(s.volume, key=lambda v: v["posts"], default=None)
    people_open = sum(r["n"] for r in s.people["by_status"]
                      if r["status"] in ("reported", "escalated"))
    return [
        ("Publications sur la période", number(f["posts"])),
        ("dont urgentes (score ≥ 0,7)", number(f["urgent"])),
        ("dont transmises aux secours", number(f["escalated"])),
        ("dont localisées", number(f["located"])),
        ("Pic d'activité", f"{number(peak['posts'])} ({local(_bucket_iso(peak['bucket']))})"
         if peak else "—"),
        ("Rumeurs démenties sur la période", number(len(s.debunked))),
        ("Faits vérifiés sur la période", number(len(s.verified))),
        ("Personnes en attente (détresse, disparues)", number(people_open)),
        ("Routes coupées ou déviées en fin de période", number(len(s.roads_closed))),
        ("Alertes officielles en cours", number(len(s.alerts))),
        ("Messages diffusés", number(len(s.messages_sent))),
    ]


def _bucket_iso(key: str) -> str:
    return key + "0000-01-01T00:00:00"[len(key):] + "Z"


PEOPLE_HEADINGS = ["", "nouveaux sur la période", *PEOPLE_STATUSES.values()]


def people_rows(s: Sitrep) -> list[list[str]]:
    """One row per kind (distress, missing): new reports, then each status. Counts only."""
    rows = []
    for kind, kind_label in PEOPLE_KINDS.items():
        counts = {r["status"]: r["n"] for r in s.people["by_status"] if r["kind"] == kind}
        rows.append([kind_label, number(s.people["new"].get(kind, 0)),
                     *(number(counts.get(status, 0)) for status in PEOPLE_STATUSES)])
    return rows


def period_text(s: Sitrep) -> str:
    return f"du {local(s.since)} au {local(s.until)} (heure de Paris)"


def render_markdown(s: Sitrep, *, map_name: str | None = None,
                    chart_name: str | None = None) -> str:
    out: list[str] = []
    add = out.append
    incident = s.incident or {}
    if s.exercise:
        add(f"> **{EXERCISE_BANNER}**\n")
    add(f"# Point de situation{' — EXERCICE' if s.exercise else ''}\n")

    add(section_title(1, s.exercise))
    add(f"- **Incident** : {md(incident.get('name') or 'aucun incident actif')}")
    if incident.get("area"):
        add(f"- **Zone** : {md(incident['area'])}")
    add(f"- **Nature** : {'EXERCICE' if s.exercise else 'situation réelle'}")
    add(f"- **Période** : {period_text(s)}")
    add(f"- **Établi le** : {local(s.generated_at)}, par Vigie\n")

    add(section_title(2, s.exercise))
    add("| indicateur | valeur |\n|---|---:|")
    for label, value in key_figures(s):
        add(f"| {md(label)} | {value} |")
    add("")

    add(section_title(3, s.exercise))
    if s.events_hidden:
        add(f"_{HIDDEN_EVENTS.format(n=s.events_hidden)}_\n")
    if s.events:
        add("| heure | type | événement |\n|---|---|---|")
        for e in s.events:
            add(f"| {short(e.at)} | {EVENT_KINDS.get(e.kind, e.kind)} | {md(e.text)} |")
    else:
        add("Aucun événement marquant sur la période.")
    add("")

    add(section_title(4, s.exercise))
    if map_name:
        add(f"![Carte de situation]({map_name})\n")
    if s.top_places:
        add("Communes les plus citées : " + ", ".join(
            f"{md(p['place'])} ({number(p['posts'])})" for p in s.top_places) + "\n")

    add(section_title(5, s.exercise))
    if chart_name:
        add(f"![Publications {BUCKET_WORDS.get(s.bucket, '')}]({chart_name})\n")
    if s.categories:
        add("| catégorie | publications |\n|---|---:|")
        for c in s.categories:
            add(f"| {md(CATEGORIES.get(c['category'], c['category']))} | "
                f"{number(c['posts'])} |")
    add("")

    add(section_title(6, s.exercise))
    if s.verified:
        for c in s.verified:
            add(f"- **{md(c['title'])}** ({local(c['verdict_at'])}) : "
                f"{md(c['public_message'] or '')}")
    else:
        add("Aucun fait vérifié sur la période.")
    add("")

    add(section_title(7, s.exercise))
    if s.debunked:
        for c in s.debunked:
            add(f"- **{VERDICTS[c['status']]} — {md(c['title'])}** ({local(c['verdict_at'])}, "
                f"{number(c['posts'])} publications) : {md(c['public_message'] or '')}")
    else:
        add("Aucune rumeur démentie sur la période.")
    counts = ", ".join(f"{number(n)} {CLAIM_STATUSES.get(k, k)}"
                       for k, n in sorted(s.claim_counts.items()))
    if counts:
        add(f"\nAffirmations suivies depuis le début : {counts}.")
    add("")

    add(section_title(8, s.exercise))
    add("Effectifs uniquement : aucun nom ni description ne figure dans ce document.\n")
    add("| " + " | ".join(PEOPLE_HEADINGS) + " |\n|---|" + "---:|" * (len(PEOPLE_HEADINGS) - 1))
    for row in people_rows(s):
        add("| " + " | ".join(row) + " |")
    add("")

    add(section_title(9, s.exercise))
    if s.roads_closed:
        add("| route | commune | situation | depuis | déviation |\n|---|---|---|---|---|")
        for r in s.roads_closed:
            add(f"| {md(r['road'])} | {md(r['commune'])} | "
                f"{ROAD_TYPES.get(r['event_type'], r['event_type'])} | {short(r['starts_at'])} "
                f"| {md(r['detour'] or '—')} |")
    else:
        add("Aucune route coupée en fin de période.")
    if s.roads_reopened:
        add("\nRouvertes pendant la période : " + ", ".join(
            f"{md(r['road'])} ({md(r['commune'])}, {local(r['ends_at'], with_date=False)})"
            for r in s.roads_reopened) + ".")
    add("")

    add(section_title(10, s.exercise))
    if s.alerts:
        for a in s.alerts:
            add(f"- **{md(a['headline'] or a['event'])}** — {md(a['sender'])}, gravité "
                f"{SEVERITIES.get(a['severity'], a['severity'] or '?')}, émise "
                f"{local(a['sent'])}" + (f", jusqu'au {local(a['expires'])}"
                                         if a["expires"] else ""))
    else:
        add("Aucune alerte officielle en cours en fin de période.")
    add("")
    if s.exercise:
        add(f"> **{EXERCISE_BANNER}**")
    add("\n_Document établi par Vigie. Diffusion restreinte aux partenaires de la cellule._")
    return "\n".join(out) + "\n"
