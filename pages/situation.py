"""Situation: the crisis cell's wall screen (also served at /). `?kiosk=1` hides every
menu (large type, full width); `?rotate=60` alternates the overview and the map every
60 s; `?view=map` pins one view. Each panel refreshes itself."""

from vigie.ui.wall_layout import page

page()
