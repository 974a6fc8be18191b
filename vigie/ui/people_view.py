"""People in distress or missing: reports by how long they have waited, and their follow-up.

Restricted to volunteers and up; nothing on this page is published anywhere.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from vigie import people as rules
from vigie.acting import ensure
from vigie.durations import human, seconds_between
from vigie.i18n import Catalog
from vigie.metrics import fragment_timer
from vigie.ui.acts import act, show_flash
from vigie.ui.cards import local_time
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store, still_allowed

REFRESH_SECONDS = 60
LONG_WAIT_S = 30 * 60  # an open report waiting this long is shown in red

_ = Catalog({
    "page": ("Page (sur {n})", "Page (of {n})"),
    "title": ("Personnes", "People"),
    "restricted": ("Accès restreint : rien de cette page n'est jamais publié ni exporté vers "
                   "le public.", "Restricted: nothing on this page is ever published or "
                   "exported to the public."),
    "open_n": ("Signalements ouverts", "Open reports"),
    "reported_n": ("À transmettre", "To escalate"),
    "escalated_n": ("Transmis", "Escalated"),
    "longest": ("Plus longue attente", "Longest wait"),
    "show_closed": ("Afficher les signalements clos", "Show closed reports"),
    "new": ("Nouveau signalement (sans publication)", "New report (without a post)"),
    "kind": ("Situation", "Situation"),
    "description": ("Description (qui, où, depuis quand)", "Description (who, where, since when)"),
    "place": ("Lieu", "Place"),
    "add": ("Enregistrer le signalement", "Save the report"),
    "added": ("Signalement n°{id} enregistré.", "Report #{id} saved."),
    "none": ("Aucun signalement.", "No report."),
    "waits": ("attend depuis {d}", "waiting for {d}"),
    "waited": ("a attendu {d}", "waited {d}"),
    "step_reported": ("Signalée à {at} par {who}", "Reported at {at} by {who}"),
    "step_escalated": ("transmise à {to} à {at} par {who} (après {d})",
                       "escalated to {to} at {at} by {who} (after {d})"),
    "step_located": ("localisée à {at}", "located at {at}"),
    "step_resolved": ("close à {at}", "resolved at {at}"),
    "from_post": ("Publication d'origine ({author}) : {text}", "Source post ({author}): {text}"),
    "notes": ("Notes de suivi", "Follow-up notes"),
    "notes_now": ("Notes : {notes}", "Notes: {notes}"),
    "save_notes": ("Enregistrer les notes", "Save notes"),
    "notes_saved": ("Notes du signalement n°{id} enregistrées.", "Notes of report #{id} saved."),
    "to": ("Transmettre à", "Escalate to"),
    "go_escalated": ("Transmettre", "Escalate"),
    "go_located": ("Personne localisée", "Person located"),
    "go_resolved": ("Clore", "Resolve"),
    "moved": ("Signalement n°{id} : {status}.", "Report #{id}: {status}."),
})


def page() -> None:
    store = get_store()
    incident = store.active_incident()
    incident_id = incident["id"] if incident else None
    st.title(_("title"))
    st.caption(_("restricted"))
    _new_report(incident_id)
    show_closed = st.toggle(_("show_closed"), key="pp_closed")
    _reports(incident_id, show_closed)


PAGE = 25  # reports per page, longest wait first


@st.fragment(run_every=REFRESH_SECONDS)
@fragment_timer("people.reports")
@still_allowed("people")
def _reports(incident_id: int | None, show_closed: bool) -> None:
    """Figures and reports; re-drawn every minute so that waits keep counting."""
    store = get_store()
    show_flash()
    reports = store.people_reports(incident_id=incident_id, limit=500)
    open_ = [p for p in reports if rules.is_open(p)]
    cols = st.columns(4)
    cols[0].metric(_("open_n"), len(open_))
    cols[1].metric(_("reported_n"), sum(p["status"] == "reported" for p in open_))
    cols[2].metric(_("escalated_n"), sum(p["status"] == "escalated" for p in open_))
    cols[3].metric(_("longest"), human(rules.wait_seconds(open_[0])) if open_ else "—")
    shown = reports if show_closed else open_
    if not shown:
        st.info(_("none"))
    pages = max(1, -(-len(shown) // PAGE))
    if pages > 1:  # each card holds a dozen widgets: draw one page of them
        page = st.number_input(_("page", n=pages), min_value=1, max_value=pages, step=1,
                               key="pp_page")
        shown = shown[(int(page) - 1) * PAGE:int(page) * PAGE]
    for person in shown:
        _report(person, incident_id)


def _new_report(incident_id: int | None) -> None:
    with st.expander(_("new")), st.form("pp_new", clear_on_submit=True, border=False):
        cols = st.columns([1, 2])
        cols[0].radio(_("kind"), rules.PERSON_KINDS, format_func=rules.label, key="pp_new_kind")
        cols[1].text_input(_("place"), key="pp_new_place", max_chars=120)
        st.text_area(_("description"), key="pp_new_desc", height=80, max_chars=2000)
        st.form_submit_button(_("add"), on_click=_add, args=(incident_id,))


def _add(incident_id: int | None) -> None:
    ss = st.session_state
    act(rules.report, ss.get("pp_new_kind", "distress"), ss.get("pp_new_desc", ""),
        place=(ss.get("pp_new_place") or "").strip() or None, incident_id=incident_id,
        unsaved=ss.get("pp_new_desc"), done=lambda pid: _("added", id=pid))


def _steps(p: dict[str, Any]) -> str:
    steps = [_("step_reported", at=local_time(p["reported_at"]), who=p.get("created_by") or "?")]
    if p.get("escalated_at"):
        steps.append(_("step_escalated", to=p.get("escalated_to") or "SDIS",
                       at=local_time(p["escalated_at"]), who=p.get("escalated_by") or "?",
                       d=human(seconds_between(p["reported_at"], p["escalated_at"]))))
    if p.get("located_at"):
        steps.append(_("step_located", at=local_time(p["located_at"])))
    if p.get("resolved_at"):
        steps.append(_("step_resolved", at=local_time(p["resolved_at"])))
    return " · ".join(steps)


def _report(p: dict[str, Any], incident_id: int | None) -> None:
    pid, key = p["id"], f"pp_{p['id']}_v{p['version']}"
    wait = human(rules.wait_seconds(p))
    with st.container(border=True, key=f"pp_card_{pid}"):
        place = f" · {p['place']}" if p.get("place") else ""
        if rules.is_open(p):
            colour = "red" if (rules.wait_seconds(p) or 0) >= LONG_WAIT_S else "orange"
            badge = f":{colour}-badge[{_('waits', d=wait)}]"
        else:
            badge = f":gray-badge[{_('waited', d=wait)}]"
        st.markdown(f"**n°{pid} · {md_escape(rules.label(p['kind']) + place)}** · "
                    f"{md_escape(rules.label(p['status']))} {badge}")
        st.markdown(md_escape(p["description"], max_len=1500))
        st.caption(md_escape(_steps(p)))
        if p.get("post_text"):
            st.caption(md_escape(_("from_post", author=p.get("post_author") or "?",
                                   text=p["post_text"]), max_len=600))
        moves = rules.TRANSITIONS.get(p["status"], ())
        if moves:
            with st.container(horizontal=True, vertical_alignment="bottom"):
                if "escalated" in moves:
                    st.selectbox(_("to"), rules.ESCALATION_TARGETS, key=f"{key}_to",
                                 width=220)
                for status in moves:
                    st.button(_(f"go_{status}"), key=f"{key}_{status}", on_click=_move,
                              args=(p, status, key, incident_id),
                              type="primary" if status == "escalated" else "secondary")
        if p.get("notes"):
            st.caption(md_escape(_("notes_now", notes=p["notes"]), max_len=1500))
        with st.expander(_("notes")), st.form(f"{key}_notes", border=False):
            st.text_area(_("notes"), value=p.get("notes") or "", key=f"{key}_notes_text",
                         height=90, max_chars=4000, label_visibility="collapsed")
            st.form_submit_button(_("save_notes"), on_click=_notes, args=(p, key))


def _move(p: dict[str, Any], status: str, key: str, incident_id: int | None) -> None:
    act(rules.move, p, status, escalated_to=st.session_state.get(f"{key}_to"),
        incident_id=incident_id,
        done=_("moved", id=p["id"], status=rules.label(status).lower()))


def _notes(p: dict[str, Any], key: str) -> None:
    text = st.session_state.get(f"{key}_notes_text") or ""

    def save(store, user):
        ensure(user, "volunteer")
        return store.update_person(p["id"], p["version"], {"notes": text}, user.username)

    act(save, done=_("notes_saved", id=p["id"]), unsaved=text)

