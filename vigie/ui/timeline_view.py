"""The Timeline's filter bar and its self-refreshing results region."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from vigie.i18n import Catalog
from vigie.metrics import fragment_timer
from vigie.models import utc_now
from vigie.periods import PERIODS, bucket_label, window
from vigie.store import PostFilter, SearchSyntaxError
from vigie.ui.cards import CATEGORY_COLORS, category_label, post_card
from vigie.ui.session import get_store, still_allowed

PAGE_SIZE = 25
REFRESH_SECONDS = 5

_ = Catalog({
    "title": ("Fil chronologique", "Timeline"),
    "period": ("Période", "Period"),
    "1h": ("1 heure", "1 hour"), "6h": ("6 heures", "6 hours"), "24h": ("24 heures", "24 hours"),
    "7d": ("7 jours", "7 days"), "30d": ("30 jours", "30 days"), "all": ("Tout", "All"),
    "kinds": ("Type de source", "Source kind"),
    "categories": ("Catégories", "Categories"),
    "search": ("Recherche", "Search"),
    "search_help": ("Mots (recherche sur le début des mots), ou syntaxe avancée : "
                    "\"expression exacte\", OR, NOT, préfixe*",
                    "Words (prefix search), or advanced syntax: \"exact phrase\", OR, NOT, "
                    "prefix*"),
    "bad_search": ("Recherche illisible : {error}. Vérifiez les guillemets et les parenthèses, "
                   "ou tapez simplement des mots.",
                   "Unreadable search: {error}. Check quotes and parentheses, or just type "
                   "words."),
    "any": ("Toutes", "Any"),
    "count": ("{n} publications", "{n} posts"),
    "count_capped": ("plus de {n} publications", "more than {n} posts"),
    "volume": ("Publications par intervalle", "Posts per interval"),
    "none": ("Aucune publication pour ces filtres.", "No post matches these filters."),
    "page": ("Page", "Page"),
    "of": ("sur {n}", "of {n}"),
    "posts": ("publications", "posts"),
    "time": ("heure", "time"),
})


def volume_chart(volume: list[dict], time_label: str, posts_label: str) -> alt.Chart:
    """Bars of posts per bucket, with times in Paris on a 24-hour axis."""
    frame = pd.DataFrame(volume)
    frame["t"] = (pd.to_datetime(frame["bucket"].map(bucket_label), utc=True)
                  .dt.tz_convert("Europe/Paris").dt.tz_localize(None))
    return (alt.Chart(frame, height=170)
            .mark_bar(color="#4ea1ff")
            .encode(x=alt.X("t:T", title=time_label, axis=alt.Axis(format="%d/%m %H:%M")),
                    y=alt.Y("posts:Q", title=posts_label),
                    tooltip=[alt.Tooltip("t:T", title=time_label, format="%d/%m %H:%M"),
                             alt.Tooltip("posts:Q", title=posts_label)]))


def title() -> str:
    return _("title")


def filter_bar() -> PostFilter:
    """Period, source kinds, categories and text; the page's choice, kept in the session."""
    store = get_store()
    cols = st.columns([1, 2, 2, 3])
    period = cols[0].selectbox(_("period"), list(PERIODS), index=2, format_func=_,
                               key="tl_period")
    kinds = cols[1].multiselect(_("kinds"), store.distinct_values("kind"), key="tl_kinds",
                                placeholder=_("any"))
    categories = cols[2].multiselect(_("categories"), list(CATEGORY_COLORS),
                                     format_func=category_label, key="tl_categories",
                                     placeholder=_("any"))
    search = cols[3].text_input(_("search"), key="tl_search", help=_("search_help"),
                                max_chars=300)
    since, _bucket = window(period)
    return PostFilter(since=since, kinds=kinds, categories=categories, search=search)


@st.cache_data(ttl=60, show_spinner=False, max_entries=32)
def _figures(db: str, since: str | None, kinds: tuple[str, ...], categories: tuple[str, ...],
             search: str, version: tuple[Any, ...], bucket: str
             ) -> tuple[int, list[dict[str, Any]]]:
    """The count and the chart of a filter: a day of a million-post crisis is 180,000 posts
    to count twice. Keyed on the posts' version, so a new post reads them again."""
    f = PostFilter(since=since, kinds=list(kinds), categories=list(categories), search=search)
    store = get_store()
    return store.count_posts(f, cap=10_000), store.volume(f, bucket=bucket)


@st.fragment(run_every=REFRESH_SECONDS)
@fragment_timer("timeline.results")
@still_allowed("timeline")
def results(f: PostFilter) -> None:
    """Count, chart and one page of posts. Re-runs by itself: new posts appear without
    reloading the page, and without re-running the filter bar."""
    store = get_store()
    period = st.session_state.get("tl_period", "24h")
    # Slide the window with the clock, in steps of one refresh (the cache's key).
    now = utc_now()
    f.since, bucket = window(period, datetime.fromtimestamp(
        now.timestamp() // REFRESH_SECONDS * REFRESH_SECONDS, tz=UTC))
    key = (str(store.path), f.since, tuple(f.kinds), tuple(f.categories), f.search,
           store.posts_version())
    try:
        total, volume = _figures(*key, bucket)
    except SearchSyntaxError as exc:
        st.error(_("bad_search", error=str(exc).replace("fts5: ", "")))
        return
    st.caption(_("count_capped", n=10_000) if total >= 10_000 else _("count", n=total))
    if total == 0:
        st.info(_("none"))
        return
    if volume:
        st.altair_chart(volume_chart(volume, _("time"), _("posts")), width="stretch")
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if int(st.session_state.get("tl_page", 1)) > pages:
        st.session_state["tl_page"] = pages  # the filter shrank the result
    cols = st.columns([1, 1, 6])
    page = cols[0].number_input(_("page"), min_value=1, max_value=pages, step=1,
                                key="tl_page")
    cols[1].markdown(f"<br>{_('of', n=pages)}", unsafe_allow_html=True)
    for post in store.timeline(f, limit=PAGE_SIZE, offset=(int(page) - 1) * PAGE_SIZE):
        post_card(post)
