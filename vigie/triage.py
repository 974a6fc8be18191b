"""What volunteers do to posts in the triage queue, with the role checked in each action.

Actions apply to a selection of posts given as (id, version) pairs: the versions the volunteer
saw. The store applies a selection in one transaction, so a post changed meanwhile by someone
else refuses the whole action ("modifié par X à T") and nothing is half done.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from vigie.acting import ensure
from vigie.auth import User
from vigie.enrich.places import Commune, gazetteer
from vigie.i18n import Catalog
from vigie.ratings import INFOS, SOURCES
from vigie.store import Store
from vigie.store.triage import PostRef

_ = Catalog({
    "log_escalated": ("Remontée à la cellule de crise par {who} ({n} publication{s}) : {text}",
                      "Escalated to the crisis cell by {who} ({n} post{s}): {text}"),
    "log_undo": ("Remontée à la cellule annulée par {who} ({n} publication(s)).",
                 "Escalation to the crisis cell undone by {who} ({n} post(s))."),
})

LOG_LANG = "fr"
# One key per category for one-key tagging; "not relevant" has its own action.
CATEGORY_KEYS: dict[str, str] = {
    "1": "help_request", "2": "missing_or_found", "3": "casualties", "4": "infrastructure",
    "5": "roads_traffic", "6": "evacuation_shelter", "7": "caution_advice", "8": "solidarity",
    "9": "sympathy", "0": "other_relevant",
}
STATUS_ACTIONS = {"relevant": "triaged", "irrelevant": "irrelevant", "escalate": "escalated"}


def _short(text: str | None, n: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def set_status(store: Store, user: User | None, refs: Sequence[PostRef], action: str, *,
               sample: dict[str, Any] | None = None,
               incident_id: int | None = None) -> list[dict[str, Any]]:
    """Mark a selection relevant, not relevant, or escalate it to the crisis cell (which
    writes a line in the main courante, quoting `sample`, the card's post). Returns what
    `undo` needs."""
    ensure(user, "volunteer")
    status = STATUS_ACTIONS[action]
    log = None
    if status == "escalated":
        n = len(refs)
        log = _("log_escalated", LOG_LANG, who=user.username, n=n, s="s" if n > 1 else "",
                text=f"« {_short((sample or {}).get('text'))} »")
    return store.update_posts(refs, {"status": status}, user.username, action=action, log_text=log,
                              incident_id=incident_id)


def undo(store: Store, user: User | None, changed: Sequence[dict[str, Any]], *,
         escalated: bool = False, incident_id: int | None = None) -> int:
    """Put back what the last status action changed, if nobody has touched those posts since.
    Undoing an escalation is written in the main courante too (the first line stays)."""
    ensure(user, "volunteer")
    log = _("log_undo", LOG_LANG, who=user.username, n=len(changed)) if escalated else None
    return store.restore_posts(changed, user.username, log_text=log, incident_id=incident_id)


def toggle_category(store: Store, user: User | None, refs: Sequence[PostRef], category: str,
                    present: bool) -> int:
    """One-key tagging: add the category to the selection, or remove it when the card the
    volunteer is looking at already has it (`present`)."""
    ensure(user, "volunteer")
    if present:
        return store.set_post_categories(refs, user.username, remove=[category])
    return store.set_post_categories(refs, user.username, add=[category])


def set_categories(store: Store, user: User | None, refs: Sequence[PostRef],
                   categories: Sequence[str]) -> int:
    ensure(user, "volunteer")
    return store.set_post_categories(refs, user.username, replace=list(categories))


def set_place(store: Store, user: User | None, refs: Sequence[PostRef],
              insee: str) -> list[dict[str, Any]]:
    """Place a selection in a commune of the gazetteer (its centre, precision 'commune')."""
    ensure(user, "volunteer")
    commune = gazetteer().by_insee[insee]
    changes = {"place": commune.name, "insee": commune.insee, "lat": commune.lat,
               "lon": commune.lon, "precision": "commune"}
    return store.update_posts(refs, changes, user.username, action="place")


def rate(store: Store, user: User | None, post_ids: Sequence[str], source: str | None,
         info: int | None) -> None:
    ensure(user, "volunteer")
    if source is not None and source not in SOURCES:
        raise ValueError(source)
    if info is not None and int(info) not in INFOS:
        raise ValueError(info)
    store.rate_posts(post_ids, user.username, source, None if info is None else int(info))


@cache
def area_communes(departements: tuple[str, ...] = ("21",)) -> list[Commune]:
    """The communes of the incident's départements, by name: what the place search offers
    first (Streamlit filters the list as one types)."""
    found = {c.insee: c for c in gazetteer().by_insee.values()
             if c.dep in departements and c.kind == "COM"}
    return sorted(found.values(), key=lambda c: (c.name.casefold(), c.insee))


def commune_label(commune: Commune) -> str:
    return f"{commune.name} ({commune.dep})"


__all__ = ["CATEGORY_KEYS", "STATUS_ACTIONS", "area_communes", "commune_label", "rate",
           "set_categories", "set_place", "set_status", "toggle_category", "undo"]
