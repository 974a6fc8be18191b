"""Admin tab: accounts. List, add, change a role, disable/enable, reset a password.
Admin only; every action checks the role again on the server."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from vigie import admin_users as actions
from vigie.auth import ROLES, User
from vigie.i18n import Catalog
from vigie.models import utc_now
from vigie.source_health import clock, parse_iso
from vigie.store import Store
from vigie.ui.admin_actions import run_action, show_flash
from vigie.ui.session import get_store

_ = Catalog({
    "refused": ("Cet onglet est réservé aux administrateurs.",
                "This tab is for administrators only."),
    "role_viewer": ("lecture (écran mural)", "viewer (wall screen)"),
    "role_volunteer": ("bénévole", "volunteer"),
    "role_coordinator": ("coordination", "coordinator"),
    "role_admin": ("administration", "admin"),
    "col_user": ("Identifiant", "Username"),
    "col_role": ("Rôle", "Role"),
    "col_state": ("État", "State"),
    "col_created": ("Créé le", "Created"),
    "col_login": ("Dernière connexion", "Last sign-in"),
    "active": ("actif", "active"),
    "inactive": ("désactivé", "disabled"),
    "never": ("jamais", "never"),
    "manage": ("Gérer un compte", "Manage an account"),
    "pick": ("Compte", "Account"),
    "you": ("(vous)", "(you)"),
    "role": ("Rôle", "Role"),
    "set_role": ("Changer le rôle", "Change the role"),
    "disable": ("Désactiver le compte", "Disable the account"),
    "enable": ("Réactiver le compte", "Enable the account"),
    "reset": ("Nouveau mot de passe", "New password"),
    "self_help": ("Un autre administrateur peut désactiver votre compte, pas vous.",
                  "Another admin may disable your account; you may not."),
    "password": ("Mot de passe (8 caractères au moins)", "Password (at least 8 characters)"),
    "confirm": ("Le même, une seconde fois", "The same, once more"),
    "reset_save": ("Remplacer le mot de passe", "Replace the password"),
    "reset_note": ("Toutes les sessions ouvertes de ce compte seront fermées.",
                   "Every open session of this account will end."),
    "add": ("Ajouter un compte", "Add an account"),
    "username": ("Identifiant (lettres, chiffres, « . », « - », « _ »)",
                 "Username (letters, digits, '.', '-', '_')"),
    "add_save": ("Créer le compte", "Create the account"),
    "created": ("Compte « {name} » créé.", "Account '{name}' created."),
    "role_ok": ("Rôle de « {name} » changé.", "Role of '{name}' changed."),
    "disabled_ok": ("Compte « {name} » désactivé : ses sessions sont fermées.",
                    "Account '{name}' disabled: its sessions are closed."),
    "enabled_ok": ("Compte « {name} » réactivé.", "Account '{name}' enabled."),
    "reset_ok": ("Mot de passe de « {name} » remplacé : ses sessions sont fermées.",
                 "Password of '{name}' replaced: its sessions are closed."),
    "not_saved": ("Rien n'a été enregistré :", "Nothing was saved:"),
    "stale": ("Ce compte a été modifié par {by} à {at} pendant que vous le regardiez : "
              "rien n'a été enregistré. Relisez-le et recommencez.",
              "This account was changed by {by} at {at} while you were looking at it: "
              "nothing was saved. Read it again and retry."),
})


def role_label(role: str) -> str:
    return _(f"role_{role}")


def render(user: User | None) -> None:
    if user is None or not user.can("admin"):
        st.error(_("refused"))
        return
    store = get_store()
    _flash()
    accounts = store.list_accounts()
    seen = st.session_state.get("usr_seen", {})
    _table(accounts)
    if accounts:
        _manage(store, user, accounts, seen)
    _add_form(store, user)
    st.session_state["usr_seen"] = {a["username"]: int(a["version"]) for a in accounts}


def _table(accounts: list[dict[str, Any]]) -> None:
    now = utc_now()

    def when(value: Any) -> str:
        at = parse_iso(value)
        return clock(at, now) if at else _("never")

    st.dataframe(pd.DataFrame([{
        _("col_user"): a["username"],
        _("col_role"): role_label(a["role"]),
        _("col_state"): _("active") if a["active"] else _("inactive"),
        _("col_created"): when(a["created_at"]),
        _("col_login"): when(a["last_login_at"]),
    } for a in accounts]), hide_index=True, key="usr_table")


def _manage(store: Store, user: User, accounts: list[dict[str, Any]],
            seen: dict[str, int]) -> None:
    st.subheader(_("manage"))
    names = [a["username"] for a in accounts]
    name = st.selectbox(_("pick"), names, key="usr_pick", format_func=lambda n: (
        f"{n} {_('you')}" if n == user.username else n))
    account = next(a for a in accounts if a["username"] == name)
    version = seen.get(name, int(account["version"]))
    left, right = st.columns(2)
    with left:
        role = st.selectbox(_("role"), ROLES, index=ROLES.index(account["role"]),
                            format_func=role_label, key=f"usr_role_{name}")
        if st.button(_("set_role"), key="usr_set_role"):
            _act(lambda: actions.set_role(store, user, name, version, role),
                 _("role_ok", name=name))
    with right:
        toggle = "disable" if account["active"] else "enable"
        yourself = name == user.username
        if st.button(_(toggle), key="usr_toggle", disabled=yourself and account["active"],
                     help=_("self_help") if yourself else None):
            _act(lambda: actions.set_active(store, user, name, version, not account["active"]),
                 _(f"{toggle}d_ok", name=name))
    with st.form(f"usr_reset_{name}", clear_on_submit=True):
        st.markdown(f"**{_('reset')}** — {_('reset_note')}")
        password = st.text_input(_("password"), type="password", key=f"usr_reset_pw_{name}")
        confirm = st.text_input(_("confirm"), type="password", key=f"usr_reset_pw2_{name}")
        if st.form_submit_button(_("reset_save")):
            _act(lambda: actions.reset_password(store, user, name, version, password, confirm),
                 _("reset_ok", name=name))


def _add_form(store: Store, user: User) -> None:
    st.subheader(_("add"))
    with st.form("usr_add", clear_on_submit=True):
        username = st.text_input(_("username"), key="usr_new_name")
        role = st.selectbox(_("role"), ROLES, format_func=role_label, key="usr_new_role")
        password = st.text_input(_("password"), type="password", key="usr_new_pw")
        confirm = st.text_input(_("confirm"), type="password", key="usr_new_pw2")
        if st.form_submit_button(_("add_save")):
            _act(lambda: actions.create(store, user, username, role, password, confirm),
                 _("created", name=username.strip()))


def _act(action: Any, success: str) -> None:
    run_action(action, success, prefix="usr", messages=_)


def _flash() -> None:
    show_flash("usr")
