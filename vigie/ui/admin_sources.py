"""Admin tab: every source with its health in plain words; enable/disable, run now,
add and edit. Admin only; every action checks the role again on the server."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from collectors.examples import EXAMPLES, example, example_options
from collectors.registry import KINDS
from vigie import admin_sources as actions
from vigie.auth import User
from vigie.i18n import Catalog
from vigie.models import utc_now
from vigie.process import CollectorsLock
from vigie.source_health import (
    STATES,
    Health,
    assess,
    clock,
    next_run_words,
    parse_iso,
    state_label,
)
from vigie.store import Store
from vigie.store.source_admin import origin_of
from vigie.toml_text import dumps_options
from vigie.ui.admin_actions import run_action, show_flash
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store

_ = Catalog({
    "refused": ("Cet onglet est réservé aux administrateurs.",
                "This tab is for administrators only."),
    "no_collectors": ("Le processus de collecte ne tourne pas : aucune source n'est relevée "
                      "en ce moment. Il démarre avec le tableau de bord, ou avec "
                      "`python -m collectors`.",
                      "The collectors process is not running: no source is being collected. "
                      "It starts with the dashboard, or with `python -m collectors`."),
    "summary": ("**{n} source(s)** — {parts}", "**{n} source(s)** — {parts}"),
    "none": ("Aucune source pour l'instant : ajoutez-en une ci-dessous, ou dans le fichier "
             "de sources.", "No source yet: add one below, or in the sources file."),
    "col_state": ("État", "State"),
    "col_name": ("Source", "Source"),
    "col_kind": ("Type", "Kind"),
    "col_origin": ("Origine", "Origin"),
    "col_ok": ("Dernier succès", "Last success"),
    "col_error": ("Dernière erreur", "Last error"),
    "col_failures": ("Échecs consécutifs", "Consecutive failures"),
    "col_items": ("Éléments (dernier relevé / total)", "Items (last run / total)"),
    "col_next": ("Prochain relevé", "Next run"),
    "never": ("jamais", "never"),
    "requested": ("demandé", "requested"),
    "origin_file": ("fichier de sources", "sources file"),
    "origin_file_edited": ("fichier, modifiée ici", "file, edited here"),
    "origin_admin": ("ajoutée ici", "added here"),
    "origin_file_removed": ("retirée du fichier", "removed from the file"),
    "origin_file_removed_long": ("Retirée du fichier de sources : désactivée au démarrage de "
                                 "la collecte ; ses éléments et son historique sont gardés.",
                                 "Removed from the sources file: disabled when the collectors "
                                 "started; its items and history are kept."),
    "origin_file_long": ("Définie dans le fichier de sources.",
                         "Defined in the sources file."),
    "origin_file_edited_long": ("Définie dans le fichier de sources puis modifiée ici : "
                                "cette version reste en vigueur tant que la source n'est pas "
                                "modifiée dans le fichier.",
                                "Defined in the sources file, then edited here: this version "
                                "stays until the source is edited in the file."),
    "origin_admin_long": ("Ajoutée dans cette page (enregistrée dans la base de données).",
                          "Added on this page (stored in the database)."),
    "manage": ("Gérer une source", "Manage a source"),
    "kind_replay": ("rejoue un scénario d'exercice", "replays an exercise scenario"),
    "kind_rss": ("flux RSS ou Atom", "RSS or Atom feed"),
    "kind_mastodon": ("mot-dièse ou fil public d'une instance Mastodon",
                      "a Mastodon instance's hashtag or public timeline"),
    "kind_bluesky": ("recherche de messages Bluesky", "Bluesky post search"),
    "kind_cap": ("alertes officielles CAP (alerte seule ou index)",
                 "official CAP alerts (one alert or an index)"),
    "kind_file": ("export CSV ou JSON Lines de messages", "CSV or JSON Lines export of posts"),
    "kind_wzdx": ("événements routiers WZDx (GeoJSON)", "WZDx road events (GeoJSON)"),
    "kind_datex2": ("situations et arrêtés DATEX II", "DATEX II situations and regulations"),
    "kind_cifs": ("fermetures et incidents Waze CIFS", "Waze CIFS closures and incidents"),
    "kind_geojson": ("événements routiers GeoJSON avec correspondance de propriétés",
                     "GeoJSON road events with a property mapping"),
    "pick": ("Source", "Source"),
    "run_now": ("Relever maintenant", "Run now"),
    "disable": ("Désactiver", "Disable"),
    "enable": ("Activer", "Enable"),
    "edit": ("Modifier la définition", "Edit the definition"),
    "kind": ("Type", "Kind"),
    "name": ("Nom (unique, sans espace)", "Name (unique, no space)"),
    "url": ("Adresse (http(s), file:// ou chemin d'un fichier sur le serveur)",
            "Address (http(s), file:// or path of a file on the server)"),
    "every": ("Période (secondes entre deux relevés)", "Period (seconds between runs)"),
    "options": ("Options propres au type (format TOML, une « clé = valeur » par ligne)",
                "Kind-specific options (TOML, one 'key = value' per line)"),
    "options_help": ("Exemple pour ce type :\n\n{example}\n\nVoir README.md, « Source kinds ».",
                     "Example for this kind:\n\n{example}\n\nSee README.md, 'Source kinds'."),
    "enabled": ("Activer dès l'enregistrement", "Enable when saved"),
    "save": ("Enregistrer", "Save"),
    "add": ("Ajouter une source", "Add a source"),
    "add_save": ("Ajouter la source", "Add the source"),
    "added": ("Source « {name} » ajoutée : elle sera relevée au prochain tour de la collecte.",
              "Source '{name}' added: it will run at the collectors' next round."),
    "saved": ("Source « {name} » enregistrée.", "Source '{name}' saved."),
    "enabled_ok": ("Source « {name} » activée.", "Source '{name}' enabled."),
    "disabled_ok": ("Source « {name} » désactivée.", "Source '{name}' disabled."),
    "run_ok": ("Relevé de « {name} » demandé : il aura lieu dans quelques secondes.",
               "Run of '{name}' requested: it will happen within seconds."),
    "not_saved": ("Rien n'a été enregistré :", "Nothing was saved:"),
    "stale": ("Cette source a été modifiée par {by} à {at} pendant que vous la regardiez : "
              "rien n'a été enregistré. Relisez-la et recommencez.",
              "This source was changed by {by} at {at} while you were looking at it: "
              "nothing was saved. Read it again and retry."),
})


# Material icons ship with Streamlit: they render where no emoji font is installed.
STYLE = {"ok": ("green", "check_circle", "#21c354"), "late": ("orange", "schedule", "#ffa421"),
         "failing": ("red", "error", "#ff4b4b"), "disabled": ("gray", "pause_circle", "#a3a8b8"),
         "waiting": ("blue", "hourglass_empty", "#1c83e1")}


def badge(state: str) -> str:
    """The state as a coloured markdown badge (our own words only)."""
    color, icon, _hex = STYLE[state]
    return f":{color}-badge[:material/{icon}: {state_label(state)}]"


def kind_label(kind: str) -> str:
    return f"{kind} — {_('kind_' + kind)}"


def render(user: User | None) -> None:
    if user is None or not user.can("admin"):
        st.error(_("refused"))
        return
    store = get_store()
    _flash()
    if not CollectorsLock(store.path).held_elsewhere():
        st.warning(_("no_collectors"))
    now = utc_now()
    rows = store.list_sources()
    seen = st.session_state.get("src_seen", {})
    health = {row["name"]: assess(row, now) for row in rows}
    if rows:
        _overview(rows, health, now)
        _manage(store, user, rows, health, seen)
    else:
        st.info(_("none"))
    _add_form(store, user)
    st.session_state["src_seen"] = {row["name"]: int(row["version"]) for row in rows}


# -- overview ---------------------------------------------------------------------------


def origin(row: dict[str, Any], long: bool = False) -> str:
    return _(f"origin_{origin_of(row)}" + ("_long" if long else ""))


def _overview(rows: list[dict[str, Any]], health: dict[str, Health], now: Any) -> None:
    counts = {s: sum(h.state == s for h in health.values()) for s in STATES}
    parts = " ".join(f"{badge(s)} {n}" for s, n in counts.items() if n)
    st.markdown(_("summary", n=len(rows), parts=parts))
    table = pd.DataFrame([{
        _("col_state"): health[r["name"]].label,
        _("col_name"): r["name"],
        _("col_kind"): r["kind"],
        _("col_ok"): _when(r.get("last_ok_at"), now),
        _("col_failures"): int(r.get("consecutive_failures") or 0),
        _("col_items"): f"{int(r.get('items_last_run') or 0)} / {int(r.get('items_total') or 0)}",
        _("col_next"): _next_cell(r, now),
        _("col_error"): _error_cell(r, now),
        _("col_origin"): origin(r),
    } for r in rows])
    colors = {state_label(s): STYLE[s][2] for s in STATES}
    styled = table.style.map(lambda v: f"color: {colors.get(v, 'inherit')}; font-weight: 600",
                             subset=[_("col_state")])
    st.dataframe(styled, hide_index=True, key="src_table")


def _when(value: Any, now: Any) -> str:
    when = parse_iso(value)
    return clock(when, now) if when else _("never")


def _next_cell(row: dict[str, Any], now: Any) -> str:
    if not row.get("enabled"):
        return "—"
    return _("requested") if row.get("run_requested") else next_run_words(row, now)


def _error_cell(row: dict[str, Any], now: Any) -> str:
    if not row.get("last_error"):
        return ""
    return f"{_when(row.get('last_error_at'), now)} — {row['last_error']}"


# -- one source -------------------------------------------------------------------------


def _manage(store: Store, user: User, rows: list[dict[str, Any]], health: dict[str, Health],
            seen: dict[str, int]) -> None:
    st.subheader(_("manage"))
    # Most urgent first, so that the failing source is the one shown by default.
    names = sorted((r["name"] for r in rows),
                   key=lambda n: (STATES.index(health[n].state), n))
    name = st.selectbox(_("pick"), names, key="src_pick",
                        format_func=lambda n: f"{n} — {health[n].label}")
    row = next(r for r in rows if r["name"] == name)
    version = seen.get(name, int(row["version"]))
    st.markdown(f"{badge(health[name].state)} {md_escape(origin(row, long=True))}")
    st.markdown("\n".join(f"- {md_escape(line)}" for line in health[name].lines))
    left, right, _rest = st.columns([1, 1, 3])
    if left.button(_("run_now"), key="src_run", disabled=not row["enabled"], type="primary"):
        _act(lambda: actions.run_now(store, user, name), _("run_ok", name=name))
    toggle = "disable" if row["enabled"] else "enable"
    if right.button(_(toggle), key="src_toggle"):
        _act(lambda: actions.set_enabled(store, user, name, version, not row["enabled"]),
             _(f"{toggle}d_ok", name=name))
    with st.expander(_("edit")):
        _edit_form(store, user, row, version)


def _edit_form(store: Store, user: User, row: dict[str, Any], version: int) -> None:
    name = row["name"]
    with st.form(f"src_edit_{name}"):
        kinds = sorted(KINDS)
        kind = st.selectbox(_("kind"), kinds, index=kinds.index(row["kind"])
                            if row["kind"] in kinds else 0, key=f"src_edit_kind_{name}",
                            format_func=kind_label)
        url = st.text_input(_("url"), value=row.get("url") or "", key=f"src_edit_url_{name}")
        every = st.number_input(_("every"), min_value=1.0, value=float(row["every"]), step=10.0,
                                key=f"src_edit_every_{name}")
        options = st.text_area(_("options"), value=dumps_options(row["options"]),
                               key=f"src_edit_options_{name}",
                               help=_("options_help", example=_example_text(row["kind"])))
        if st.form_submit_button(_("save")):
            form = actions.SourceForm(name, kind, url, every, bool(row["enabled"]), options)
            _act(lambda: actions.edit(store, user, name, version, form), _("saved", name=name))


# -- adding -----------------------------------------------------------------------------


def _add_form(store: Store, user: User) -> None:
    st.subheader(_("add"))
    kinds = sorted(KINDS)
    kind = st.selectbox(_("kind"), kinds, index=kinds.index("rss"), key="src_new_kind",
                        format_func=kind_label)
    sample = example(kind)
    with st.form(f"src_add_{kind}", clear_on_submit=False):
        name = st.text_input(_("name"), key=f"src_new_name_{kind}",
                             placeholder=str(sample.get("name", "")))
        url = st.text_input(_("url"), key=f"src_new_url_{kind}",
                            placeholder=str(sample.get("url", "")))
        every = st.number_input(_("every"), min_value=1.0, step=10.0,
                                value=float(sample.get("every", 60)), key=f"src_new_every_{kind}")
        options = st.text_area(_("options"), value=dumps_options(example_options(kind)),
                               key=f"src_new_options_{kind}",
                               help=_("options_help", example=_example_text(kind)))
        enabled = st.checkbox(_("enabled"), value=True, key=f"src_new_enabled_{kind}")
        if st.form_submit_button(_("add_save")):
            form = actions.SourceForm(name, kind, url, every, enabled, options)
            _act(lambda: actions.add(store, user, form), _("added", name=name.strip()))


def _example_text(kind: str) -> str:
    body = EXAMPLES.get(kind, "").strip()
    return f"```toml\n[[source]]\n{body}\n```"


# -- action plumbing --------------------------------------------------------------------


def _act(action: Any, success: str) -> None:
    run_action(action, success, prefix="src", messages=_)


def _flash() -> None:
    show_flash("src")
