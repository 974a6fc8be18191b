"""The check every Admin action makes on the server, against the database: the acting
account must still exist, be active and be an admin at the moment of the action."""

from __future__ import annotations

from vigie.auth import User, role_at_least
from vigie.i18n import Catalog
from vigie.store import Store

_ = Catalog({
    "refused": ("Action réservée aux administrateurs.", "Only administrators may do this."),
})


class Refused(PermissionError):
    """The acting account may not do this."""


def authorize(store: Store, user: User | None) -> User:
    """The acting user, re-read from the database, if still an active admin."""
    row = store.get_user(user.username) if user else None
    if not row or not row["active"] or not role_at_least(row["role"], "admin"):
        raise Refused(_("refused"))
    return User(row["username"], row["role"], row["display_name"])
