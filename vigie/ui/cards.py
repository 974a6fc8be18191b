"""How one post looks wherever it is listed. Post text always goes through md_escape."""

from __future__ import annotations

from typing import Any

import streamlit as st

from vigie.i18n import Catalog
from vigie.ui.safe import md_escape

_ = Catalog({
    "help_request": ("Demande d'aide", "Help request"),
    "missing_or_found": ("Disparu / retrouvé", "Missing or found"),
    "casualties": ("Victimes", "Casualties"),
    "infrastructure": ("Réseaux, infrastructures", "Infrastructure"),
    "roads_traffic": ("Routes", "Roads and traffic"),
    "evacuation_shelter": ("Évacuation, hébergement", "Evacuation, shelter"),
    "caution_advice": ("Consignes", "Caution and advice"),
    "solidarity": ("Solidarité", "Solidarity"),
    "sympathy": ("Soutien", "Sympathy"),
    "other_relevant": ("Autre information utile", "Other relevant"),
    "not_relevant": ("Hors sujet", "Not relevant"),
    "urgency": ("Urgence {score:.0%}", "Urgency {score:.0%}"),
    "why": ("pourquoi : {reasons}", "why: {reasons}"),
    "rumor": ("Signaux de rumeur : {signals}", "Rumor signals: {signals}"),
    "no_place": ("lieu inconnu", "place unknown"),
})

CATEGORY_COLORS = {
    "help_request": "red", "missing_or_found": "orange", "casualties": "red",
    "infrastructure": "violet", "roads_traffic": "orange", "evacuation_shelter": "blue",
    "caution_advice": "green", "solidarity": "green", "sympathy": "gray",
    "other_relevant": "blue", "not_relevant": "gray",
}


def category_label(category: str) -> str:
    return _(category)


def local_time(iso_time: str | None) -> str:
    """HH:MM in the crisis cell's time zone (Europe/Paris), day when not today."""
    if not iso_time:
        return "—"
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        dt = datetime.fromisoformat(iso_time.replace("Z", "+00:00")).astimezone(
            ZoneInfo("Europe/Paris"))
    except ValueError:
        return md_escape(iso_time)
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    return dt.strftime("%H:%M") if dt.date() == today else dt.strftime("%d/%m %H:%M")


def post_card(post: dict[str, Any]) -> None:
    """A bordered card: who, when, where; the text; categories, urgency and why."""
    with st.container(border=True):
        place = post.get("place") or _("no_place")
        head = " · ".join(
            md_escape(x) for x in (local_time(post.get("created_at")), post.get("author") or "?",
                                   post.get("kind") or "", place) if x)
        st.caption(head)
        st.markdown(md_escape(post.get("text"), max_len=1200))
        categories = post.get("categories") or []
        badges = " ".join(
            f":{CATEGORY_COLORS.get(c, 'gray')}-badge[{md_escape(category_label(c))}]"
            for c in categories[:4])
        urgency = float(post.get("urgency") or 0)
        line = badges
        if urgency >= 0.05:
            line += f" :red-badge[{md_escape(_('urgency', score=urgency))}]"
        if line:
            st.markdown(line)
        reasons = post.get("category_reasons") or {}
        words = sorted({w for ws in reasons.values() for w in ws} |
                       set(post.get("urgency_reasons") or []))
        if words:
            st.caption(md_escape(_("why", reasons=", ".join(words[:12]))))
        if post.get("rumor_signals"):
            st.caption(md_escape(_("rumor", signals=", ".join(post["rumor_signals"][:5]))))
