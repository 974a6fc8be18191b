"""Admin tab "Incidents et exercices" (coordinators and admins): start an exercise from a
scenario at a chosen speed, pause, resume, stop, purge its data; open and close a real
incident. The logic, role checks, audit and main-courante lines are in vigie.exercises."""

from __future__ import annotations

import streamlit as st

from vigie import exercises
from vigie.auth import User
from vigie.exercises import ExerciseError
from vigie.i18n import Catalog
from vigie.metrics import fragment_timer
from vigie.ui.cards import local_time
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store, still_allowed

_ = Catalog({
    "open": ("Incidents en cours", "Open incidents"),
    "none_open": ("Aucun incident en cours.", "No incident open."),
    "exercise": ("EXERCICE", "EXERCISE"),
    "real": ("RÉEL", "REAL"),
    "status_active": ("en cours", "running"),
    "status_paused": ("en pause", "paused"),
    "status_closed": ("clos", "closed"),
    "line": ("**{kind}** · {name} · {status} · depuis {since}",
             "**{kind}** · {name} · {status} · since {since}"),
    "details": ("Scénario {scenario} · vitesse ×{speed:g} · {posts} publications, {roads} "
                "événements routiers", "Scenario {scenario} · speed ×{speed:g} · {posts} posts, "
                "{roads} road events"),
    "progress": ("Avancement du scénario : {pct} %", "Scenario progress: {pct}%"),
    "pause": ("Mettre en pause", "Pause"),
    "resume": ("Reprendre", "Resume"),
    "stop": ("Arrêter l'exercice", "Stop the exercise"),
    "stop_confirm": ("Je confirme l'arrêt (la source de rejeu est désactivée, l'incident clos)",
                     "I confirm (the replay source is disabled, the incident closed)"),
    "close": ("Clôturer l'incident", "Close the incident"),
    "close_confirm": ("Je confirme la clôture de cet incident réel",
                      "I confirm closing this real incident"),
    "confirm_first": ("Cochez la case de confirmation.", "Tick the confirmation box."),
    "start": ("Démarrer un exercice", "Start an exercise"),
    "scenario": ("Scénario", "Scenario"),
    "speed": ("Vitesse", "Speed"),
    "speed_label": ("×{speed:g} — {total} au total", "×{speed:g} — {total} in all"),
    "start_button": ("Démarrer", "Start"),
    "running": ("Un exercice est déjà en cours : arrêtez-le avant d'en démarrer un autre.",
                "An exercise is already running: stop it before starting another."),
    "no_scenario": ("Aucun scénario dans data/scenarios/.", "No scenario in data/scenarios/."),
    "started": ("Exercice démarré : les premières publications arrivent dans quelques secondes.",
                "Exercise started: the first posts arrive within seconds."),
    "real_title": ("Ouvrir un incident réel", "Open a real incident"),
    "name": ("Nom", "Name"),
    "area": ("Zone", "Area"),
    "keywords": ("Mots-clés (séparés par des virgules)", "Keywords (comma-separated)"),
    "departements": ("Départements (séparés par des virgules)",
                     "Départements (comma-separated)"),
    "open_button": ("Ouvrir l'incident", "Open the incident"),
    "name_needed": ("Donnez un nom à l'incident.", "Give the incident a name."),
    "opened": ("Incident réel ouvert.", "Real incident opened."),
    "ended": ("Exercices terminés", "Finished exercises"),
    "none_ended": ("Aucun exercice terminé à purger.", "No finished exercise to purge."),
    "counts": ("{posts} publications · {road_events} événements routiers · {alerts} alertes · "
               "{claims} vérifications · {people} personnes · {messages} messages · {spikes} "
               "hausses · {log} lignes de main courante",
               "{posts} posts · {road_events} road events · {alerts} alerts · {claims} claims · "
               "{people} people · {messages} messages · {spikes} spikes · {log} log lines"),
    "purge": ("Purger les données de l'exercice", "Purge the exercise's data"),
    "purge_confirm": ("Je confirme : supprimer définitivement les données de cet exercice "
                      "(les données réelles et le journal d'audit ne sont pas touchés)",
                      "I confirm: delete this exercise's data for good (real data and the "
                      "audit trail are not touched)"),
    "purged": ("Données purgées : {counts}", "Data purged: {counts}"),
    "purged_at": ("purgé le {at}", "purged on {at}"),
    "error": ("Action impossible : {error}", "Action refused: {error}"),
    "err_running": ("un exercice est déjà en cours", "an exercise is already running"),
    "err_stop first": ("arrêtez d'abord l'exercice", "stop the exercise first"),
    "err_not running": ("l'exercice n'est pas en cours", "the exercise is not running"),
    "err_not paused": ("l'exercice n'est pas en pause", "the exercise is not paused"),
    "err_closed": ("déjà clos", "already closed"),
    "history": ("Incidents clos", "Closed incidents"),
    "refused": ("Réservé aux coordinateurs et administrateurs.",
                "Coordinators and admins only."),
})


def render(user: User) -> None:
    if not user.can("coordinator"):
        st.error(_("refused"))
        return
    _flash()
    open_incidents(user)
    left, right = st.columns(2, gap="large")
    with left:
        start_form(user)
    with right:
        real_form(user)
    finished(user)


def _flash() -> None:
    message = st.session_state.pop("exercise_flash", None)
    if message:
        st.success(message)


def _act(action, *args, flash: str | None = None, **kwargs) -> None:
    """Run one action; show why it was refused, or rerun to show its effect."""
    try:
        action(*args, **kwargs)
    except ExerciseError as exc:
        key = f"err_{exc}"
        st.error(_("error", error=_(key) if key in _.messages else str(exc)))
        return
    except PermissionError:
        st.error(_("refused"))
        return
    if flash:
        st.session_state["exercise_flash"] = flash
    st.rerun()


@st.fragment(run_every=10)
@fragment_timer("admin.open_incidents")
@still_allowed("admin")
def open_incidents(user: User) -> None:
    store = get_store()
    st.subheader(_("open"))
    live = [i for i in store.list_incidents() if i["status"] != "closed"]
    if not live:
        st.info(_("none_open"))
    for incident in live:
        with st.container(border=True, key=f"incident-{incident['id']}"):
            st.markdown(_("line", kind=_("exercise" if incident["exercise"] else "real"),
                          name=md_escape(incident["name"]),
                          status=_(f"status_{incident['status']}"),
                          since=md_escape(local_time(incident["started_at"]))))
            if incident["exercise"]:
                _exercise_controls(store, user, incident)
            else:
                _real_controls(store, user, incident)


def _exercise_controls(store, user: User, incident: dict) -> None:
    counts = store.incident_data_counts(incident["id"])
    st.caption(md_escape(_("details", scenario=incident.get("scenario") or "—",
                           speed=float(incident.get("speed") or 1), posts=counts["posts"],
                           roads=counts["road_events"])))
    progress = exercises.replay_progress(store, incident)
    if progress is not None:
        st.progress(progress, text=_("progress", pct=round(progress * 100)))
    cols = st.columns([1, 1, 2])
    if incident["status"] == "active":
        if cols[0].button(_("pause"), key=f"pause-{incident['id']}"):
            _act(exercises.pause_exercise, store, user, incident["id"])
    elif cols[0].button(_("resume"), key=f"resume-{incident['id']}", type="primary"):
        _act(exercises.resume_exercise, store, user, incident["id"])
    with cols[2].form(f"stop-{incident['id']}", border=False):
        sure = st.checkbox(_("stop_confirm"), key=f"stop-sure-{incident['id']}")
        if st.form_submit_button(_("stop")):
            if not sure:
                st.warning(_("confirm_first"))
            else:
                _act(exercises.stop_exercise, store, user, incident["id"])


def _real_controls(store, user: User, incident: dict) -> None:
    with st.form(f"close-{incident['id']}", border=False):
        sure = st.checkbox(_("close_confirm"), key=f"close-sure-{incident['id']}")
        if st.form_submit_button(_("close")):
            if not sure:
                st.warning(_("confirm_first"))
            else:
                _act(exercises.close_incident, store, user, incident["id"])


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"


def start_form(user: User) -> None:
    store = get_store()
    st.subheader(_("start"))
    scenarios = [s for s in exercises.list_scenarios() if s.exercise]
    if not scenarios:
        st.info(_("no_scenario"))
        return
    if store.running_exercise():
        st.info(_("running"))
        return
    with st.form("start-exercise"):
        scenario = st.selectbox(_("scenario"), scenarios, format_func=lambda s: s.title,
                                key="exercise_scenario")
        speed = st.selectbox(
            _("speed"), exercises.SPEEDS, index=exercises.SPEEDS.index(16.0),
            format_func=lambda v: _("speed_label", speed=v,
                                    total=_duration(scenario.duration_s / v)),
            key="exercise_speed")
        if st.form_submit_button(_("start_button"), type="primary"):
            _act(exercises.start_exercise, store, user, scenario, speed, flash=_("started"))


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def real_form(user: User) -> None:
    store = get_store()
    st.subheader(_("real_title"))
    with st.form("open-incident", clear_on_submit=True):
        name = st.text_input(_("name"), max_chars=120, key="incident_name")
        area = st.text_input(_("area"), max_chars=120, key="incident_area")
        keywords = st.text_input(_("keywords"), max_chars=500, key="incident_keywords")
        departements = st.text_input(_("departements"), value="21", max_chars=100,
                                     key="incident_departements")
        if st.form_submit_button(_("open_button")):
            if not name.strip():
                st.warning(_("name_needed"))
            else:
                _act(exercises.open_incident, store, user, name, area=area.strip() or None,
                     keywords=_split(keywords), departements=_split(departements),
                     flash=_("opened"))


def finished(user: User) -> None:
    store = get_store()
    st.subheader(_("ended"))
    done = [i for i in store.list_incidents() if i["exercise"] and i["status"] == "closed"]
    shown = 0
    for incident in done:
        counts = store.incident_data_counts(incident["id"])
        if not any(counts.values()):
            continue
        shown += 1
        with st.container(border=True, key=f"ended-{incident['id']}"):
            st.markdown(f"**{md_escape(incident['name'])}** · "
                        f"{md_escape(local_time(incident['started_at']))} → "
                        f"{md_escape(local_time(incident.get('ended_at')))}")
            st.caption(md_escape(_("counts", **counts)))
            with st.form(f"purge-{incident['id']}", border=False):
                sure = st.checkbox(_("purge_confirm"), key=f"purge-sure-{incident['id']}")
                if st.form_submit_button(_("purge"), type="primary"):
                    if not sure:
                        st.warning(_("confirm_first"))
                    else:
                        _purge(store, user, incident["id"])
    if not shown:
        st.caption(_("none_ended"))


def _purge(store, user: User, incident_id: int) -> None:
    try:
        removed = exercises.purge_exercise(store, user, incident_id)
    except ExerciseError as exc:
        st.error(_("error", error=str(exc)))
        return
    except PermissionError:
        st.error(_("refused"))
        return
    st.session_state["exercise_flash"] = _("purged", counts=", ".join(
        f"{table} {n}" for table, n in removed.items() if n))
    st.rerun()
