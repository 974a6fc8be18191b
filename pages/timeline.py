"""Timeline: posts in time, newest first, with filters and a volume chart."""

import streamlit as st

from vigie.ui.session import require
from vigie.ui.timeline_view import filter_bar, results, title

require("timeline")
st.title(title())
filters = filter_bar()
results(filters)
