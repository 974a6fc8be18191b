"""Reports page: the point de situation, the exports, CAP and ClaimReview, as downloads.

Every file is made by the same functions as `python -m vigie report|export`, on demand (a
button), with a progress bar; the result waits in the session for its download button.
Roles are checked again in each action; authors' names need a coordinator.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import streamlit as st

from vigie import exports, reports
from vigie.auth import User
from vigie.exports import outgoing
from vigie.i18n import Catalog
from vigie.messages import LOCAL_TZ, local_to_iso
from vigie.models import iso, utc_now
from vigie.reports.sitrep import default_since
from vigie.ui.session import get_store

_ = Catalog({
    "title": ("Rapports et exports", "Reports and exports"),
    "period": ("Période", "Period"),
    "incident": ("Depuis le début de l'incident", "Since the incident began"),
    "6h": ("6 dernières heures", "Last 6 hours"), "24h": ("24 dernières heures", "Last 24 hours"),
    "custom": ("Personnalisée", "Custom"),
    "from_day": ("Du (jour)", "From (day)"), "from_time": ("à (heure)", "at (time)"),
    "to_day": ("Au (jour)", "To (day)"), "to_time": ("à (heure)", "at (time)"),
    "bad_period": ("La fin de la période doit suivre son début.",
                   "The period must end after it starts."),
    "sitrep": ("Point de situation", "Situation report"),
    "sitrep_help": ("Incident et période, chiffres clés, faits marquants, carte, volume, faits "
                    "vérifiés, rumeurs démenties, personnes (effectifs), routes, alertes.",
                    "Incident and period, key figures, timeline, map, volume, verified facts, "
                    "debunked rumours, people (counts), roads, alerts."),
    "format": ("Format", "Format"),
    "pdf": ("PDF", "PDF"), "md": ("Markdown (ZIP avec la carte et le graphique)",
                                  "Markdown (ZIP with the map and the chart)"),
    "make_sitrep": ("Préparer le point de situation", "Prepare the situation report"),
    "ready": ("Prêt : {name} ({size}, {seconds:.1f} s)", "Ready: {name} ({size}, {seconds:.1f} s)"),
    "download": ("Télécharger", "Download"),
    "exports": ("Exports pour les partenaires", "Exports for partners"),
    "dataset": ("Données", "Data"),
    "posts": ("Publications", "Posts"), "claims": ("Affirmations vérifiées", "Claims"),
    "roads": ("Événements routiers", "Road events"),
    "map": ("Carte (routes, alertes, hébergements, vérifications)",
            "Map (roads, alerts, shelters, verifications)"),
    "csv": ("CSV (tableur)", "CSV (spreadsheet)"), "xlsx": ("XLSX (Excel)", "XLSX (Excel)"),
    "geojson": ("GeoJSON (SIG, uMap)", "GeoJSON (GIS, uMap)"),
    "hxl": ("CSV HXL (outils humanitaires)", "HXL CSV (humanitarian tools)"),
    "with_authors": ("Garder le nom des auteurs (sinon pseudonymes)",
                     "Keep the authors' names (otherwise pseudonyms)"),
    "authors_help": ("Réservé aux coordinateurs ; l'export est tracé dans le journal d'audit.",
                     "Coordinators only; the export is recorded in the audit trail."),
    "estimate": ("Environ {n} publications sur la période.", "About {n} posts in the period."),
    "make_export": ("Préparer l'export", "Prepare the export"),
    "rows": ("{n} lignes", "{n} rows"),
    "exercise": ("Exercice : le fichier le dit dans son nom et dans une colonne « exercice ».",
                 "Exercise: the file says so in its name and in an \"exercice\" column."),
    "outgoing": ("Messages (CAP) et vérifications (ClaimReview)",
                 "Messages (CAP) and fact-checks (ClaimReview)"),
    "message": ("Message approuvé", "Approved message"),
    "no_message": ("Aucun message approuvé.", "No approved message."),
    "claim": ("Affirmation démentie", "Debunked claim"),
    "no_claim": ("Aucune affirmation jugée fausse ou trompeuse.",
                 "No claim judged false or misleading."),
    "cap_file": ("Télécharger en CAP 1.2", "Download as CAP 1.2"),
    "review_file": ("Télécharger la ClaimReview", "Download the ClaimReview"),
    "forbidden": ("Action réservée aux coordinateurs.", "Coordinators only."),
    "step": ("Étape : {name}", "Step: {name}"),
    "step_aggregates": ("agrégats", "aggregates"), "step_map": ("carte", "map"),
    "step_chart": ("graphique", "chart"), "step_layout": ("mise en page", "layout"),
    "step_done": ("terminé", "done"),
})

PERIODS = ("incident", "6h", "24h", "custom")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} Mo" if n >= 1e6 else f"{max(1, n // 1000)} ko"


def period_picker() -> tuple[str | None, str] | None:
    """(since, until) as ISO UTC, or None when the custom period is inverted."""
    store = get_store()
    choice = st.segmented_control(_("period"), PERIODS, default="incident", format_func=_,
                                  key="rep_period") or "incident"
    now = utc_now()
    if choice == "incident":
        return default_since(store), iso(now)
    if choice in ("6h", "24h"):
        return iso(now - timedelta(hours=int(choice[:-1]))), iso(now)
    local_now = datetime.now(LOCAL_TZ)
    start = local_now - timedelta(hours=6)
    c1, c2, c3, c4 = st.columns(4)
    since = local_to_iso(c1.date_input(_("from_day"), value=start.date(), format="DD/MM/YYYY",
                                       key="rep_from_day"),
                         c2.time_input(_("from_time"), value=start.time().replace(
                             second=0, microsecond=0), key="rep_from_time"))
    until = local_to_iso(c3.date_input(_("to_day"), value=local_now.date(), format="DD/MM/YYYY",
                                       key="rep_to_day"),
                         c4.time_input(_("to_time"), value=local_now.time().replace(
                             second=0, microsecond=0), key="rep_to_time"))
    if until <= since:
        st.error(_("bad_period"))
        return None
    return since, until


def _offer(slot: str, label_key: str = "download") -> None:
    ready = st.session_state.get(slot)
    if not ready:
        return
    st.success(_("ready", name=ready["name"], size=_size(len(ready["data"])),
                 seconds=ready["seconds"]))
    st.download_button(_(label_key), ready["data"], file_name=ready["name"],
                       mime=ready["mime"], key=f"{slot}_button", on_click="ignore",
                       icon=":material/download:", type="primary")


def sitrep_section(user: User, period: tuple[str | None, str]) -> None:
    st.subheader(_("sitrep"))
    st.caption(_("sitrep_help"))
    fmt = st.segmented_control(_("format"), reports.FORMATS, default="pdf", format_func=_,
                               key="rep_sitrep_format") or "pdf"
    if st.button(_("make_sitrep"), key="rep_make_sitrep"):
        if not user.can("coordinator"):
            st.error(_("forbidden"))
            return
        store = get_store()
        bar = st.progress(0.0)

        def progress(fraction: float, step: str) -> None:
            bar.progress(fraction, text=_("step", name=_(f"step_{step}")))

        mark = "EXERCICE-" if reports.is_exercise(store, *period) else ""
        stem = f"{mark}point-de-situation-{period[1].replace(':', '').replace('-', '')[:13]}"
        built = reports.build(store, fmt, since=period[0], until=period[1],
                              progress=progress, stem=stem)
        if fmt == "pdf":
            data, name, mime = built.main, f"{stem}.pdf", "application/pdf"
        else:
            data, name, mime = reports.markdown_zip(built, stem), f"{stem}.zip", \
                "application/zip"
        store.audit(user.username, "report", "sitrep", None,
                    after={"format": fmt, "since": period[0], "until": period[1]})
        st.session_state["rep_sitrep_ready"] = {"data": data, "name": name, "mime": mime,
                                                "seconds": built.timings["total"]}
        bar.empty()
    _offer("rep_sitrep_ready")


def export_section(user: User, period: tuple[str | None, str]) -> None:
    st.subheader(_("exports"))
    store = get_store()
    c1, c2 = st.columns(2)
    dataset = c1.selectbox(_("dataset"), list(exports.datasets.DATASETS), format_func=_,
                           key="rep_dataset")
    fmt = c2.selectbox(_("format"), exports.FORMATS, format_func=_, key="rep_format")
    with_authors = False
    if dataset == "posts":
        estimate = store.count_export_posts(*period)
        st.caption(_("estimate", n=f"{estimate:,}".replace(",", " ")))
        if user.can("coordinator"):
            with_authors = st.checkbox(_("with_authors"), help=_("authors_help"),
                                       key="rep_with_authors")
    if store.exercise_in_period(*period):
        st.caption(_("exercise"))
    if st.button(_("make_export"), key="rep_make_export"):
        if not user.can("coordinator"):
            st.error(_("forbidden"))
            return
        bar = st.progress(0.0)

        def progress(rows: int, total: int | None) -> None:
            fraction = min(1.0, rows / total) if total else 0.5
            bar.progress(fraction, text=_("rows", n=f"{rows:,}".replace(",", " ")))

        with tempfile.TemporaryDirectory(prefix="vigie-export-") as tmp:
            name = exports.default_name(dataset, fmt, store.exercise_in_period(*period))
            result = exports.export(store, dataset, fmt, Path(tmp) / name, since=period[0],
                                    until=period[1], with_authors=with_authors,
                                    progress=progress)
            data = result.path.read_bytes()
        store.audit(user.username, "export", dataset, None,
                    after={"format": fmt, "since": period[0], "until": period[1],
                           "with_authors": with_authors, "rows": result.rows})
        st.session_state["rep_export_ready"] = {
            "data": data, "name": result.path.name, "mime": exports.MEDIA_TYPES[fmt],
            "seconds": 0.0}
        bar.empty()
    _offer("rep_export_ready")


def _message_label(m: dict[str, Any]) -> str:
    return f"n°{m['id']} — {m['title'] or m['body'][:60]}"


def outgoing_section() -> None:
    st.subheader(_("outgoing"))
    store = get_store()
    c1, c2 = st.columns(2)
    with c1:
        approved = store.list_messages(statuses=("approved", "sent"), limit=200)
        if not approved:
            st.caption(_("no_message"))
        else:
            m = st.selectbox(_("message"), approved, format_func=_message_label,
                             key="rep_message")
            name, data = outgoing.cap_document(store, m["id"])
            st.download_button(_("cap_file"), data, file_name=name, mime="application/xml",
                               key="rep_cap", on_click="ignore", icon=":material/download:")
    with c2:
        claims = store.debunkable_claims()
        if not claims:
            st.caption(_("no_claim"))
        else:
            c = st.selectbox(_("claim"), claims, format_func=lambda c: c["title"],
                             key="rep_claim")
            name, data = outgoing.claimreview_document(store, c["id"])
            st.download_button(_("review_file"), data, file_name=name,
                               mime="application/ld+json", key="rep_review",
                               on_click="ignore", icon=":material/download:")


def title() -> str:
    return _("title")
