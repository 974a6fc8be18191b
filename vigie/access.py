"""Who may open which page: the single table the navigation and every page consult."""

from __future__ import annotations

from vigie.auth import User, role_at_least

# page url path -> minimum role (None: anyone, no login)
PAGE_ROLES: dict[str, str | None] = {
    "situation": "viewer",
    "timeline": "viewer",
    "map": "viewer",
    "triage": "volunteer",
    "board": "volunteer",
    "people": "volunteer",
    "roads": "viewer",
    "messages": "volunteer",
    "log": "viewer",
    "reports": "coordinator",
    "admin": "coordinator",  # coordinators get the exercise tab only; see pages/admin.py
    "public": None,
}


def may_open(user: User | None, page: str) -> bool:
    needed = PAGE_ROLES[page]
    if needed is None:
        return True
    return user is not None and role_at_least(user.role, needed)
