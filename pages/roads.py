"""Roads: road events from every feed and by hand, posts that contradict them, shelters."""

import streamlit as st

from vigie.i18n import Catalog
from vigie.road_events import select
from vigie.ui import roads_forms
from vigie.ui.flags_view import flags_panel
from vigie.ui.roads_view import event_list, filter_bar, load_events, road_map
from vigie.ui.session import get_store, require
from vigie.ui.shelters_view import shelters_panel

_ = Catalog({
    "title": ("Routes", "Roads"),
    "events": ("Événements routiers ({n} en cours)", "Road events ({n} in effect)"),
    "flags": ("À vérifier ({n})", "To check ({n})"),
    "shelters": ("Lieux d'accueil", "Shelters"),
})

user = require("roads")
st.title(_("title"))
roads_forms.show_flash()
store = get_store()
incident = store.active_incident() or {}
events = load_events()
in_effect = sum(1 for e in events if e["live_status"] == "active")
tab_events, tab_flags, tab_shelters = st.tabs([
    _("events", n=in_effect), _("flags", n=store.count_flagged_posts()), _("shelters")])
with tab_events:
    road_filter = filter_bar(events)
    chosen = select(events, road_filter)
    road_map(chosen, incident.get("departements") or ["21"],
             narrowed=bool(road_filter.road or road_filter.commune))
    if user.can("coordinator"):
        roads_forms.add_form()
    event_list(chosen, user, roads_forms.actions)
with tab_flags:
    flags_panel(events)
with tab_shelters:
    shelters_panel()
