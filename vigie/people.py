"""People in distress or missing: a report is followed from `reported` to `escalated` (to the
SDIS, with the time) to `located` or `resolved`.

Reports are restricted: only volunteer pages show them, and the lines Vigie writes in the main
courante name the report's number, kind and commune, never the description.
"""

from __future__ import annotations

from typing import Any

from vigie.acting import Refused, ensure
from vigie.auth import User
from vigie.durations import seconds_between
from vigie.i18n import Catalog
from vigie.store import Store
from vigie.store.people import OPEN_STATUSES, PERSON_KINDS, PERSON_STATUSES

_ = Catalog({
    "distress": ("Personne en détresse", "Person in distress"),
    "missing": ("Personne disparue", "Missing person"),
    "reported": ("Signalée", "Reported"),
    "escalated": ("Transmise", "Escalated"),
    "located": ("Localisée", "Located"),
    "resolved": ("Close", "Resolved"),
    "bad_move": ("Passage de « {a} » à « {b} » impossible.", "Cannot move from {a} to {b}."),
    "need_description": ("Décrivez la situation (qui, où, depuis quand).",
                         "Describe the situation (who, where, since when)."),
    "log_escalated": ("Signalement n°{id} ({kind}{place}) transmis à {to} par {who}.",
                      "Report #{id} ({kind}{place}) escalated to {to} by {who}."),
    "log_located": ("Signalement n°{id} ({kind}{place}) : personne localisée (signalée il y a "
                    "{wait}), par {who}.", "Report #{id} ({kind}{place}): person located "
                    "(reported {wait} ago), by {who}."),
    "log_resolved": ("Signalement n°{id} ({kind}{place}) clos par {who}.",
                     "Report #{id} ({kind}{place}) resolved by {who}."),
})

LOG_LANG = "fr"
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "reported": ("escalated", "located", "resolved"),
    "escalated": ("located", "resolved"),
    "located": ("resolved",),
    "resolved": (),
}
ESCALATION_TARGETS = ("SDIS", "Gendarmerie", "Police", "SAMU", "Mairie")


def label(key: str, lang: str | None = None) -> str:
    return _(key, lang)


def report(store: Store, user: User | None, kind: str, description: str, *,
           post: dict[str, Any] | None = None, place: str | None = None,
           incident_id: int | None = None) -> int:
    """A new report, linked to the post it came from when there is one."""
    ensure(user, "volunteer")
    if kind not in PERSON_KINDS:
        raise ValueError(kind)
    if not (description or "").strip():
        raise Refused(_("need_description"))
    post = post or {}
    return store.report_person(
        kind, description, user.username, post_id=post.get("id"),
        place=place or post.get("place"), lat=post.get("lat"), lon=post.get("lon"),
        incident_id=incident_id if incident_id is not None else post.get("incident_id"))


def move(store: Store, user: User | None, person: dict[str, Any], status: str, *,
         escalated_to: str | None = None, incident_id: int | None = None) -> dict[str, Any]:
    """Follow a report (as the user saw it: `person["version"]`) to `status`."""
    from vigie.durations import human

    ensure(user, "volunteer")
    if status not in TRANSITIONS.get(person["status"], ()):
        raise Refused(_("bad_move", a=_(person["status"]), b=_(status)))
    place = f", {person['place']}" if person.get("place") else ""
    params = dict(id=person["id"], kind=_(person["kind"], LOG_LANG).lower(), place=place,
                  who=user.username)
    if status == "escalated":
        log = _("log_escalated", LOG_LANG, to=escalated_to or "SDIS", **params)
    elif status == "located":
        log = _("log_located", LOG_LANG, wait=human(wait_seconds(person), LOG_LANG), **params)
    else:
        log = _("log_resolved", LOG_LANG, **params)
    return store.move_person(person["id"], person["version"], status, user.username,
                             escalated_to=escalated_to, log_text=log,
                             incident_id=incident_id or person.get("incident_id"))


def is_open(person: dict[str, Any]) -> bool:
    return person["status"] in OPEN_STATUSES


def wait_seconds(person: dict[str, Any], now: str | None = None) -> float | None:
    """How long the report has waited: until now while open, else until it was closed."""
    if is_open(person):
        return seconds_between(person["reported_at"], now)
    end = person.get("located_at") or person.get("resolved_at")
    return seconds_between(person["reported_at"], end)


__all__ = ["ESCALATION_TARGETS", "PERSON_KINDS", "PERSON_STATUSES", "TRANSITIONS", "is_open",
           "label", "move", "report", "wait_seconds"]
