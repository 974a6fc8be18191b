"""Who may do an action, checked again on the server inside the action itself.

Pages hide what a role may not do, but a button press arrives as a request: each domain
action calls `ensure` before it writes, so a forged or stale request is refused too.
"""

from __future__ import annotations

from vigie.auth import User
from vigie.i18n import Catalog

_ = Catalog({
    "role": ("Action réservée au rôle « {role} » ou supérieur.",
             "This action needs the role \"{role}\" or higher."),
})


class Refused(Exception):
    """An action refused for a reason the person should read (message already translated)."""


def ensure(user: User | None, role: str) -> User:
    if user is None or not user.can(role):
        raise Refused(_("role", role=role))
    return user
