"""board page: filled by its own issue; until then it says so."""

from vigie.ui.placeholder import not_available
from vigie.ui.session import require

require("board")
not_available("board")
