"""Main courante: the cell's append-only log, its filters and the handover summary."""

from vigie.ui.log_view import page
from vigie.ui.session import require

require("log")
page()
