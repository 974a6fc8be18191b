"""A coordinator's hand on road events: add a closure or a detour, edit it, reopen the road.

Handlers are widget callbacks: they run on the server before the next script run, check
the role again, and carry the version of the event the person saw, so an edit based on an
old version is refused ("modifié par X à T") instead of overwriting someone else's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import streamlit as st

from vigie.i18n import Catalog
from vigie.models import iso, utc_now
from vigie.road_events import (
    PARIS,
    communes_of,
    manual_description,
    manual_geometry,
    paris_to_utc,
    parse_point,
    utc_to_paris,
)
from vigie.roads import canonical_road, status_at
from vigie.store import StaleEdit, StoreError
from vigie.ui.cards import local_time
from vigie.ui.road_labels import EVENT_TYPES, type_label
from vigie.ui.session import current_user, get_store

_ = Catalog({
    "add": ("Ajouter une fermeture ou une déviation", "Add a closure or a detour"),
    "event_type": ("Type", "Kind"),
    "road": ("Route", "Road"),
    "road_help": ("Ex. D905, RD 971, N274 ou un nom de rue", "E.g. D905, RD 971 or a street"),
    "commune": ("Commune", "Commune"),
    "commune_ph": ("Rechercher une commune…", "Search a commune…"),
    "start_text": ("Depuis (lieu, PR)", "From (place, PR)"),
    "end_text": ("Jusqu'à (lieu, PR)", "To (place, PR)"),
    "description": ("Description (facultatif : générée sinon)",
                    "Description (optional: generated otherwise)"),
    "detour": ("Itinéraire de déviation", "Detour route"),
    "start_day": ("Début (date)", "Start (date)"),
    "start_time": ("Début (heure de Paris)", "Start (Paris time)"),
    "end_day": ("Fin prévue (date)", "Planned end (date)"),
    "end_time": ("Fin prévue (heure)", "Planned end (time)"),
    "p1": ("Tracé : point de départ « lat, lon » (facultatif)",
           "Line: start point \"lat, lon\" (optional)"),
    "p2": ("Tracé : point d'arrivée « lat, lon » (facultatif)",
           "Line: end point \"lat, lon\" (optional)"),
    "p_help": ("Sans tracé, l'événement est placé au centre de la commune.",
               "Without a line, the event sits at the commune's centre."),
    "save": ("Enregistrer", "Save"),
    "edit": ("Modifier", "Edit"),
    "reopen": ("Rouvrir la route", "Reopen the road"),
    "reopen_confirm": ("Confirmer : la route est rouverte maintenant",
                       "Confirm: the road is open again now"),
    "need_road": ("Indiquez la route.", "Give the road."),
    "bad_point": ("Point illisible : « {text} » (attendu : 47.32, 4.91).",
                  "Unreadable point: \"{text}\" (expected: 47.32, 4.91)."),
    "bad_times": ("La fin doit être après le début.", "The end must be after the start."),
    "added": ("Événement ajouté : {what}", "Event added: {what}"),
    "saved": ("Modification enregistrée : {what}", "Change saved: {what}"),
    "reopened": ("Route rouverte : {what}", "Road reopened: {what}"),
    "stale": ("Non enregistré : modifié par {by} à {at} entre-temps. Voici la version à jour.",
              "Not saved: changed by {by} at {at} meanwhile. Here is the current version."),
    "refused": ("Action réservée aux coordinateurs.", "Coordinators only."),
    "log_add": ("{label} ajoutée à la main : {what}", "{label} added by hand: {what}"),
    "log_edit": ("{label} modifiée : {what}", "{label} edited: {what}"),
    "log_reopen": ("Route rouverte (saisie manuelle) : {what}",
                   "Road reopened (manual entry): {what}"),
    "someone": ("quelqu'un", "someone"),
})

FLASH = "roads_flash"


def flash(kind: str, text: str) -> None:
    st.session_state[FLASH] = (kind, text)


def show_flash() -> None:
    kind, text = st.session_state.pop(FLASH, (None, None))
    if kind == "success":
        st.success(text)
    elif kind:
        st.error(text)


def _coordinator() -> Any:
    user = current_user()
    if user is None or not user.can("coordinator"):
        flash("error", _("refused"))
        return None
    return user


def _departements() -> tuple[str, ...]:
    incident = get_store().active_incident() or {}
    return tuple(incident.get("departements") or ["21"])


def _commune_options() -> dict[str, Any]:
    return {c.label: c for c in communes_of(_departements())}


def _what(values: dict[str, Any]) -> str:
    return " ".join(x for x in (values.get("road"), f"({values['commune']})"
                                if values.get("commune") else None) if x)


def _values_from(prefix: str) -> dict[str, Any] | None:
    """The event a form describes, or None after flashing what is wrong."""
    s = st.session_state
    road = canonical_road((s.get(f"{prefix}road") or "").strip())
    if not road:
        flash("error", _("need_road"))
        return None
    choice = _commune_options().get(s.get(f"{prefix}commune") or "")
    points = []
    for key in ("p1", "p2"):
        text = (s.get(f"{prefix}{key}") or "").strip()
        point = parse_point(text)
        if text and point is None:
            flash("error", _("bad_point", text=text))
            return None
        points.append(point)
    centre = (choice.lat, choice.lon) if choice else None
    geometry, lat, lon = manual_geometry(points[0], points[1], centre)
    starts = paris_to_utc(s.get(f"{prefix}start_day"), s.get(f"{prefix}start_time"))
    ends = paris_to_utc(s.get(f"{prefix}end_day"), s.get(f"{prefix}end_time"))
    if starts and ends and ends <= starts:
        flash("error", _("bad_times"))
        return None
    event_type = s.get(f"{prefix}event_type") or "closure"
    commune = choice.name if choice else None
    start_text, end_text = s.get(f"{prefix}start_text"), s.get(f"{prefix}end_text")
    description = (s.get(f"{prefix}description") or "").strip() or manual_description(
        road, event_type, commune, start_text, end_text)
    values = {"road": road, "event_type": event_type, "commune": commune,
              "description": description, "detour": (s.get(f"{prefix}detour") or "").strip()
              or None, "starts_at": starts, "ends_at": ends, "geometry": geometry,
              "lat": lat, "lon": lon, "direction": "both",
              "extra": {"from": start_text or None, "to": end_text or None,
                        "insee": choice.insee if choice else None}}
    values["status"] = status_at(values, utc_now())
    return values


def _add() -> None:
    user = _coordinator()
    if not user:
        return
    values = _values_from("add_")
    if values is None:
        return
    store = get_store()
    incident = store.active_incident()
    label = type_label(values["event_type"])
    store.add_manual_road_event(values, user.username,
                                incident_id=incident["id"] if incident else None,
                                log_text=_("log_add", label=label, what=_what(values)))
    for key in [k for k in st.session_state if str(k).startswith("add_")]:
        del st.session_state[key]
    flash("success", _("added", what=_what(values)))


def _stale(exc: StaleEdit) -> None:
    flash("error", _("stale", by=exc.by or _("someone"), at=local_time(exc.at)))


def _edit(event_id: str, version: int) -> None:
    user = _coordinator()
    if not user:
        return
    prefix = f"ed_{event_id}_{version}_"
    values = _values_from(prefix)
    if values is None:
        return
    try:
        get_store().edit_manual_road_event(
            event_id, version, values, user.username, action="road_event.edit",
            log_text=_("log_edit", label=type_label(values["event_type"]), what=_what(values)))
    except StaleEdit as exc:
        _stale(exc)
        return
    except StoreError as exc:
        flash("error", str(exc))
        return
    flash("success", _("saved", what=_what(values)))


def _reopen(event_id: str, version: int, what: str) -> None:
    user = _coordinator()
    if not user:
        return
    now = iso(utc_now())
    try:
        get_store().edit_manual_road_event(
            event_id, version, {"status": "ended", "ends_at": now}, user.username,
            action="road_event.reopen", log_text=_("log_reopen", what=what))
    except StaleEdit as exc:
        _stale(exc)
        return
    flash("success", _("reopened", what=what))


def _fields(prefix: str, event: dict[str, Any] | None) -> None:
    """The form's widgets, filled from `event` when editing."""
    e = event or {}
    extra = e.get("extra") or {}
    options = list(_commune_options())
    current = next((label for label, c in _commune_options().items()
                    if extra.get("insee") == c.insee or
                    (not extra.get("insee") and e.get("commune") == c.name)), None)
    start = utc_to_paris(e.get("starts_at")) or datetime.now(PARIS)
    end = utc_to_paris(e.get("ends_at"))
    c = st.columns([1, 1, 2])
    c[0].selectbox(_("event_type"), list(EVENT_TYPES), format_func=type_label,
                   index=list(EVENT_TYPES).index(e.get("event_type") or "closure"),
                   key=f"{prefix}event_type")
    c[1].text_input(_("road"), value=e.get("road") or "", help=_("road_help"),
                    key=f"{prefix}road", max_chars=120)
    c[2].selectbox(_("commune"), options, index=options.index(current) if current else None,
                   placeholder=_("commune_ph"), key=f"{prefix}commune")
    c = st.columns(2)
    c[0].text_input(_("start_text"), value=extra.get("from") or "", key=f"{prefix}start_text",
                    max_chars=200)
    c[1].text_input(_("end_text"), value=extra.get("to") or "", key=f"{prefix}end_text",
                    max_chars=200)
    st.text_input(_("detour"), value=e.get("detour") or "", key=f"{prefix}detour",
                  max_chars=400)
    st.text_area(_("description"), value=e.get("description") or "" if event else "",
                 key=f"{prefix}description", max_chars=1000, height=68)
    c = st.columns(4)
    c[0].date_input(_("start_day"), value=start.date(), key=f"{prefix}start_day",
                    format="DD/MM/YYYY")
    c[1].time_input(_("start_time"), value=start.time().replace(second=0, microsecond=0),
                    key=f"{prefix}start_time", step=300)
    c[2].date_input(_("end_day"), value=end.date() if end else None, key=f"{prefix}end_day",
                    format="DD/MM/YYYY")
    c[3].time_input(_("end_time"), value=end.time() if end else None, key=f"{prefix}end_time",
                    step=300)
    c = st.columns(2)
    coords = (e.get("geometry") or {}).get("coordinates") if e.get("geometry") else None
    line = coords if (e.get("geometry") or {}).get("type") == "LineString" else None
    c[0].text_input(_("p1"), value=f"{line[0][1]}, {line[0][0]}" if line else "",
                    key=f"{prefix}p1", help=_("p_help"))
    c[1].text_input(_("p2"), value=f"{line[-1][1]}, {line[-1][0]}" if line else "",
                    key=f"{prefix}p2", help=_("p_help"))


def add_form() -> None:
    with st.expander(_("add"), icon=":material/add_road:"), st.form("road_add", border=False):
        _fields("add_", None)
        st.form_submit_button(_("save"), type="primary", on_click=_add)


def actions(event: dict[str, Any]) -> None:
    """Edit and reopen buttons of one manual event (coordinators)."""
    version = int(event["version"])
    what = " ".join(x for x in (event.get("road"), f"({event['commune']})"
                                if event.get("commune") else None) if x)
    cols = st.columns([1, 1, 4])
    with cols[0].popover(_("edit"), icon=":material/edit:"):
        prefix = f"ed_{event['id']}_{version}_"
        with st.form(f"road_edit_{event['id']}_{version}", border=False):
            _fields(prefix, event)
            st.form_submit_button(_("save"), type="primary", on_click=_edit,
                                  args=(event["id"], version))
    if event.get("live_status") != "ended":
        with cols[1].popover(_("reopen"), icon=":material/check_circle:"):
            st.button(_("reopen_confirm"), key=f"reopen_{event['id']}_{version}",
                      on_click=_reopen, args=(event["id"], version, what), type="primary")
