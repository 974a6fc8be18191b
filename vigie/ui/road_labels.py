"""How a road event reads in the interface: labels, badges, one-line summary, tooltip."""

from __future__ import annotations

from typing import Any

from vigie.i18n import Catalog
from vigie.ui.cards import local_time
from vigie.ui.maplayers import tip
from vigie.ui.safe import md_escape

_ = Catalog({
    "closure": ("Fermeture", "Closure"),
    "restriction": ("Circulation restreinte", "Restriction"),
    "works": ("Travaux", "Works"),
    "incident": ("Incident", "Incident"),
    "detour": ("Déviation", "Detour"),
    "active": ("En cours", "In effect"),
    "planned": ("Prévu", "Planned"),
    "ended": ("Terminé", "Ended"),
    "manual": ("saisie manuelle", "entered by hand"),
    "detour_text": ("Déviation : {text}", "Detour: {text}"),
    "from_to": ("Du {start} au {end}", "From {start} to {end}"),
    "since": ("Depuis {start}", "Since {start}"),
    "until": ("Jusqu'au {end}", "Until {end}"),
    "source": ("source : {source}", "source: {source}"),
    "updated": ("mis à jour {at}", "updated {at}"),
    "updated_by": ("mis à jour {at} par {by}", "updated {at} by {by}"),
    "no_road": ("route non précisée", "road not given"),
})

TYPE_BADGE = {"closure": "red", "restriction": "orange", "works": "yellow",
              "incident": "violet", "detour": "blue"}
STATUS_BADGE = {"active": "primary", "planned": "gray", "ended": "green"}
EVENT_TYPES = ("closure", "detour", "restriction", "works", "incident")


def type_label(event_type: str | None) -> str:
    return _(event_type or "closure")


def status_label(status: str | None) -> str:
    return _(status or "active")


def source_label(source: str) -> str:
    from vigie.store.roads import MANUAL_SOURCE

    return _("manual") if source == MANUAL_SOURCE else source


def when_text(event: dict[str, Any]) -> str:
    start, end = event.get("starts_at"), event.get("ends_at")
    if start and end:
        return _("from_to", start=local_time(start), end=local_time(end))
    if start:
        return _("since", start=local_time(start))
    if end:
        return _("until", end=local_time(end))
    return ""


def headline(event: dict[str, Any]) -> str:
    """Markdown: road, type and status badges, commune. Every value escaped."""
    status = event.get("live_status") or event.get("status")
    parts = [f"**{md_escape(event.get('road') or _('no_road'))}**",
             f":{TYPE_BADGE.get(event.get('event_type'), 'gray')}-badge"
             f"[{md_escape(type_label(event.get('event_type')))}]",
             f":{STATUS_BADGE.get(status, 'gray')}-badge[{md_escape(status_label(status))}]"]
    if event.get("commune"):
        parts.append(md_escape(event["commune"]))
    if event.get("manual"):
        parts.append(f":gray-badge[{md_escape(_('manual'))}]")
    return " · ".join(parts)


def footer(event: dict[str, Any]) -> str:
    """Caption text (plain): when, source, last update."""
    at = local_time(event.get("updated_at"))
    updated = (_("updated_by", at=at, by=event["updated_by"]) if event.get("updated_by")
               else _("updated", at=at))
    return " · ".join(x for x in (when_text(event), _("source", source=source_label(
        event.get("source") or "")), updated) if x)


def event_tip(event: dict[str, Any]) -> dict[str, str]:
    """Tooltip fields of a road event on a map."""
    status = event.get("live_status") or event.get("status")
    title = " — ".join(x for x in (event.get("road"), type_label(event.get("event_type")),
                                   status_label(status)) if x)
    detour = _("detour_text", text=event["detour"]) if event.get("detour") else ""
    return tip(title, event.get("commune"), event.get("description"), detour,
               when_text(event))
