"""Which Admin tabs a role sees. Each tab's module checks the role again on its actions."""

from __future__ import annotations

from vigie.auth import User
from vigie.i18n import Catalog

_ = Catalog({
    "title": ("Administration", "Administration"),
    "sources": ("Sources", "Sources"),
    "exercises": ("Incidents et exercices", "Incidents and exercises"),
    "users": ("Utilisateurs", "Users"),
})

# tab -> minimum role
TAB_ROLES = {"sources": "admin", "exercises": "coordinator", "users": "admin"}


def tabs_for(user: User) -> list[str]:
    return [name for name, role in TAB_ROLES.items() if user.can(role)]


tabs_for.title = lambda: _("title")  # type: ignore[attr-defined]
tabs_for.label = lambda name: _(name)  # type: ignore[attr-defined]
