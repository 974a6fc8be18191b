"""Posts that contradict the road data, on the Roads page: what the post says, what the
data said then, what it says now; a volunteer marks each one checked."""

from __future__ import annotations

from typing import Any

import streamlit as st

from vigie.contradictions import RoadClaim, compare
from vigie.i18n import Catalog
from vigie.models import utc_now
from vigie.store import StaleEdit
from vigie.ui.cards import local_time, post_card
from vigie.ui.roads_forms import flash
from vigie.ui.safe import md_escape
from vigie.ui.session import current_user, get_store

_ = Catalog({
    "page": ("Page (sur {n})", "Page (of {n})"),
    "intro": ("Publications qui contredisent les données routières officielles : à vérifier "
              "(un citoyen voit souvent une coupure avant le flux, ou se trompe).",
              "Posts that contradict the official road data: to be checked (citizens often "
              "see a closure before the feed does, or are wrong)."),
    "show": ("Afficher", "Show"),
    "open": ("À vérifier", "To check"),
    "checked": ("Vérifiées", "Checked"),
    "none": ("Aucune contradiction à vérifier.", "No contradiction to check."),
    "closed": ("coupée", "closed"),
    "open_state": ("ouverte", "open"),
    "says": ("**{road}** : la publication la dit **{post}** (« {words} »).",
             "**{road}**: the post says it is **{post}** (\"{words}\")."),
    "feed_closed": ("Données officielles à ce moment : fermeture en cours — {what}.",
                    "Official data at that time: closure in effect — {what}."),
    "feed_open": ("Données officielles à ce moment : aucune fermeture en cours{where}.",
                  "Official data at that time: no closure in effect{where}."),
    "here": (" à {place}", " at {place}"),
    "reopened": ("Dernière fermeture ici : {what}, terminée {at}.",
                 "Last closure here: {what}, ended {at}."),
    "elsewhere": ("Fermée ailleurs sur cette route : {places}.",
                  "Closed elsewhere on this road: {places}."),
    "now_agrees": ("Maintenant, les données officielles confirment la publication.",
                   "The official data now agrees with the post."),
    "mark": ("Marquer comme vérifiée", "Mark as checked"),
    "by": ("vérifiée par {by} à {at}", "checked by {by} at {at}"),
    "refused": ("Action réservée aux volontaires et au-delà.", "Volunteers and above only."),
    "done": ("Publication marquée comme vérifiée.", "Post marked as checked."),
    "stale": ("Déjà traitée par {by} à {at}.", "Already handled by {by} at {at}."),
})


def _mark(flag_id: int, version: int) -> None:
    user = current_user()
    if user is None or not user.can("volunteer"):
        flash("error", _("refused"))
        return
    try:
        get_store().set_flag_status(flag_id, version, "checked", user.username)
    except StaleEdit as exc:
        flash("error", _("stale", by=exc.by or "?", at=local_time(exc.at)))
        return
    flash("success", _("done"))


def _state(state: str | None) -> str:
    return _("closed") if state == "closed" else _("open_state")


def explain(flag: dict[str, Any], events_now: list[dict[str, Any]]) -> list[str]:
    """Markdown lines (values escaped) saying why the post was flagged."""
    detail = flag.get("detail") or {}
    event = detail.get("event") or {}
    lines = [_("says", road=md_escape(flag["road"]), post=_state(flag["post_says"]),
               words=md_escape(flag.get("words")))]
    what = md_escape(" ".join(x for x in (event.get("road"), event.get("commune")) if x)
                     or event.get("description") or "")
    if flag["feed_says"] == "closed":
        lines.append(_("feed_closed", what=what))
    else:
        where = _("here", place=md_escape(flag["place"])) if flag.get("place") else ""
        lines.append(_("feed_open", where=where))
        if event:
            lines.append(_("reopened", what=what, at=local_time(event.get("ends_at"))))
        if detail.get("elsewhere"):
            lines.append(_("elsewhere", places=md_escape(", ".join(detail["elsewhere"]))))
    claim = RoadClaim(flag["road"], flag["post_says"], flag.get("words") or "")
    now = compare(claim, events_now, utc_now(), [flag["place"]] if flag.get("place") else [],
                  text=(flag.get("post") or {}).get("text"))
    if not now.contradicts:
        lines.append(f":green-badge[{md_escape(_('now_agrees'))}]")
    return lines


PAGE = 20  # flag cards per page, newest first


def flags_panel(events_now: list[dict[str, Any]]) -> None:
    st.caption(_("intro"))
    user = current_user()
    which = st.segmented_control(_("show"), ["open", "checked"], default="open",
                                 format_func=_, key="flags_status") or "open"
    flags = get_store().flagged_posts(status=which, kind="road_contradiction", limit=100)
    if not flags:
        st.info(_("none"))
        return
    pages = -(-len(flags) // PAGE)
    if pages > 1:  # each card compares its post with every road event: one page at a time
        page = st.number_input(_("page", n=pages), min_value=1, max_value=pages, step=1,
                               key="flags_page")
        flags = flags[(int(page) - 1) * PAGE:int(page) * PAGE]
    for flag in flags:
        with st.container(border=True):
            for line in explain(flag, events_now):
                st.markdown(line)
            post_card(flag["post"])
            if flag["status"] == "checked":
                st.caption(md_escape(_("by", by=flag.get("updated_by") or "?",
                                       at=local_time(flag.get("updated_at")))))
            elif user and user.can("volunteer"):
                st.button(_("mark"), key=f"flag_{flag['id']}_{flag['version']}",
                          on_click=_mark, args=(flag["id"], int(flag["version"])))
