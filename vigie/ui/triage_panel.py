"""The triage action panel: keyboard shortcuts and forms that act on the selection.

Streamlit buttons take a `shortcut`: each common action has a single key, shown on the button,
so a volunteer can work the queue without the mouse. Single keys do not fire while typing in
a text field. C and R are reserved by Streamlit.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from vigie import claims as claim_rules
from vigie import people as people_rules
from vigie import triage
from vigie.i18n import Catalog
from vigie.ratings import INFOS, SOURCES, info_label, source_label
from vigie.ui import triage_state as ts
from vigie.ui.acts import act
from vigie.ui.cards import category_label
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store

_ = Catalog({
    "targets": ("Agit sur : {what}", "Acts on: {what}"),
    "t_active": ("la carte active ({n} publication{s})", "the active card ({n} post{s})"),
    "t_selected": ("{cards} cartes cochées ({n} publications)",
                   "{cards} selected cards ({n} posts)"),
    "next": ("Suivante", "Next"), "prev": ("Précédente", "Previous"),
    "toggle": ("Cocher / décocher", "Select / unselect"),
    "clear": ("Tout décocher", "Clear selection"),
    "relevant": ("Pertinent", "Relevant"),
    "irrelevant": ("Hors sujet", "Not relevant"),
    "escalate": ("Remonter à la cellule", "Escalate to the cell"),
    "undo": ("Annuler", "Undo"),
    "undo_help": ("Annule « {what} » sur {n} publication(s)", "Undoes \"{what}\" on {n} post(s)"),
    "undone": ("Action annulée ({n} publication(s) de retour dans la file).",
               "Action undone ({n} post(s) back in the queue)."),
    "categories": ("Catégories (touche = ajouter / retirer)", "Categories (key = add / remove)"),
    "place": ("Lieu", "Place"),
    "commune": ("Commune (tapez pour chercher)", "Commune (type to search)"),
    "set_place": ("Placer", "Set place"),
    "choose": ("Choisir une commune", "Choose a commune"),
    "rating": ("Fiabilité (échelle de l'Amirauté)", "Reliability (Admiralty scale)"),
    "source": ("Source", "Source"), "info": ("Information", "Information"),
    "rate": ("Enregistrer ma note", "Save my rating"),
    "claim": ("Affirmation à vérifier", "Claim to verify"),
    "suggested": ("Affirmations existantes semblables :", "Similar existing claims:"),
    "attach": ("Rattacher à n°{id}", "Attach to #{id}"),
    "no_suggestion": ("Aucune affirmation existante ne ressemble à cette carte.",
                      "No existing claim looks like this card."),
    "title": ("Titre de la nouvelle affirmation", "Title of the new claim"),
    "new_claim": ("Nouvelle affirmation", "New claim"),
    "person": ("Personne en détresse ou disparue", "Person in distress or missing"),
    "kind": ("Situation", "Situation"),
    "description": ("Description (qui, où, depuis quand)", "Description (who, where, since when)"),
    "person_place": ("Lieu", "Place"),
    "flag": ("Signaler la personne", "Flag the person"),
    "done_status": ("{n} publication(s) : {what}.", "{n} post(s): {what}."),
    "done_cat": ("Catégorie « {cat} » {how} ({n} publication(s)).",
                 "Category \"{cat}\" {how} ({n} post(s))."),
    "added": ("ajoutée", "added"), "removed": ("retirée", "removed"),
    "done_place": ("Lieu « {place} » placé ({n} publication(s)).",
                   "Place \"{place}\" set ({n} post(s))."),
    "done_rate": ("Note {code} enregistrée ({n} publication(s)).",
                  "Rating {code} saved ({n} post(s))."),
    "done_claim": ("Affirmation n°{id} créée avec {n} publication(s) ; suivez-la sur le tableau "
                   "de vérification.", "Claim #{id} created with {n} post(s); follow it on the "
                   "verification board."),
    "done_attach": ("{n} publication(s) rattachée(s) à n°{id}.", "{n} post(s) attached to #{id}."),
    "done_flag": ("Signalement n°{id} créé ; suivez-le sur la page Personnes.",
                  "Report #{id} created; follow it on the People page."),
    "nothing": ("Aucune carte à traiter.", "No card to act on."),
})

STATUS_KEYS = (("relevant", "P"), ("irrelevant", "N"), ("escalate", "E"))
UNDO = "tq_undo_last"  # what the last status action changed, for Z


def render(incident: dict[str, Any] | None) -> None:
    """The panel for the current targets (checked cards, else the active card)."""
    cards = ts.target_cards()
    if not cards:
        st.info(_("nothing"))
        return
    n = sum(len(c["refs"]) for c in cards)
    if ts.selected_cards():
        what = _("t_selected", cards=len(cards), n=n)
    else:
        what = _("t_active", n=n, s="s" if n > 1 else "")
    st.markdown(f"**{_('targets', what=what)}**")
    _navigation()
    _status_buttons(incident)
    _category_buttons()
    focus = ts.focus_card()
    _place_form(focus, incident)
    _rating_form()
    _claim_section(focus, incident)
    _person_form(focus, incident)


def _navigation() -> None:
    with st.container(horizontal=True, gap="small"):
        st.button(_("prev"), key="tq_prev", shortcut="K", on_click=ts.move, args=(-1,))
        st.button(_("next"), key="tq_next", shortcut="J", on_click=ts.move, args=(1,))
        st.button(_("toggle"), key="tq_toggle", shortcut="X",
                  on_click=ts.toggle_active_selection)
        st.button(_("clear"), key="tq_clear", on_click=ts.clear_selection)


def _status_buttons(incident: dict[str, Any] | None) -> None:
    incident_id = incident["id"] if incident else None
    with st.container(horizontal=True, gap="small"):
        for action, key in STATUS_KEYS:
            st.button(_(action), key=f"tq_{action}", shortcut=key, on_click=_do_status,
                      args=(action, incident_id),
                      type="primary" if action == "escalate" else "secondary")
        last = st.session_state.get(UNDO)
        st.button(_("undo"), key="tq_undo", shortcut="Z", on_click=_do_undo,
                  args=(incident_id,), disabled=not last, icon=":material/undo:",
                  help=_("undo_help", what=_(last["action"]).lower(), n=len(last["changed"]))
                  if last else None)


def _do_status(action: str, incident_id: int | None) -> None:
    focus = ts.focus_card()
    changed = act(triage.set_status, ts.target_refs(), action,
                  sample=focus["post"] if focus else None, incident_id=incident_id,
                  done=lambda c: _("done_status", n=len(c), what=_(action).lower()))
    if changed:
        st.session_state[UNDO] = {"action": action, "changed": changed}


def _do_undo(incident_id: int | None) -> None:
    last = st.session_state.pop(UNDO, None)
    if last:
        act(triage.undo, last["changed"], escalated=last["action"] == "escalate",
            incident_id=incident_id, done=lambda n: _("undone", n=n))


def _category_buttons() -> None:
    st.caption(_("categories"))
    focus = ts.focus_card()
    present = set((focus or {}).get("post", {}).get("categories") or [])
    with st.container(horizontal=True, gap="small"):
        for key, category in triage.CATEGORY_KEYS.items():
            st.button(category_label(category), key=f"tq_cat_{category}", shortcut=key,
                      on_click=_do_category, args=(category,),
                      icon=":material/check:" if category in present else None)


def _do_category(category: str) -> None:
    focus = ts.focus_card()
    present = category in ((focus or {}).get("post", {}).get("categories") or [])
    act(triage.toggle_category, ts.target_refs(), category, present,
        done=lambda n: _("done_cat", cat=category_label(category), n=n,
                         how=_("removed") if present else _("added")))


def _place_form(focus: dict[str, Any] | None, incident: dict[str, Any] | None) -> None:
    departements = tuple((incident or {}).get("departements") or ("21",))
    communes = triage.area_communes(departements)
    labels = {c.insee: triage.commune_label(c) for c in communes}
    current = (focus or {}).get("post", {}).get("insee")
    options = list(labels)
    ckey = (focus or {}).get("ckey", "none")
    with st.form(f"tq_place_form_{ckey}", border=False):
        cols = st.columns([2, 1], vertical_alignment="bottom")
        cols[0].selectbox(_("commune"), options, format_func=labels.get, key=f"tq_place_{ckey}",
                          index=options.index(current) if current in labels else None,
                          placeholder=_("choose"))
        cols[1].form_submit_button(_("set_place"), shortcut="L", on_click=_do_place,
                                   args=(labels, ckey), width="stretch")


def _do_place(labels: dict[str, str], ckey: str) -> None:
    insee = st.session_state.get(f"tq_place_{ckey}")
    if not insee:
        return
    act(triage.set_place, ts.target_refs(), insee,
        done=lambda c: _("done_place", place=labels.get(insee, insee), n=len(c)))


def _rating_form() -> None:
    with st.form("tq_rate_form", border=False):
        st.caption(_("rating"))
        cols = st.columns(2)
        cols[0].radio(_("source"), SOURCES, format_func=source_label, key="tq_src", index=None)
        cols[1].radio(_("info"), INFOS, format_func=info_label, key="tq_info", index=None)
        st.form_submit_button(_("rate"), shortcut="F", on_click=_do_rate)


def _do_rate() -> None:
    src, info = st.session_state.get("tq_src"), st.session_state.get("tq_info")
    if src is None and info is None:
        return
    ids = [pid for pid, _v in ts.target_refs()]
    act(triage.rate, ids, src, info,
        done=_("done_rate", code=f"{src or '?'}{info or '?'}", n=len(ids)))


def _claim_section(focus: dict[str, Any] | None, incident: dict[str, Any] | None) -> None:
    st.caption(_("claim"))
    post = (focus or {}).get("post")
    if post:
        suggestions = claim_rules.suggest(get_store(), post)
        if suggestions:
            st.markdown(_("suggested"))
        else:
            st.caption(_("no_suggestion"))
        for i, s in enumerate(suggestions):
            cols = st.columns([4, 1], vertical_alignment="center")
            cols[0].markdown(f"n°{s.claim['id']} · **{md_escape(s.claim['title'])}** · "
                             f"{md_escape(claim_rules.status_label(s.claim['status']))} · "
                             f"_{md_escape(s.why)}_")
            cols[1].button(_("attach", id=s.claim["id"]), key=f"tq_attach_{s.claim['id']}",
                           shortcut="S" if i == 0 else None, on_click=_do_attach,
                           args=(s.claim["id"],), width="stretch")
    ckey = (focus or {}).get("ckey", "none")
    with st.form(f"tq_claim_form_{ckey}", border=False):
        st.text_input(_("title"), value=_first_words(post), key=f"tq_claim_title_{ckey}",
                      max_chars=200)
        st.form_submit_button(_("new_claim"), shortcut="Shift+A", on_click=_do_new_claim,
                              args=(ckey, incident["id"] if incident else None))


def _first_words(post: dict[str, Any] | None, n: int = 120) -> str:
    import re

    text = re.sub(r"^RT @\S+:?\s*", "", " ".join(((post or {}).get("text") or "").split()))
    return text if len(text) <= n else text[: n - 1] + "…"


def _do_new_claim(ckey: str, incident_id: int | None) -> None:
    title = st.session_state.get(f"tq_claim_title_{ckey}", "")
    refs = ts.target_refs()
    cluster = next((c["post"].get("cluster_id") for c in ts.target_cards()
                    if c["post"].get("cluster_id")), None)
    act(claim_rules.create, title, refs, incident_id=incident_id, cluster_id=cluster,
        unsaved=title, done=lambda claim_id: _("done_claim", id=claim_id, n=len(refs)))


def _do_attach(claim_id: int) -> None:
    from vigie.acting import ensure

    def attach(store, user, refs):
        ensure(user, "volunteer")
        return store.attach_posts(claim_id, refs, user.username)

    act(attach, ts.target_refs(), done=lambda n: _("done_attach", n=n, id=claim_id))


def _person_form(focus: dict[str, Any] | None, incident: dict[str, Any] | None) -> None:
    post = (focus or {}).get("post") or {}
    ckey = (focus or {}).get("ckey", "none")
    with st.form(f"tq_person_form_{ckey}", border=False):
        st.caption(_("person"))
        cols = st.columns([1, 2])
        cols[0].radio(_("kind"), people_rules.PERSON_KINDS, format_func=people_rules.label,
                      key=f"tq_pkind_{ckey}")
        cols[1].text_input(_("person_place"), value=post.get("place") or "",
                           key=f"tq_pplace_{ckey}", max_chars=120)
        st.text_area(_("description"), value=" ".join((post.get("text") or "").split()),
                     key=f"tq_pdesc_{ckey}", height=80, max_chars=2000)
        st.form_submit_button(_("flag"), shortcut="Shift+D", on_click=_do_flag,
                              args=(ckey, incident["id"] if incident else None))


def _do_flag(ckey: str, incident_id: int | None) -> None:
    focus = ts.focus_card()
    post = focus["post"] if focus and focus["ckey"] == ckey else None
    description = st.session_state.get(f"tq_pdesc_{ckey}", "")
    act(people_rules.report, st.session_state.get(f"tq_pkind_{ckey}", "distress"),
        description, post=post, place=st.session_state.get(f"tq_pplace_{ckey}") or None,
        incident_id=incident_id, unsaved=description,
        done=lambda person_id: _("done_flag", id=person_id))
