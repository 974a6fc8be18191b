"""The triage queue: one card per near-duplicate cluster, most urgent first."""

from __future__ import annotations

from typing import Any

import streamlit as st

from vigie import claims as claim_rules
from vigie.i18n import Catalog
from vigie.ratings import summarize
from vigie.ui import triage_state as ts
from vigie.ui.cards import CATEGORY_COLORS, category_label, local_time
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store

_ = Catalog({
    "empty": ("La file de tri est vide : toutes les publications ont été traitées.",
              "The triage queue is empty: every post has been handled."),
    "select": ("Cocher", "Select"),
    "open": ("Activer", "Focus"),
    "size": ("{n} publications semblables", "{n} similar posts"),
    "one": ("publication unique", "single post"),
    "seen": ("première {first} · dernière {last}", "first {first} · last {last}"),
    "no_place": ("lieu inconnu", "place unknown"),
    "urgency": ("Urgence {score:.0%}", "Urgency {score:.0%}"),
    "why_urgent": ("urgence : {words}", "urgency: {words}"),
    "why_cat": ("catégories : {words}", "categories: {words}"),
    "rumor": ("signaux de rumeur : {signals}", "rumor signals: {signals}"),
    "ratings": ("Fiabilité : {ratings}", "Reliability: {ratings}"),
    "disagree": ("désaccord", "disagreement"),
    "in_claim": ("Rattachée à n°{id} ({status})", "Attached to #{id} ({status})"),
    "more": ("Groupes suivants", "Next groups"),
    "less": ("Groupes précédents", "Previous groups"),
    "range": ("Groupes {a}–{b} sur {n}", "Groups {a}–{b} of {n}"),
    "active": ("carte active", "active card"),
    "held": ("en cours : {who}", "in hand: {who}"),
})

ACTIVE_CSS = """<style>
.st-key-tq_card_{i} {{ outline: 3px solid #ffbd45; outline-offset: -3px; border-radius: .5rem; }}
</style>"""


def load(incident_id: int | None) -> list[dict[str, Any]]:
    """Query the page of clusters and remember it (with each post's version) for actions."""
    store = get_store()
    offset = int(st.session_state.get(ts.OFFSET, 0))
    rows = store.triage_queue(incident_id=incident_id, limit=ts.PAGE, offset=offset)
    if not rows and offset:
        st.session_state[ts.OFFSET] = 0
        rows = store.triage_queue(incident_id=incident_id, limit=ts.PAGE)
    refs = store.cluster_refs([r["ckey"] for r in rows], incident_id=incident_id)
    cards = [{"ckey": r["ckey"], "refs": refs.get(r["ckey"], []), "size": r["size"],
              "first_seen": r["first_seen"], "last_seen": r["last_seen"], "post": r}
             for r in rows]
    st.session_state[ts.SHOWN] = cards
    return cards


def pager(total_clusters: int) -> None:
    offset = int(st.session_state.get(ts.OFFSET, 0))
    if total_clusters <= ts.PAGE:
        return
    cols = st.columns([2, 1, 1])
    cols[0].caption(_("range", a=offset + 1, b=min(offset + ts.PAGE, total_clusters),
                      n=total_clusters))
    cols[1].button(_("less"), key="tq_less", disabled=offset == 0, on_click=_page, args=(-1,))
    cols[2].button(_("more"), key="tq_more", disabled=offset + ts.PAGE >= total_clusters,
                   on_click=_page, args=(1,))


def _page(direction: int) -> None:
    offset = int(st.session_state.get(ts.OFFSET, 0))
    st.session_state[ts.OFFSET] = max(0, offset + direction * ts.PAGE)
    st.session_state[ts.ACTIVE] = 0


def render(cards: list[dict[str, Any]], held: dict[str, str] | None = None) -> None:
    if not cards:
        st.success(_("empty"))
        return
    store = get_store()
    posts = [c["post"]["id"] for c in cards]
    ratings = summarize(store.ratings_for(posts))
    in_claims = store.claims_of_posts(posts)
    active = ts.active_index()
    st.html(ACTIVE_CSS.format(i=active))
    for i, card in enumerate(cards):
        _card(i, card, i == active, ratings.get(card["post"]["id"]),
              in_claims.get(card["post"]["id"], []), (held or {}).get(card["ckey"]))


def _card(i: int, card: dict[str, Any], active: bool, rated, claims_of,
          holder: str | None) -> None:
    post = card["post"]
    with st.container(border=True, key=f"tq_card_{i}"):
        top = st.columns([1, 5, 1], vertical_alignment="center")
        top[0].checkbox(_("select"), key=ts.sel_key(card["ckey"]))
        head = " · ".join(md_escape(x) for x in (
            local_time(post.get("created_at")), post.get("author") or "?",
            post.get("kind") or "", post.get("place") or _("no_place")) if x)
        size = _("size", n=card["size"]) if card["size"] > 1 else _("one")
        taken = f" :violet-badge[{md_escape(_('held', who=holder))}]" if holder else ""
        top[1].caption(f"{'▶ **' + _('active') + '** · ' if active else ''}{head} · "
                       f"**{md_escape(size)}**{taken}")
        top[2].button(_("open"), key=f"tq_open_{i}", on_click=ts.activate, args=(i,),
                      disabled=active)
        st.markdown(md_escape(post.get("text"), max_len=600))
        badges = " ".join(
            f":{CATEGORY_COLORS.get(c, 'gray')}-badge[{md_escape(category_label(c))}]"
            for c in post.get("categories") or [])
        urgency = float(post.get("urgency") or 0)
        if urgency >= 0.05:
            badges += f" :red-badge[{md_escape(_('urgency', score=urgency))}]"
        if badges:
            st.markdown(badges)
        reasons = []
        if post.get("urgency_reasons"):
            reasons.append(_("why_urgent", words=", ".join(post["urgency_reasons"][:8])))
        cat_words = sorted({w for ws in (post.get("category_reasons") or {}).values()
                            for w in ws})
        if cat_words:
            reasons.append(_("why_cat", words=", ".join(cat_words[:8])))
        if post.get("rumor_signals"):
            reasons.append(_("rumor", signals=", ".join(post["rumor_signals"][:4])))
        if card["size"] > 1:
            reasons.append(_("seen", first=local_time(card["first_seen"]),
                             last=local_time(card["last_seen"])))
        if reasons:
            st.caption(md_escape(" · ".join(reasons)))
        if rated:
            text = ", ".join(f"{md_escape(who)} {code}" for who, code in rated.by_rater.items())
            flag = f" :orange-badge[{_('disagree')}]" if rated.disagree else ""
            st.markdown(_("ratings", ratings=text) + flag)
        for c in claims_of:
            st.caption(md_escape(_("in_claim", id=c["id"],
                                   status=claim_rules.status_label(c["status"]))))
