"""Reports: the point de situation and the exports for partners, as downloads."""

import streamlit as st

from vigie.ui import reports_view
from vigie.ui.session import require

user = require("reports")
st.title(reports_view.title())
period = reports_view.period_picker()
if period:
    reports_view.sitrep_section(user, period)
    st.divider()
    reports_view.export_section(user, period)
st.divider()
reports_view.outgoing_section()
