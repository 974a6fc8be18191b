"""The main courante: entries by people and by Vigie, filters, and the handover summary."""

from __future__ import annotations

import streamlit as st

from vigie import handover
from vigie.acting import Refused, ensure
from vigie.auth import User
from vigie.i18n import Catalog, get_lang
from vigie.periods import PERIODS, window
from vigie.ui.acts import act, show_flash
from vigie.ui.cards import local_time
from vigie.ui.safe import md_escape
from vigie.ui.session import current_user, get_store

_ = Catalog({
    "title": ("Main courante", "Log"),
    "intro": ("Journal horodaté et inaltérable des décisions, actions et relèves de la cellule ; "
              "Vigie y écrit aussi ses lignes (verdicts, remontées, personnes transmises ou "
              "localisées, publications).", "Time-stamped, unalterable log of the cell's "
              "decisions, actions and handovers; Vigie writes its own lines too (verdicts, "
              "escalations, people escalated or located, publications)."),
    "tab_log": ("Journal", "Log"), "tab_handover": ("Relève", "Handover"),
    "write": ("Nouvelle ligne", "New entry"),
    "kind": ("Type", "Kind"), "text": ("Texte", "Text"),
    "add": ("Consigner", "Record"),
    "added": ("Ligne consignée.", "Entry recorded."),
    "empty_text": ("Écrivez le texte de la ligne.", "Write the entry's text."),
    "entry": ("Information", "Entry"), "decision": ("Décision", "Decision"),
    "action": ("Action", "Action"), "handover": ("Relève", "Handover"),
    "system": ("Vigie", "Vigie"),
    "period": ("Période", "Period"),
    "1h": ("1 heure", "1 hour"), "6h": ("6 heures", "6 hours"), "24h": ("24 heures", "24 hours"),
    "7d": ("7 jours", "7 days"), "30d": ("30 jours", "30 days"), "all": ("Tout", "All"),
    "kinds": ("Types", "Kinds"), "authors": ("Auteurs", "Authors"), "any": ("Tous", "All"),
    "search": ("Texte contient", "Text contains"),
    "count": ("{n} lignes", "{n} entries"),
    "none": ("Aucune ligne pour ces filtres.", "No entry matches these filters."),
    "read_only": ("Lecture seule : votre rôle ne permet pas d'écrire dans la main courante.",
                  "Read-only: your role may not write in the log."),
    "hours": ("Relève des dernières heures", "Handover of the last hours"),
    "copy": ("Texte prêt à copier (bouton en haut à droite du cadre) :",
             "Text ready to copy (button at the top right of the box):"),
    "file": ("Consigner cette relève dans la main courante", "File this handover in the log"),
    "filed": ("Relève consignée dans la main courante.", "Handover filed in the log."),
})

KINDS = ("entry", "decision", "action", "handover")
ALL_KINDS = (*KINDS, "system")
LIMIT = 300


def page() -> None:
    user = current_user()
    st.title(_("title"))
    st.caption(_("intro"))
    show_flash()
    journal, relief = st.tabs([_("tab_log"), _("tab_handover")])
    with journal:
        _writer(user)
        _entries()
    with relief:
        _handover(user)


def _writer(user: User | None) -> None:
    if not (user and user.can("volunteer")):
        st.caption(_("read_only"))
        return
    with st.form("log_new", clear_on_submit=True):
        st.markdown(f"**{_('write')}**")
        cols = st.columns([1, 4])
        cols[0].selectbox(_("kind"), KINDS, format_func=_, key="log_kind")
        cols[1].text_area(_("text"), key="log_text", height=80, max_chars=4000)
        st.form_submit_button(_("add"), type="primary", on_click=_add)


def _add() -> None:
    kind = st.session_state.get("log_kind", "entry")
    text = (st.session_state.get("log_text") or "").strip()

    def add(store, user):
        ensure(user, "volunteer")
        if not text:
            raise Refused(_("empty_text"))
        if kind not in KINDS:
            raise ValueError(kind)
        incident = store.active_incident()
        return store.add_log(user.username, text, kind=kind,
                             incident_id=incident["id"] if incident else None)

    act(add, done=_("added"), unsaved=text)


def _entries() -> None:
    store = get_store()
    cols = st.columns([1, 2, 2, 3])
    period = cols[0].selectbox(_("period"), list(PERIODS), index=2, format_func=_,
                               key="log_period")
    kinds = cols[1].multiselect(_("kinds"), ALL_KINDS, format_func=_, key="log_kinds",
                                placeholder=_("any"))
    authors = cols[2].multiselect(_("authors"), store.log_authors(), key="log_authors",
                                  placeholder=_("any"))
    search = cols[3].text_input(_("search"), key="log_search", max_chars=200)
    since, _bucket = window(period)
    rows = store.log_entries(since=since, kinds=kinds or None, authors=authors or None,
                             search=search or None, limit=LIMIT)
    st.caption(_("count", n=len(rows)))
    if not rows:
        st.info(_("none"))
    for e in rows:
        kind = _(e["kind"]) if e["kind"] in ALL_KINDS else e["kind"]
        badge = "gray" if e["kind"] == "system" else {"decision": "red", "action": "blue",
                                                      "handover": "violet"}.get(e["kind"],
                                                                                "green")
        st.markdown(f"`{local_time(e['at'])}` :{badge}-badge[{md_escape(kind)}] "
                    f"**{md_escape(e['author'])}** — {md_escape(e['text'], max_len=3000)}")


@st.cache_data(ttl=30, show_spinner=False, max_entries=16)
def _summary(db: str, hours: float, incident_id: int | None, lang: str) -> str:
    """The handover text, kept 30 s: it counts the shift's posts, verdicts (with their
    linked posts) and people, which costs seconds at a million posts."""
    store = get_store()
    incident = store.get_incident(incident_id) if incident_id is not None else None
    return handover.summary(store, hours, incident=incident)


def _handover(user: User | None) -> None:
    store = get_store()
    hours = st.number_input(_("hours"), min_value=1, max_value=72, value=8, step=1,
                            key="log_hours")
    incident = store.active_incident()
    text = _summary(str(store.path), float(hours), incident["id"] if incident else None,
                    get_lang())
    st.caption(_("copy"))
    st.code(text, language=None, wrap_lines=True)
    if user and user.can("volunteer"):
        st.button(_("file"), key="log_file", on_click=_file, args=(text,))


def _file(text: str) -> None:
    def add(store, user):
        ensure(user, "volunteer")
        incident = store.active_incident()
        return store.add_log(user.username, text, kind="handover",
                             incident_id=incident["id"] if incident else None)

    act(add, done=_("filed"))
