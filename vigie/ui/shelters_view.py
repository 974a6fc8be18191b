"""Shelters (lieux d'accueil) on the Roads page: everyone sees the list; coordinators add
and edit them and decide, with one toggle, whether the public map shows each one."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import streamlit as st

from vigie.i18n import Catalog
from vigie.road_events import communes_of, parse_point
from vigie.store import StaleEdit
from vigie.ui.cards import local_time
from vigie.ui.roads_forms import flash
from vigie.ui.safe import md_escape
from vigie.ui.session import current_user, get_store

_ = Catalog({
    "page": ("Page (sur {n})", "Page (of {n})"),
    "intro": ("Lieux d'accueil des sinistrés. Seuls ceux marqués « publié » apparaissent sur "
              "la carte publique.",
              "Shelters for people affected. Only those marked \"published\" show on the "
              "public map."),
    "add": ("Ajouter un lieu d'accueil", "Add a shelter"),
    "name": ("Nom", "Name"),
    "commune": ("Commune", "Commune"),
    "commune_ph": ("Rechercher une commune…", "Search a commune…"),
    "address": ("Adresse", "Address"),
    "capacity": ("Capacité (places)", "Capacity (places)"),
    "status": ("État", "Status"),
    "open": ("Ouvert", "Open"), "full": ("Complet", "Full"), "closed": ("Fermé", "Closed"),
    "point": ("Position « lat, lon » (facultatif : centre de la commune sinon)",
              "Position \"lat, lon\" (optional: the commune's centre otherwise)"),
    "publish": ("Publier sur la carte publique", "Publish on the public map"),
    "published": ("publié", "published"),
    "unpublished": ("non publié", "not published"),
    "save": ("Enregistrer", "Save"),
    "edit": ("Modifier", "Edit"),
    "none": ("Aucun lieu d'accueil enregistré.", "No shelter recorded."),
    "need_name": ("Indiquez le nom du lieu.", "Give the shelter's name."),
    "need_place": ("Choisissez une commune ou donnez une position.",
                   "Choose a commune or give a position."),
    "bad_point": ("Position illisible (attendu : 47.32, 5.04).",
                  "Unreadable position (expected: 47.32, 5.04)."),
    "refused": ("Action réservée aux coordinateurs.", "Coordinators only."),
    "added": ("Lieu d'accueil ajouté : {name}", "Shelter added: {name}"),
    "saved": ("Lieu d'accueil mis à jour : {name}", "Shelter updated: {name}"),
    "stale": ("Non enregistré : modifié par {by} à {at} entre-temps.",
              "Not saved: changed by {by} at {at} meanwhile."),
    "log_add": ("Lieu d'accueil ajouté : {name} ({state})", "Shelter added: {name} ({state})"),
    "log_edit": ("Lieu d'accueil modifié : {name} ({state})",
                 "Shelter edited: {name} ({state})"),
    "places": ("{n} places", "{n} places"),
})
STATUSES = ("open", "full", "closed")
PAGE = 10  # shelter cards per page
EDITING = "sh_editing"  # the shelter whose edit form is open


def _communes() -> dict[str, Any]:
    incident = get_store().active_incident() or {}
    return _commune_index(tuple(incident.get("departements") or ["21"]))


@lru_cache(maxsize=8)
def _commune_index(departements: tuple[str, ...]) -> dict[str, Any]:
    """Label -> commune, built once per set of départements (read-only)."""
    return {c.label: c for c in communes_of(departements)}


def _values(prefix: str) -> dict[str, Any] | None:
    s = st.session_state
    name = (s.get(f"{prefix}name") or "").strip()
    if not name:
        flash("error", _("need_name"))
        return None
    choice = _communes().get(s.get(f"{prefix}commune") or "")
    text = (s.get(f"{prefix}point") or "").strip()
    point = parse_point(text)
    if text and point is None:
        flash("error", _("bad_point"))
        return None
    point = point or ((choice.lat, choice.lon) if choice else None)
    if point is None:
        flash("error", _("need_place"))
        return None
    capacity = s.get(f"{prefix}capacity")
    return {"name": name, "commune": choice.name if choice else None,
            "address": (s.get(f"{prefix}address") or "").strip() or None,
            "lat": point[0], "lon": point[1],
            "capacity": int(capacity) if capacity else None,
            "status": s.get(f"{prefix}status") or "open",
            "published": int(bool(s.get(f"{prefix}published")))}


def _state(values: dict[str, Any]) -> str:
    return f"{_(values['status'])}, {_('published' if values['published'] else 'unpublished')}"


def _coordinator() -> Any:
    user = current_user()
    if user is None or not user.can("coordinator"):
        flash("error", _("refused"))
        return None
    return user


def _add() -> None:
    user = _coordinator()
    values = _values("sh_add_") if user else None
    if not values:
        return
    store = get_store()
    incident = store.active_incident()
    store.add_shelter(values, user.username, incident_id=incident["id"] if incident else None,
                      log_text=_("log_add", name=values["name"], state=_state(values)))
    for key in [k for k in st.session_state if str(k).startswith("sh_add_")]:
        del st.session_state[key]
    flash("success", _("added", name=values["name"]))


def _start_edit(shelter_id: int) -> None:
    st.session_state[EDITING] = shelter_id


def _edit(shelter_id: int, version: int) -> None:
    user = _coordinator()
    values = _values(f"sh_{shelter_id}_{version}_") if user else None
    if not values:
        return
    try:
        get_store().edit_shelter(shelter_id, version, values, user.username,
                                 log_text=_("log_edit", name=values["name"],
                                            state=_state(values)))
    except StaleEdit as exc:
        flash("error", _("stale", by=exc.by or "?", at=local_time(exc.at)))
        return
    st.session_state.pop(EDITING, None)
    flash("success", _("saved", name=values["name"]))


def _fields(prefix: str, shelter: dict[str, Any] | None) -> None:
    s = shelter or {}
    options = _communes()
    labels = list(options)
    current = next((label for label, c in options.items() if c.name == s.get("commune")), None)
    c = st.columns([2, 2])
    c[0].text_input(_("name"), value=s.get("name") or "", key=f"{prefix}name", max_chars=200)
    c[1].selectbox(_("commune"), labels, index=labels.index(current) if current else None,
                   placeholder=_("commune_ph"), key=f"{prefix}commune")
    c = st.columns([3, 1, 1])
    c[0].text_input(_("address"), value=s.get("address") or "", key=f"{prefix}address",
                    max_chars=300)
    c[1].number_input(_("capacity"), min_value=0, step=10, value=s.get("capacity"),
                      key=f"{prefix}capacity")
    c[2].selectbox(_("status"), STATUSES, index=STATUSES.index(s.get("status") or "open"),
                   format_func=_, key=f"{prefix}status")
    point = f"{s['lat']}, {s['lon']}" if s.get("lat") is not None else ""
    st.text_input(_("point"), value=point, key=f"{prefix}point")
    st.toggle(_("publish"), value=bool(s.get("published", 0)), key=f"{prefix}published")


def shelters_panel() -> None:
    st.caption(_("intro"))
    user = current_user()
    coordinator = bool(user and user.can("coordinator"))
    if coordinator:
        with (st.expander(_("add"), icon=":material/add_home:"),
              st.form("shelter_add", border=False)):
            _fields("sh_add_", None)
            st.form_submit_button(_("save"), type="primary", on_click=_add)
    shelters = get_store().shelters()
    if not shelters:
        st.info(_("none"))
        return
    pages = -(-len(shelters) // PAGE)
    if pages > 1:  # each card holds an edit form with every commune of the département
        page = st.number_input(_("page", n=pages), min_value=1, max_value=pages, step=1,
                               key="sh_page")
        shelters = shelters[(int(page) - 1) * PAGE:int(page) * PAGE]
    for s in shelters:
        with st.container(border=True):
            badge = ("green", "published") if s["published"] else ("gray", "unpublished")
            parts = [f"**{md_escape(s['name'])}**", f":{badge[0]}-badge[{_(badge[1])}]",
                     md_escape(_(s["status"]) if s["status"] in STATUSES else s["status"])]
            if s.get("capacity"):
                parts.append(md_escape(_("places", n=s["capacity"])))
            st.markdown(" · ".join(parts))
            st.caption(md_escape(" · ".join(x for x in (s.get("commune"), s.get("address"))
                                            if x)))
            if not coordinator:
                continue
            version = int(s["version"])
            if st.session_state.get(EDITING) != s["id"]:
                # The form (with every commune of the département) is drawn for the one
                # shelter being edited, not hidden in each card: 10 forms cost 0.1 s a run.
                st.button(_("edit"), icon=":material/edit:", key=f"sh_edit_{s['id']}",
                          on_click=_start_edit, args=(s["id"],))
                continue
            with st.form(f"shelter_edit_{s['id']}_{version}", border=False):
                _fields(f"sh_{s['id']}_{version}_", s)
                st.form_submit_button(_("save"), type="primary", on_click=_edit,
                                      args=(s["id"], version))
