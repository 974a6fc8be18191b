"""Messages page, first tab: pick a template, fill its placeholders from Vigie's data,
preview with the length counters, create a draft."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import streamlit as st

from vigie import messages
from vigie.auth import User
from vigie.i18n import Catalog
from vigie.message_templates import TEMPLATES, Template
from vigie.models import iso, utc_now
from vigie.textlength import counts
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store

_ = Catalog({
    "kind": ("Type de message", "Message type"),
    "safety": ("Consignes de sécurité", "Safety instructions"),
    "solidarity": ("Solidarité", "Solidarity"),
    "debunk": ("Démenti", "Debunk"),
    "info": ("Information", "Information"),
    "template": ("Modèle", "Template"),
    "claim": ("Affirmation jugée fausse ou trompeuse", "Claim judged false or misleading"),
    "no_claim": ("Aucune affirmation n'est jugée fausse ou trompeuse : un démenti part d'un "
                 "verdict du tableau de vérification.",
                 "No claim is judged false or misleading: a debunk starts from a verdict on "
                 "the verification board."),
    "road": ("Événement routier", "Road event"),
    "no_road": ("— saisie libre —", "— type it —"),
    "fields": ("Champs à compléter", "Fields to fill"),
    "choose": ("Choisir ou saisir", "Choose or type"),
    "preview": ("Aperçu", "Preview"),
    "exercise_note": ("Exercice en cours : le message commencera par « EXERCICE ».",
                      "An exercise is running: the message will start with \"EXERCICE\"."),
    "left": ("Champs encore vides : {names}. Le brouillon peut être créé, mais pas approuvé.",
             "Fields still empty: {names}. The draft can be created, not approved."),
    "create": ("Créer le brouillon", "Create the draft"),
    "created": ("Brouillon n°{id} créé : il attend l'approbation d'un coordinateur.",
                "Draft #{id} created: it awaits a coordinator's approval."),
    "false": ("FAUX", "FALSE"), "misleading": ("TROMPEUR", "MISLEADING"),
    "posts": ("{n} publications", "{n} posts"),
    "weighted": ("car. pondérés", "weighted chars"), "chars": ("car.", "chars"),
    "graphemes": ("graphèmes", "graphemes"), "sms": ("SMS", "SMS"),
    "gsm7": ("GSM 7 bits", "GSM 7-bit"), "ucs2": ("Unicode : accents ê, â, ç, ’… ou emoji",
                                                 "Unicode: ê, â, ç, ’… or emoji"),
    "counters": ("Longueur par réseau", "Length per network"),
    "commune": ("Commune", "Commune"), "route": ("Route", "Road"),
    "deviation": ("Déviation", "Detour"), "heure": ("Heure", "Time"),
    "date": ("Date", "Date"), "lieu": ("Lieu (centre d'hébergement, point de collecte…)",
                                       "Place (shelter, collection point…)"),
    "radio": ("Radio", "Radio"), "source": ("Sources officielles", "Official sources"),
    "organisme": ("Organisme", "Organisation"), "besoin": ("Besoin", "Need"),
    "affirmation": ("Affirmation", "Claim"), "verdict": ("Ce qui est vrai", "What is true"),
    "information": ("Information", "Information"),
})


def counter_line(text: str) -> str:
    """'X 212/280 · Mastodon …' with an alert mark where a network's limit is passed."""
    parts = []
    for c in counts(text):
        mark = "" if c.ok else " ⚠"
        if c.network == "SMS":
            parts.append(f"SMS {c.used} ({c.units} {_('chars')}, {_(c.encoding)}){mark}")
        else:
            parts.append(f"{c.network} {c.used}/{c.limit} {_(c.unit)}{mark}")
    return " · ".join(parts)


def show_counters(text: str) -> None:
    st.caption(f"{_('counters')} : {md_escape(counter_line(text))}")


def _claim_label(claim: dict[str, Any]) -> str:
    return (f"{_(claim['status'])} — {claim['title']} ("
            f"{_('posts', n=claim['posts'])})")


def _pick_claim(claims: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not claims:
        st.info(_("no_claim"))
        return None
    return st.selectbox(_("claim"), claims, format_func=_claim_label, key="msg_claim")


def _pick_road(roads: list[dict[str, Any]]) -> dict[str, Any] | None:
    return st.selectbox(_("road"), [None, *roads], key="msg_road",
                        format_func=lambda r: _("no_road") if r is None else
                        f"{messages.road_label(r)} — {r['event_type']}")


def _field(name: str, value: str, options: list[str], key: str) -> str:
    label = _(name)
    if options:
        choices = list(dict.fromkeys([value, *options] if value else options))
        picked = st.selectbox(label, choices, index=0 if value else None, key=key,
                              accept_new_options=True, placeholder=_("choose"))
        return picked or ""
    return st.text_input(label, value=value, key=key, max_chars=300)


@st.cache_data(ttl=60, show_spinner=False, max_entries=4)
def _hints(db: str, since: str) -> messages.Suggestions:
    """Placeholder values (roads in force, communes most named in the last day, shelters,
    debunked claims), kept a minute: counting the communes of a day's posts is the
    page's dearest query, and a suggestion list a minute old is fine."""
    return messages.suggestions(get_store(), since=since)


def render(user: User) -> None:
    store = get_store()
    kind = st.segmented_control(_("kind"), messages.KINDS, default="safety", format_func=_,
                                key="msg_kind") or "safety"
    templates = [t for t in TEMPLATES if t.kind == kind]
    template: Template = st.selectbox(_("template"), templates, format_func=lambda t: t.label,
                                      key=f"msg_template_{kind}")
    hints = _hints(str(store.path), iso(utc_now().replace(second=0, microsecond=0)
                                        - timedelta(hours=24)))
    text = template.title + "\n" + template.body
    names = messages.placeholder_names(text)
    claim = _pick_claim(hints.claims) if kind == "debunk" else None
    if kind == "debunk" and claim is None:
        return
    if kind == "debunk":
        template = messages.template_for_claim(claim)
    road = _pick_road(hints.roads) if "route" in names else None
    auto = messages.auto_values(road=road, claim=claim)
    options = {"commune": hints.communes, "lieu": hints.shelters}
    st.markdown(f"**{_('fields')}**")
    values: dict[str, str] = {}
    scope = f"{template.id}_{(road or {}).get('id', '')}_{(claim or {}).get('id', '')}"
    cols = st.columns(2)
    for i, name in enumerate(names):
        with cols[i % 2]:
            values[name] = _field(name, auto.get(name, ""), options.get(name, []),
                                  key=f"msg_field_{scope}_{name}")
    incident = store.active_incident()
    exercise = bool(incident and incident["exercise"])
    title = messages.with_exercise_prefix(messages.fill(template.title, values), exercise)
    body = messages.with_exercise_prefix(messages.fill(template.body, values), exercise)
    st.markdown(f"**{_('preview')}**")
    if exercise:
        st.warning(_("exercise_note"))
    with st.container(border=True):
        st.markdown(f"**{md_escape(title)}**")
        st.markdown(md_escape(body))
    show_counters(body)
    left = messages.unfilled(title + body)
    if left:
        st.info(_("left", names=", ".join(left)))
    if st.button(_("create"), type="primary", key="msg_create"):
        try:
            message_id = messages.draft(store, user, template.id, values,
                                        claim_id=(claim or {}).get("id"),
                                        area=values.get("commune"))
        except (PermissionError, messages.MessageError) as exc:
            from vigie.ui.message_queue import explain

            st.error(explain(exc))
        else:
            st.session_state["msg_flash"] = _("created", id=message_id)
            st.rerun()
