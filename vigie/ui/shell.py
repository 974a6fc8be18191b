"""The frame around every page: navigation by role, language, exercise banner, kiosk."""

from __future__ import annotations

import time

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from vigie import metrics
from vigie.access import may_open
from vigie.auth import User
from vigie.i18n import LANGS, Catalog, set_lang
from vigie.ui.session import current_user, get_store, signin_button

_ = Catalog({
    "situation": ("Situation", "Situation"),
    "timeline": ("Fil chronologique", "Timeline"),
    "map": ("Carte", "Map"),
    "triage": ("Tri", "Triage"),
    "board": ("Vérification", "Verification board"),
    "people": ("Personnes", "People"),
    "roads": ("Routes", "Roads"),
    "messages": ("Messages", "Messages"),
    "log": ("Main courante", "Log"),
    "reports": ("Rapports", "Reports"),
    "admin": ("Administration", "Admin"),
    "public": ("Carte publique", "Public map"),
    "sec_cell": ("Cellule de crise", "Crisis cell"),
    "sec_volunteers": ("Volontaires", "Volunteers"),
    "sec_manage": ("Coordination", "Coordination"),
    "sec_public": ("Public", "Public"),
    "signed_in": ("Connecté : **{name}** ({role})", "Signed in: **{name}** ({role})"),
    "sign_out": ("Se déconnecter", "Sign out"),
    "role_viewer": ("lecture", "viewer"),
    "role_volunteer": ("volontaire", "volunteer"),
    "role_coordinator": ("coordination", "coordinator"),
    "role_admin": ("administration", "admin"),
    "sign_in": ("Se connecter", "Sign in"),
    "language": ("Langue", "Language"),
    "exercise": ("EXERCICE — EXERCICE — EXERCICE : {name} — données fictives, ne pas diffuser "
                 "comme réelles", "EXERCICE — EXERCISE — {name}: fictitious data, never to be "
                 "taken as real"),
})

# (url path, file, icon, section)
PAGES = (
    ("situation", "pages/situation.py", ":material/monitor:", "sec_cell"),
    ("timeline", "pages/timeline.py", ":material/view_timeline:", "sec_cell"),
    ("map", "pages/map.py", ":material/map:", "sec_cell"),
    ("roads", "pages/roads.py", ":material/traffic:", "sec_cell"),
    ("triage", "pages/triage.py", ":material/inbox:", "sec_volunteers"),
    ("board", "pages/board.py", ":material/fact_check:", "sec_volunteers"),
    ("people", "pages/people.py", ":material/person_search:", "sec_volunteers"),
    ("messages", "pages/messages.py", ":material/campaign:", "sec_volunteers"),
    ("log", "pages/log.py", ":material/history_edu:", "sec_manage"),
    ("reports", "pages/reports.py", ":material/summarize:", "sec_manage"),
    ("admin", "pages/admin.py", ":material/settings:", "sec_manage"),
    ("public", "pages/public.py", ":material/public:", "sec_public"),
)

BANNER_CSS = """
<style>
.vigie-exercise { background: repeating-linear-gradient(45deg, #b00020, #b00020 18px,
  #8a0019 18px, #8a0019 36px); color: #fff; font-weight: 800; letter-spacing: .08em;
  text-align: center; padding: .55rem 1rem; border-radius: 6px; font-size: 1.15rem;
  margin-bottom: .6rem; border: 3px solid #ffd400; }
</style>
"""


def sync_lang() -> str:
    """Language from the URL (?lang=en), remembered in the session, written back to the
    URL so it survives navigation and bookmarks."""
    requested = st.query_params.get("lang")
    if requested in LANGS:
        lang = requested
    else:
        lang = st.session_state.get("vigie_lang", "fr")
    st.session_state["vigie_lang"] = set_lang(lang)
    if lang != "fr" and st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def exercise_banner() -> None:
    """The unmissable EXERCICE banner, on every page while an exercise is not closed
    (even when a real incident was opened after it: its data are still on screen)."""
    incident = get_store().running_exercise()
    if incident:
        import html

        st.html(BANNER_CSS + f'<div class="vigie-exercise" role="alert">'
                f'{html.escape(_("exercise", name=incident["name"]))}</div>')


def _sidebar(user: User | None, pages: dict[str, st.Page]) -> None:
    with st.sidebar:
        st.markdown("## Vigie")
        sections: dict[str, list[str]] = {}
        for path, _file, _icon, section in PAGES:
            if may_open(user, path):
                sections.setdefault(section, []).append(path)
        for section, paths in sections.items():
            st.caption(_(section))
            for path in paths:
                st.page_link(pages[path], label=_(path))
        st.divider()
        if user:
            st.markdown(_("signed_in", name=user.display_name or user.username,
                          role=_(f"role_{user.role}")))
            st.link_button(_("sign_out"), "/api/logout")
        else:
            signin_button(_("sign_in"))
        lang = st.session_state.get("vigie_lang", "fr")
        choice = st.segmented_control(_("language"), ["fr", "en"], default=lang,
                                      format_func=lambda c: {"fr": "Français",
                                                             "en": "English"}[c],
                                      key="vigie_lang_choice")
        if choice and choice != lang:
            st.session_state["vigie_lang"] = choice
            st.query_params["lang"] = choice
            st.rerun()


def _home() -> None:
    """The default page (/): the Situation wall."""
    from vigie.ui import wall_layout

    wall_layout.page()


def run() -> None:
    """Entry point of `streamlit run app.py` script runs; each run's duration is recorded
    per page (vigie/metrics.py, /api/metrics)."""
    start = time.perf_counter()
    page = "unknown"
    try:
        nav = _frame()
        page = nav.url_path or "home"  # before running it: a refused page is a run too
        nav.run()
    finally:
        metrics.record(f"page:{page}", time.perf_counter() - start)


def _frame() -> StreamlitPage:
    """Page config, language, user, navigation, sidebar and banner; returns the page to run."""
    kiosk = st.query_params.get("kiosk") == "1"
    st.set_page_config(page_title="Vigie", page_icon=":material/emergency:", layout="wide",
                       initial_sidebar_state="collapsed" if kiosk else "auto")
    sync_lang()
    user = current_user()
    pages = {
        path: st.Page(file, title=_(path), icon=icon, url_path=path)
        for path, file, icon, _section in PAGES
    }
    # The root URL shows the wall too, while /situation (bookmarked by wall screens, e.g.
    # /situation?kiosk=1) is a real path: a default page's own path would be "" and
    # /situation would raise Streamlit's "page not found".
    home = st.Page(_home, title=_("situation"), icon=":material/monitor:", url_path="home",
                   default=True)
    nav = st.navigation([home, *pages.values()], position="hidden")
    if not kiosk:
        _sidebar(user, pages)
    exercise_banner()
    return nav
