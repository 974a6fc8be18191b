"""What the Admin page's Sources tab does: add, edit, enable/disable, run now.

Every action re-reads the acting account from the database (an admin demoted or
disabled a second ago can do nothing more), validates before writing, and writes
through the store, which audits in the same transaction. Nothing here knows Streamlit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectors.checks import check_source
from collectors.examples import RESERVED
from vigie.admin_guard import Refused, authorize
from vigie.auth import User
from vigie.i18n import Catalog
from vigie.store import Store, StoreError
from vigie.toml_text import OptionsError, loads_options

__all__ = ["Refused", "SourceForm", "add", "edit", "run_now", "set_enabled", "validate"]

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

_ = Catalog({
    "bad_name": ("Nom : lettres sans accent, chiffres, « . », « - » et « _ », 64 caractères "
                 "au plus, sans espace.", "Name: unaccented letters, digits, '.', '-' and "
                 "'_', at most 64 characters, no space."),
    "taken": ("Une source porte déjà ce nom : {name}.", "A source is already named {name}."),
    "reserved": ("« {key} » se règle dans son propre champ, pas dans les options.",
                 "'{key}' has its own field, not the options."),
    "options_table": ("Les options doivent être des lignes « clé = valeur ».",
                      "Options must be 'key = value' lines."),
    "missing": ("Source introuvable : {name}.", "No such source: {name}."),
})


@dataclass
class SourceForm:
    """What the add/edit form holds; `options_text` is TOML."""

    name: str
    kind: str
    url: str = ""
    every: float = 60.0
    enabled: bool = True
    options_text: str = ""


def validate(form: SourceForm) -> tuple[dict[str, Any] | None, list[str]]:
    """The definition to save (name, kind, url, every, enabled, options), or the reasons
    it cannot be saved, in the interface's language where they come from here."""
    try:
        options = loads_options(form.options_text)
    except OptionsError as exc:
        return None, [str(exc)]
    errors = [_("reserved", key=key) for key in options if key in RESERVED]
    if errors:
        return None, errors
    url = (form.url or "").strip()
    raw = {**options, "name": form.name.strip(), "kind": form.kind, "url": url,
           "every": form.every, "enabled": bool(form.enabled)}
    src, errors = check_source(raw)
    if errors or src is None:
        return None, errors
    if src.url and "://" not in src.url and not Path(src.url).is_absolute():
        src.url = str(Path(src.url).resolve())  # the collectors may run elsewhere
    return {"name": src.name, "kind": src.kind, "url": src.url, "every": src.every,
            "enabled": src.enabled, "options": src.options}, []


def add(store: Store, user: User | None, form: SourceForm) -> list[str]:
    """Save a new source (origin 'admin'). Returns the reasons it was refused, if any."""
    actor = authorize(store, user)
    errors = [] if NAME_RE.match(form.name.strip()) else [_("bad_name")]
    if not errors and store.get_source(form.name.strip()):
        errors.append(_("taken", name=form.name.strip()))
    definition, problems = validate(form)
    errors += problems
    if errors or definition is None:
        return errors
    try:
        store.add_source(**definition, actor=actor.username)
    except StoreError:  # created by someone else between the check and the write
        return [_("taken", name=definition["name"])]
    return []


def edit(store: Store, user: User | None, name: str, expected_version: int,
         form: SourceForm) -> list[str]:
    """Save an edit of an existing source (its name stays). StaleEdit when someone
    changed it since the form was shown."""
    actor = authorize(store, user)
    if store.get_source(name) is None:
        return [_("missing", name=name)]
    definition, errors = validate(SourceForm(name, form.kind, form.url, form.every,
                                             form.enabled, form.options_text))
    if errors or definition is None:
        return errors
    changes = {k: definition[k] for k in ("kind", "url", "every", "enabled", "options")}
    store.edit_source(name, expected_version, changes, actor.username)
    return []


def set_enabled(store: Store, user: User | None, name: str, expected_version: int,
                enabled: bool) -> None:
    actor = authorize(store, user)
    store.edit_source(name, expected_version, {"enabled": enabled}, actor.username,
                      action="enable" if enabled else "disable")


def run_now(store: Store, user: User | None, name: str) -> None:
    """Ask the collectors to run the source at their next round (audited)."""
    actor = authorize(store, user)
    with store.write():
        if store.get_source(name) is None:
            raise StoreError(_("missing", name=name))
        store.request_run(name)
        store.audit(actor.username, "run_now", "sources", name)
