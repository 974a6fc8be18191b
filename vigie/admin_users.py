"""What the Admin page's Users tab does: create, change a role, disable/enable, reset a
password. Audited by the store; an admin can neither lock themselves out nor leave the
database without an active admin."""

from __future__ import annotations

from vigie import auth
from vigie.admin_guard import Refused, authorize
from vigie.auth import User
from vigie.i18n import Catalog
from vigie.store import LastAdmin, Store

MIN_PASSWORD = 8

_ = Catalog({
    "bad_name": ("Identifiant : lettres, chiffres, « . », « - » et « _ » seulement.",
                 "Username: letters, digits, '.', '-' and '_' only."),
    "taken": ("Ce compte existe déjà : {name}.", "This account already exists: {name}."),
    "bad_role": ("Rôle inconnu.", "Unknown role."),
    "short": ("Mot de passe : au moins {n} caractères.", "Password: at least {n} characters."),
    "differ": ("Les deux mots de passe diffèrent.", "The two passwords differ."),
    "self_demote": ("Vous ne pouvez pas retirer votre propre rôle d'administrateur : "
                    "demandez-le à un autre administrateur.",
                    "You cannot remove your own admin role: ask another admin."),
    "self_disable": ("Vous ne pouvez pas désactiver votre propre compte.",
                     "You cannot disable your own account."),
    "last_admin": ("Il doit rester au moins un administrateur actif.",
                   "At least one active admin must remain."),
    "missing": ("Compte introuvable : {name}.", "No such account: {name}."),
})

__all__ = ["Refused", "create", "reset_password", "set_active", "set_role"]


def _password_errors(password: str, confirm: str) -> list[str]:
    errors = []
    if len(password or "") < MIN_PASSWORD:
        errors.append(_("short", n=MIN_PASSWORD))
    if password != confirm:
        errors.append(_("differ"))
    return errors


def create(store: Store, user: User | None, username: str, role: str, password: str,
           confirm: str) -> list[str]:
    """A new account; the reasons it was refused, if any."""
    actor = authorize(store, user)
    username = (username or "").strip()
    errors = []
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        errors.append(_("bad_name"))
    elif store.get_user(username):
        errors.append(_("taken", name=username))
    if role not in auth.ROLES:
        errors.append(_("bad_role"))
    errors += _password_errors(password, confirm)
    if errors:
        return errors
    password_hash = auth.hash_password(password)  # slow on purpose: outside the lock
    with store.write():
        if store.get_user(username):
            return [_("taken", name=username)]
        store.add_user(username, password_hash, role)
        store.audit(actor.username, "create", "users", username, None,
                    {"username": username, "role": role})
    return []


def set_role(store: Store, user: User | None, username: str, expected_version: int,
             role: str) -> list[str]:
    actor = authorize(store, user)
    if role not in auth.ROLES:
        return [_("bad_role")]
    if username == actor.username and role != "admin":
        return [_("self_demote")]
    return _change(store, actor, username, expected_version, {"role": role}, "set_role")


def set_active(store: Store, user: User | None, username: str, expected_version: int,
               active: bool) -> list[str]:
    """Disabling also ends the account's sessions for good (a later enable does not
    revive old cookies)."""
    actor = authorize(store, user)
    if username == actor.username and not active:
        return [_("self_disable")]
    row = store.get_user(username)
    if row is None:
        return [_("missing", name=username)]
    changes: dict = {"active": int(active)}
    if not active:
        changes["session_epoch"] = int(row["session_epoch"]) + 1
    return _change(store, actor, username, expected_version, changes,
                   "enable" if active else "disable")


def reset_password(store: Store, user: User | None, username: str, expected_version: int,
                   password: str, confirm: str) -> list[str]:
    """A new password; every session of that account ends."""
    actor = authorize(store, user)
    errors = _password_errors(password, confirm)
    if errors:
        return errors
    if store.get_user(username) is None:
        return [_("missing", name=username)]
    store.reset_password(username, expected_version, auth.hash_password(password),
                         actor.username)
    return []


def _change(store: Store, actor: User, username: str, expected_version: int,
            changes: dict, action: str) -> list[str]:
    if store.get_user(username) is None:
        return [_("missing", name=username)]
    try:
        store.change_account(username, expected_version, changes, actor.username,
                             action=action)
    except LastAdmin:
        return [_("last_admin")]
    return []
