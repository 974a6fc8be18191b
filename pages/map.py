"""Map: posts, clusters, road events, alert areas and shelters over the communes."""

import streamlit as st

from vigie.ui.map_view import MAP_HEIGHT, build, category_legend, controls, details, title
from vigie.ui.session import get_store, require

require("map")
st.title(title())
post_filter, layers, tiles = controls()
incident = get_store().active_incident() or {}
deck, data, captions = build(post_filter, layers, incident.get("departements") or ["21"], tiles)
event = st.pydeck_chart(deck, height=MAP_HEIGHT, on_select="rerun", selection_mode="single-object",
                        key="map_deck")
if "posts" in layers:
    category_legend()
for line in captions:
    st.caption(line)
details(event.selection if event else None, data)
