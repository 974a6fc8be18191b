"""The verification board: claims as cards in their six status columns."""

from __future__ import annotations

from typing import Any

import streamlit as st

from vigie import claims as claim_rules
from vigie.durations import human
from vigie.i18n import Catalog
from vigie.store.claims import CLAIM_STATUSES
from vigie.ui import claim_detail
from vigie.ui.acts import show_flash
from vigie.ui.cards import local_time
from vigie.ui.safe import md_escape
from vigie.ui.session import current_user, get_store

_ = Catalog({
    "title": ("Vérification", "Verification board"),
    "intro": ("Chaque carte est une affirmation à vérifier. Ouvrez-la pour ajouter des preuves, "
              "la déplacer ou rendre un verdict ; seul un coordinateur publie un verdict sur la "
              "carte publique.", "Each card is a claim to verify. Open it to add evidence, move "
              "it or give a verdict; only a coordinator publishes a verdict on the public map."),
    "filter": ("Filtrer les titres", "Filter titles"),
    "mine": ("Mes affirmations", "My claims"),
    "posts": ("{n} publ.", "{n} posts"),
    "first": ("1re {t}", "first {t}"),
    "owner": ("suivie par {who}", "owned by {who}"),
    "nobody": ("sans responsable", "no owner"),
    "moved": ("{status} par {who} à {at}", "{status} by {who} at {at}"),
    "verdict_in": ("verdict en {d}", "verdict in {d}"),
    "open_for": ("ouverte depuis {d}", "open for {d}"),
    "published": ("publiée", "published"),
    "evidence": ("{n} preuve(s), dont : {last}", "{n} piece(s) of evidence, latest: {last}"),
    "note": ("Note : {text}", "Note: {text}"),
    "public": ("Message public : {text}", "Public message: {text}"),
    "open": ("Ouvrir", "Open"),
    "more": ("… et {n} autres : filtrez les titres pour les trouver.",
             "… and {n} more: filter the titles to find them."),
    "spark": ("publications par 10 minutes", "posts per 10 minutes"),
    "none": ("—", "—"),
    "empty": ("Aucune affirmation : créez-en depuis la page Tri.",
              "No claim yet: create them from the Triage page."),
})

OPEN = "board_open"
STATS_TTL = 30  # seconds the linked posts' figures are kept
COLUMN_CARDS = 15  # cards per column; the title filter finds the others
NO_STATS: dict[str, Any] = {"posts": 0, "first_seen": None, "last_seen": None, "spark": ""}
SPARK_CSS = """<style>
.vigie-spark { font-size: 1.35rem; line-height: 1; color: #7fd1ae; letter-spacing: -1px;
  white-space: nowrap; overflow: hidden; }
</style>"""


def page() -> None:
    store = get_store()
    user = current_user()
    incident = store.active_incident()
    st.title(_("title"))
    st.caption(_("intro"))
    show_flash()
    cols = st.columns([3, 1])
    text = cols[0].text_input(_("filter"), key="board_filter", max_chars=100)
    mine = cols[1].toggle(_("mine"), key="board_mine")
    claims = store.claims_board(incident_id=incident["id"] if incident else None, stats=False)
    known = card_stats(str(store.path), tuple(c["id"] for c in claims))
    for c in claims:
        c.update(known.get(c["id"], NO_STATS))
    if text:
        claims = [c for c in claims if text.casefold() in c["title"].casefold()]
    if mine and user:
        claims = [c for c in claims if c.get("owner") == user.username]
    if not claims:
        st.info(_("empty"))
    else:
        _columns(claims)
    open_id = st.session_state.get(OPEN)
    if open_id:
        claim_detail.render(int(open_id), user, incident)


@st.cache_data(ttl=STATS_TTL, show_spinner=False, max_entries=16)
def card_stats(db: str, ids: tuple[int, ...]) -> dict[int, dict[str, Any]]:
    """Linked posts' count, first and last seen and spread line of each claim. A claim
    linked to a viral cluster counts 100,000 posts at a million: seconds of SQL, so the
    figures are kept STATS_TTL seconds (a move or an edit shows at once: only these
    figures wait)."""
    store = get_store()
    stats, spread = store.claim_stats(list(ids)), store.claim_spread(list(ids))
    return {i: {**stats.get(i, NO_STATS), "spark": claim_rules.sparkline(spread.get(i, []))}
            for i in ids}


def _columns(claims: list[dict[str, Any]]) -> None:
    store = get_store()
    evidence = store.evidence_for([c["id"] for c in claims])
    st.html(SPARK_CSS)
    columns = st.columns(len(CLAIM_STATUSES), gap="small")
    for col, status in zip(columns, CLAIM_STATUSES, strict=True):
        in_col = [c for c in claims if c["status"] == status]
        with col:
            st.markdown(f"**{claim_rules.status_label(status)}** ({len(in_col)})")
            for c in in_col[:COLUMN_CARDS]:
                _card(c, evidence.get(c["id"], []))
            if len(in_col) > COLUMN_CARDS:
                st.caption(_("more", n=len(in_col) - COLUMN_CARDS))


def _card(c: dict[str, Any], evidence: list[dict[str, Any]]) -> None:
    with st.container(border=True, key=f"bc_{c['id']}"):
        st.markdown(f"**n°{c['id']}** {md_escape(c['title'], max_len=90)}")
        bits = [_("posts", n=c["posts"])]
        if c.get("first_seen"):
            bits.append(_("first", t=local_time(c["first_seen"])))
        took = claim_rules.time_to_verdict(c)
        bits.append(_("verdict_in", d=human(took)) if took is not None
                    else _("open_for", d=human(claim_rules.open_for(c))))
        st.caption(" · ".join(bits))
        spark = c.get("spark")
        if spark:  # our own block characters only: safe as HTML
            st.html(f'<div class="vigie-spark" title="{_("spark")}">{spark}</div>')
        owner = _("owner", who=c["owner"]) if c.get("owner") else _("nobody")
        moved = _("moved", status=claim_rules.status_label(c["status"]).lower(),
                  who=c.get("status_by") or c.get("created_by") or "?",
                  at=local_time(c.get("status_at") or c["created_at"]))
        st.caption(md_escape(f"{owner} · {moved}"))
        if evidence:
            st.caption(md_escape(_("evidence", n=len(evidence), last=evidence[-1]["content"]),
                                 max_len=160))
        if c.get("verdict_note"):
            st.caption(md_escape(_("note", text=c["verdict_note"]), max_len=160))
        if c.get("public_message"):
            st.caption(md_escape(_("public", text=c["public_message"]), max_len=160))
        if c.get("published"):
            st.markdown(f":green-badge[{_('published')}]")
        st.button(_("open"), key=f"bo_{c['id']}", on_click=_open, args=(c["id"],),
                  width="stretch")


def _open(claim_id: int) -> None:
    st.session_state[OPEN] = claim_id
