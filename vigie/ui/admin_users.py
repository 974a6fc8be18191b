"""Admin tab: users (filled by its own issue)."""

from vigie.auth import User
from vigie.ui.placeholder import soon


def render(user: User) -> None:
    soon()
