"""Public map: published items only (vigie/public.py), no login."""

from vigie.ui.public_view import render
from vigie.ui.session import require

require("public")
render()
