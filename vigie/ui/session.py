"""Who is looking at this page, and may they? Checked on the server on every run."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from vigie import auth
from vigie.access import PAGE_ROLES, may_open
from vigie.auth import User
from vigie.i18n import Catalog
from vigie.store import Store, default_db_path

F = TypeVar("F", bound=Callable[..., Any])
_ = Catalog({
    "need_login": ("Connexion requise pour ouvrir cette page.",
                   "Please sign in to open this page."),
    "sign_in": ("Se connecter", "Sign in"),
    "public": ("Voir la carte publique", "Open the public map"),
    "refused": ("Votre rôle ({role}) ne permet pas d'ouvrir cette page.",
                "Your role ({role}) may not open this page."),
})


@st.cache_resource
def _store_for(path: str) -> Store:
    return Store(path)


def get_store() -> Store:
    """One Store per database path per server process (connections are per thread)."""
    return _store_for(str(default_db_path()))


def current_user() -> User | None:
    """The signed-in user, from the session cookie (or, in tests, server-side state).

    `vigie_user` in session_state is set only by server code (AppTest fixtures); no
    widget uses that key, so a browser cannot forge it. The account is re-read from
    the database on every run, so a disabled user is out at once.
    """
    store = get_store()
    injected = st.session_state.get("vigie_user")
    if injected:
        row = store.get_user(injected)
        if row and row["active"]:
            return User(row["username"], row["role"], row["display_name"])
        return None
    try:
        token = st.context.cookies.get(auth.COOKIE_NAME)
    except Exception:  # no browser context (bare script run)
        token = None
    return auth.user_from_token(store, token)


def signin_url() -> str:
    """/signin with `next` set to the page being looked at."""
    from urllib.parse import quote, urlsplit

    path = "/"
    try:
        url = st.context.url
        if url:
            path = urlsplit(url).path or "/"
    except Exception:
        pass
    lang = st.session_state.get("vigie_lang", "fr")
    return f"/signin?next={quote(path)}&lang={lang}"


SIGNIN_CSS = """<style>
a.vigie-signin { display: inline-block; background: #ff4b4b; color: #fff !important;
  padding: .45rem 1rem; border-radius: .5rem; text-decoration: none; font-weight: 600; }
</style>"""


def signin_button(label: str) -> None:
    """A same-tab link to /signin (st.link_button would open a new tab). Static HTML
    built from our own strings only."""
    import html

    st.html(f'{SIGNIN_CSS}<a class="vigie-signin" href="{html.escape(signin_url())}" '
            f'target="_self">{html.escape(label)}</a>')


def still_allowed(page: str) -> Callable[[F], F]:
    """For self-refreshing fragments (`@st.fragment(run_every=...)` above this decorator).
    A fragment re-runs without its page's script, so `require` would not see that an
    account was disabled, its cookie expired or its sessions were ended: check again at
    every refresh and, when the user may no longer open the page, re-run the whole app,
    whose `require` then shows the refusal instead of fresh data. One indexed read of the
    account per refresh: cheap next to the panel itself, and no window of stale rights."""
    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not may_open(current_user(), page):
                st.rerun(scope="app")
            return fn(*args, **kwargs)
        return guarded  # type: ignore[return-value]
    return wrap


def require(page: str) -> User | None:
    """Stop the page unless the current user may open it. Returns the user."""
    user = current_user()
    if may_open(user, page):
        return user
    if user is None:
        st.warning(_("need_login"))
        signin_button(_("sign_in"))
        st.page_link("pages/public.py", label=_("public"))
    else:
        st.error(_("refused", role=user.role))
    st.stop()
    return None  # pragma: no cover - st.stop() raises


__all__ = ["PAGE_ROLES", "current_user", "get_store", "require", "signin_button", "signin_url",
           "still_allowed"]
