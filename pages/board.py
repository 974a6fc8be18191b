"""Verification board: claims as cards in their six status columns."""

from vigie.ui.board_view import page
from vigie.ui.session import require

require("board")
page()
