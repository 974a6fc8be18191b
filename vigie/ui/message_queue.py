"""Messages page, second and third tabs: drafts to edit and approve, approved messages to
record as sent, their CAP / ClaimReview files, their history; the log of what was sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from vigie import messages
from vigie.auth import User
from vigie.exports import outgoing
from vigie.i18n import Catalog
from vigie.reports.labels import local
from vigie.store import StaleEdit
from vigie.ui.message_compose import show_counters
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store

_ = Catalog({
    "page": ("Page (sur {n})", "Page (of {n})"),
    "filter": ("Afficher", "Show"),
    "draft": ("Brouillons", "Drafts"), "approved": ("Approuvés", "Approved"),
    "sent": ("Diffusés", "Sent"), "all": ("Tous", "All"),
    "status_draft": ("BROUILLON", "DRAFT"), "status_approved": ("APPROUVÉ", "APPROVED"),
    "status_sent": ("DIFFUSÉ", "SENT"),
    "none": ("Aucun message.", "No message."),
    "meta": ("n°{id} · {kind} · rédigé par {by} le {at} · version {version}",
             "#{id} · {kind} · written by {by} on {at} · version {version}"),
    "approved_by": ("Approuvé par {by} le {at}", "Approved by {by} on {at}"),
    "sent_on": ("Diffusé sur {channels} (première diffusion le {at})",
                "Sent on {channels} (first sent {at})"),
    "edit": ("Modifier", "Edit"), "title": ("Titre", "Title"), "body": ("Texte", "Text"),
    "area": ("Zone (communes, séparées par des virgules)", "Area (communes, comma separated)"),
    "cap": ("Valeurs CAP", "CAP values"), "urgency": ("Urgence", "Urgency"),
    "severity": ("Gravité", "Severity"), "certainty": ("Certitude", "Certainty"),
    "save": ("Enregistrer", "Save"),
    "saved": ("Message enregistré.", "Message saved."),
    "back_to_draft": ("Un message approuvé que l'on modifie redevient un brouillon.",
                      "Editing an approved message makes it a draft again."),
    "approve": ("Approuver", "Approve"),
    "approved_ok": ("Message approuvé.", "Message approved."),
    "send": ("Enregistrer une diffusion", "Record a send"),
    "channel": ("Canal", "Channel"), "day": ("Jour", "Day"), "time": ("Heure", "Time"),
    "note": ("Note (lien de la publication…)", "Note (link to the post…)"),
    "record": ("Enregistrer la diffusion", "Record the send"),
    "recorded": ("Diffusion enregistrée.", "Send recorded."),
    "record_only": ("Vigie enregistre la diffusion ; il ne publie rien lui-même.",
                    "Vigie records the send; it posts nothing itself."),
    "cap_file": ("Télécharger en CAP 1.2", "Download as CAP 1.2"),
    "review_file": ("Télécharger la ClaimReview (JSON-LD)", "Download the ClaimReview (JSON-LD)"),
    "history": ("Historique", "History"),
    "when": ("quand", "when"), "who": ("qui", "who"), "what": ("action", "action"),
    "send_action": ("diffusion", "send"),
    "stale": ("Ce message a été modifié par {by} à {at} : la page a été rechargée avec la "
              "nouvelle version, refaites votre modification si elle est toujours utile.",
              "This message was changed by {by} at {at}: the page now shows the new version; "
              "redo your change if it is still needed."),
    "changed": ("Modifié par {by} à {at} depuis que vous l'avez ouvert : toute action sur "
                "l'ancienne version sera refusée.",
                "Changed by {by} at {at} since you opened it: any action on the old version "
                "will be refused."),
    "forbidden": ("Action réservée au rôle « {role} » ou supérieur.",
                  "Only the role \"{role}\" or above may do this."),
    "err_sent_locked": ("Un message diffusé ne se modifie plus : rédigez-en un nouveau.",
                        "A sent message cannot be edited: write a new one."),
    "err_placeholders": ("Champs encore à compléter : {names}.", "Fields left to fill: {names}."),
    "err_not_draft": ("Seul un brouillon peut être approuvé.", "Only a draft can be approved."),
    "err_not_approved": ("Le message doit d'abord être approuvé.",
                         "The message must be approved first."),
    "err_empty": ("Le texte est vide.", "The text is empty."),
    "err_future_send": ("Une diffusion ne peut pas être dans le futur.",
                        "A send cannot be in the future."),
    "err_debunk_needs_claim": ("Un démenti part d'une affirmation jugée.",
                               "A debunk starts from a judged claim."),
    "err_claim_not_debunked": ("L'affirmation n'est ni fausse ni trompeuse.",
                               "The claim is neither false nor misleading."),
    "err_other": ("Action refusée : {detail}", "Action refused: {detail}"),
    "log_time": ("diffusé le", "sent at"), "log_channel": ("canal", "channel"),
    "log_title": ("message", "message"), "log_by": ("par", "by"),
    "log_none": ("Aucune diffusion enregistrée.", "No send recorded yet."),
    "kind_safety": ("consignes", "safety"), "kind_solidarity": ("solidarité", "solidarity"),
    "kind_debunk": ("démenti", "debunk"), "kind_info": ("information", "information"),
})

FILTERS = {"draft": ("draft",), "approved": ("approved",), "sent": ("sent",),
           "all": messages.STATUSES}


def explain(exc: Exception) -> str:
    """A refused action, in the reader's language."""
    if isinstance(exc, PermissionError):
        return _("forbidden", role=str(exc.args[0]) if exc.args else "coordinator")
    if isinstance(exc, StaleEdit):
        return _("stale", by=exc.by or "?", at=local(exc.at))
    if isinstance(exc, messages.MessageError):
        key = f"err_{exc.key}"
        if key in _.messages:
            return _(key, **exc.params)
        return _("err_other", detail=exc.key)
    return _("err_other", detail=str(exc))


def seen_version(m: dict[str, Any]) -> int:
    """The version this session first showed: every action is based on it, so a change
    made meanwhile by someone else is refused (StaleEdit), never silently overwritten."""
    return st.session_state.setdefault(f"msg_seen_{m['id']}", m["version"])


def _act(fn, message_id: int, *args, ok: str, **kwargs) -> None:
    try:
        fn(*args, **kwargs)
    except (PermissionError, StaleEdit, messages.MessageError) as exc:
        st.session_state["msg_error"] = explain(exc)
    else:
        st.session_state["msg_flash"] = _(ok)
    st.session_state.pop(f"msg_seen_{message_id}", None)  # next run shows the current row
    st.rerun()


def _edit_form(user: User, m: dict[str, Any]) -> None:
    with st.form(f"msg_edit_{m['id']}"):
        title = st.text_input(_("title"), value=m["title"] or "", max_chars=messages.MAX_TITLE)
        body = st.text_area(_("body"), value=m["body"], height=200,
                            max_chars=messages.MAX_BODY)
        area = st.text_input(_("area"), value=m["area"] or "", max_chars=300)
        st.caption(_("cap"))
        c1, c2, c3 = st.columns(3)
        cap = {
            "cap_urgency": c1.selectbox(_("urgency"), messages.CAP_URGENCY,
                                        index=_index(messages.CAP_URGENCY, m["cap_urgency"])),
            "cap_severity": c2.selectbox(_("severity"), messages.CAP_SEVERITY,
                                         index=_index(messages.CAP_SEVERITY,
                                                      m["cap_severity"])),
            "cap_certainty": c3.selectbox(_("certainty"), messages.CAP_CERTAINTY,
                                          index=_index(messages.CAP_CERTAINTY,
                                                       m["cap_certainty"])),
        }
        if m["status"] == "approved":
            st.caption(_("back_to_draft"))
        if st.form_submit_button(_("save")):
            _act(messages.edit, m["id"], get_store(), user, m["id"], seen_version(m),
                 title=title, body=body, area=area, cap=cap, ok="saved")


def _index(options: tuple[str, ...], value: str | None) -> int:
    return options.index(value) if value in options else len(options) - 1


def _send_form(user: User, m: dict[str, Any]) -> None:
    now = datetime.now(messages.LOCAL_TZ)
    with st.form(f"msg_send_{m['id']}"):
        st.caption(_("record_only"))
        c1, c2, c3 = st.columns(3)
        channel = c1.selectbox(_("channel"), messages.CHANNELS)
        day = c2.date_input(_("day"), value=now.date(), format="DD/MM/YYYY")
        at = c3.time_input(_("time"), value=now.time().replace(second=0, microsecond=0))
        note = st.text_input(_("note"), max_chars=500)
        if st.form_submit_button(_("record"), type="primary"):
            _act(messages.record_send, m["id"], get_store(), user, m["id"], seen_version(m),
                 channel=channel, sent_at=messages.local_to_iso(day, at), note=note,
                 ok="recorded")


def _downloads(m: dict[str, Any]) -> None:
    store = get_store()
    cols = st.columns(2)
    if m["status"] in ("approved", "sent"):
        name, data = outgoing.cap_document(store, m["id"])
        cols[0].download_button(_("cap_file"), data, file_name=name,
                                mime="application/xml", key=f"msg_cap_{m['id']}",
                                on_click="ignore", icon=":material/download:")
    if m["kind"] == "debunk" and m["claim_id"]:
        claim = store.get_claim_row(m["claim_id"])
        if claim and claim["status"] in ("false", "misleading"):
            name, data = outgoing.claimreview_document(store, m["claim_id"])
            cols[1].download_button(_("review_file"), data, file_name=name,
                                    mime="application/ld+json", key=f"msg_review_{m['id']}",
                                    on_click="ignore", icon=":material/download:")


def _history(m: dict[str, Any]) -> None:
    store = get_store()
    rows = [(a["at"], a["actor"], a["action"])
            for a in store.audit_entries(entity="messages", entity_id=m["id"], limit=50)]
    rows += [(s["sent_at"], s["recorded_by"], f"{_('send_action')} {s['channel']}")
             for s in store.message_sends(m["id"])]
    if rows:
        frame = pd.DataFrame([{_("when"): local(at), _("who"): who, _("what"): what}
                              for at, who, what in sorted(rows)])
        st.dataframe(frame, hide_index=True, width="stretch")


def message_card(user: User, m: dict[str, Any]) -> None:
    with st.container(border=True):
        status = _(f"status_{m['status']}")
        color = {"draft": "orange", "approved": "blue", "sent": "green"}[m["status"]]
        st.markdown(f":{color}-badge[{status}] **{md_escape(m['title'] or '')}**")
        st.caption(md_escape(_("meta", id=m["id"], kind=_(f"kind_{m['kind']}"),
                               by=m["created_by"] or "?", at=local(m["created_at"]),
                               version=m["version"])))
        st.markdown(md_escape(m["body"]))
        show_counters(m["body"])
        if m["approved_by"]:
            st.caption(md_escape(_("approved_by", by=m["approved_by"],
                                   at=local(m["approved_at"]))))
        if m["status"] == "sent":
            st.caption(md_escape(_("sent_on", channels=m["channel"] or "?",
                                   at=local(m["sent_at"]))))
        seen = seen_version(m)
        if seen != m["version"]:
            st.warning(_("changed", by=m["updated_by"] or "?", at=local(m["updated_at"])))
        if m["status"] == "draft" and user.can("coordinator") and st.button(
                _("approve"), key=f"msg_approve_{m['id']}", type="primary"):
            _act(messages.approve, m["id"], get_store(), user, m["id"], seen, ok="approved_ok")
        if m["status"] != "sent":
            with st.expander(_("edit")):
                _edit_form(user, m)
        if m["status"] in ("approved", "sent") and user.can("coordinator"):
            with st.expander(_("send")):
                _send_form(user, m)
        _downloads(m)
        with st.expander(_("history")):
            _history(m)


PAGE = 20  # message cards per page, newest change first


def render(user: User) -> None:
    choice = st.segmented_control(_("filter"), list(FILTERS), default="draft", format_func=_,
                                  key="msg_filter") or "draft"
    rows = get_store().list_messages(statuses=FILTERS[choice], limit=100)
    if not rows:
        st.info(_("none"))
    pages = max(1, -(-len(rows) // PAGE))
    if pages > 1:  # each card reads its history and sends: draw one page of them
        page = st.number_input(_("page", n=pages), min_value=1, max_value=pages, step=1,
                               key="msg_page")
        rows = rows[(int(page) - 1) * PAGE:int(page) * PAGE]
    for m in rows:
        message_card(user, m)


def sent_log() -> None:
    rows = get_store().messages_sent_between(None, "9999")
    if not rows:
        st.info(_("log_none"))
        return
    frame = pd.DataFrame([{_("log_time"): local(r["sent_at"]), _("log_channel"): r["channel"],
                           _("log_title"): r["title"], _("log_by"): r["recorded_by"]}
                          for r in reversed(rows)])
    st.dataframe(frame, hide_index=True, width="stretch")
