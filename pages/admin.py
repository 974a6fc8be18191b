"""Admin: sources and their health, incidents and exercises, users and roles."""

import streamlit as st

from vigie.ui import admin_exercises, admin_sources, admin_users
from vigie.ui.admin_tabs import tabs_for
from vigie.ui.session import require

user = require("admin")
st.title(tabs_for.title())
renderers = {"sources": admin_sources.render, "exercises": admin_exercises.render,
             "users": admin_users.render}
names = tabs_for(user)
for tab, name in zip(st.tabs([tabs_for.label(n) for n in names]), names, strict=True):
    with tab:
        renderers[name](user)
