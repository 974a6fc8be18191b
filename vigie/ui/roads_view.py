"""The Roads page's event tab: filter bar, a map of the selection, the list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import streamlit as st

from vigie import mapbase
from vigie.auth import User
from vigie.i18n import Catalog
from vigie.models import iso, utc_now
from vigie.road_events import RoadFilter, choices, with_live_status
from vigie.ui import maplayers
from vigie.ui.road_labels import (
    EVENT_TYPES,
    event_tip,
    footer,
    headline,
    source_label,
    status_label,
    type_label,
)
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store

LIST_LIMIT = 60
MAP_HEIGHT = 400
ENDED_DAYS = 3  # ended events stay listable this long

_ = Catalog({
    "status": ("Statut", "Status"),
    "road": ("Route", "Road"),
    "commune": ("Commune", "Commune"),
    "kind": ("Type", "Kind"),
    "source": ("Source", "Source"),
    "all": ("Toutes", "All"),
    "all_kinds": ("Tous", "All"),
    "count": ("{n} événements", "{n} events"),
    "count_more": ("{n} événements (les {k} plus récents affichés)",
                   "{n} events (the {k} most recent shown)"),
    "none": ("Aucun événement routier pour ces filtres.", "No road event matches these filters."),
    "detour": ("Déviation : {text}", "Detour: {text}"),
    "commune_tip": ("", ""),
})


def load_events() -> list[dict[str, Any]]:
    """Events in effect or planned, and those ended in the last days, with live status."""
    now = utc_now()
    events = get_store().road_events_window(since=iso(now - timedelta(days=ENDED_DAYS)))
    return with_live_status(events, now)


def filter_bar(events: list[dict[str, Any]]) -> RoadFilter:
    cols = st.columns([2, 1, 2, 2, 2])
    statuses = cols[0].multiselect(_("status"), ["active", "planned", "ended"],
                                   default=["active", "planned"], format_func=status_label,
                                   key="rd_status")
    road = cols[1].selectbox(_("road"), [None, *choices(events, "road")], key="rd_road",
                             format_func=lambda r: r or _("all"))
    commune = cols[2].selectbox(_("commune"), [None, *choices(events, "commune")],
                                key="rd_commune", format_func=lambda c: c or _("all"))
    kinds = cols[3].multiselect(_("kind"), list(EVENT_TYPES), format_func=type_label,
                                key="rd_kinds", placeholder=_("all_kinds"))
    sources = cols[4].multiselect(_("source"), choices(events, "source"),
                                  format_func=source_label, key="rd_sources",
                                  placeholder=_("all"))
    return RoadFilter(statuses=statuses, road=road, commune=commune, event_types=kinds,
                      sources=sources)


def road_map(events: list[dict[str, Any]], departements: list[str], narrowed: bool) -> None:
    """The selected events over the communes; framed on them when the filter narrows the
    list to a road or a commune, on the département otherwise."""
    paths, points = maplayers.road_rows(events, event_tip)
    layers = [*maplayers.base_layers(departements), *maplayers.road_layers(paths, points)]
    home = mapbase.home_view(tuple(departements), 1000, MAP_HEIGHT)
    geometries = [e.get("geometry") for e in events if e.get("geometry")]
    view = mapbase.view_for_geometries(geometries, home, 1000, MAP_HEIGHT) if narrowed \
        else home
    st.pydeck_chart(maplayers.deck(layers, view), height=MAP_HEIGHT, key="rd_map")


def event_list(events: list[dict[str, Any]], user: User | None,
               actions: Any = None) -> None:
    """Cards, most relevant first. `actions(event)` draws a coordinator's buttons."""
    if not events:
        st.info(_("none"))
        return
    shown = events[:LIST_LIMIT]
    st.caption(_("count_more", n=len(events), k=len(shown)) if len(events) > len(shown)
               else _("count", n=len(events)))
    for event in shown:
        with st.container(border=True):
            st.markdown(headline(event))
            if event.get("description"):
                st.markdown(md_escape(event["description"], max_len=600))
            if event.get("detour"):
                st.markdown(md_escape(_("detour", text=event["detour"]), max_len=400))
            st.caption(md_escape(footer(event)))
            if actions and user and user.can("coordinator") and event.get("manual"):
                actions(event)
