"""Triage: the queue of new posts, one card per cluster, most urgent first; keyboard-first."""

from vigie.ui.session import require
from vigie.ui.triage_view import page

require("triage")
page()
