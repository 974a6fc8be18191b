"""People: reports of people in distress or missing, by how long each has waited."""

from vigie.ui.people_view import page
from vigie.ui.session import require

require("people")
page()
