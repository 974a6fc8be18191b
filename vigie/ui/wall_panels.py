"""The wall screen's panels. Each is a fragment that re-runs by itself (`run_every`), so
data regions refresh without re-running the page, and each says when its data was read.

Collected text (posts, places, claim titles, road descriptions, source errors) only ever
reaches the screen through md_escape in st.markdown; st.html receives our own numbers and
labels, escaped."""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import streamlit as st

from vigie import situation, spikes
from vigie.i18n import Catalog
from vigie.labels import category_label
from vigie.models import iso, utc_now
from vigie.snapshots import Snapshots
from vigie.store import Store
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store

TZ = ZoneInfo("Europe/Paris")
T = TypeVar("T")
REFRESH = {"top": 5, "spikes": 10, "figures": 5, "urgent": 5, "verdicts": 10, "roads": 5,
           "volume": 30, "map": 30}
# The live panels (figures, urgent, roads) look every PULSE seconds whether the data moved
# (one stamp query); the data itself is a snapshot shared by every wall screen of the
# server, reloaded at most once per PULSE when it moved and every REFRESH[...] anyway.
PULSE = 1
SHARED = Snapshots(min_age=0.8)

_ = Catalog({
    "wall": ("SITUATION", "SITUATION"),
    "no_incident": ("aucun incident en cours", "no incident open"),
    "data_at": ("données à", "data at"),
    "frozen": ("AFFICHAGE FIGÉ — dernières données à {time} — vérifier le poste Vigie",
               "DISPLAY FROZEN — last data at {time} — check the Vigie computer"),
    "collectors_stopped": ("⚠ COLLECTE ARRÊTÉE — plus aucune donnée nouvelle (dernière "
                           "publication reçue : {time})",
                           "⚠ COLLECTION STOPPED — no new data (last post received: {time})"),
    "source_failing": ("⚠ Source « {name} » en échec depuis {time} : {error}",
                       "⚠ Source \"{name}\" failing since {time}: {error}"),
    "source_never": ("⚠ Source « {name} » en échec, jamais réussie : {error}",
                     "⚠ Source \"{name}\" failing, never succeeded: {error}"),
    "source_silent": ("⚠ Source « {name} » silencieuse depuis {time}",
                      "⚠ Source \"{name}\" silent since {time}"),
    "more_problems": ("… et {n} autre(s) source(s) en difficulté",
                      "… and {n} more source(s) in trouble"),
    "spikes": ("▲ HAUSSE INHABITUELLE", "▲ UNUSUAL RISE"),
    "spike_place": ("**{value}** {count} publications en {minutes} min (d'habitude {baseline})",
                    "**{value}** {count} posts in {minutes} min (usually {baseline})"),
    "spike_category": ("thème **{value}** {count} en {minutes} min (d'habitude {baseline})",
                       "topic **{value}** {count} in {minutes} min (usually {baseline})"),
    "f_posts": ("Publications (1 h)", "Posts (1 h)"),
    "f_trend_up": ("▲ +{pct} % sur l'heure d'avant", "▲ +{pct}% on the hour before"),
    "f_trend_down": ("▼ −{pct} % sur l'heure d'avant", "▼ −{pct}% on the hour before"),
    "f_trend_flat": ("= stable sur l'heure d'avant", "= steady on the hour before"),
    "f_trend_none": ("rien l'heure d'avant", "nothing the hour before"),
    "f_urgent": ("Urgences ouvertes", "Urgent, open"),
    "f_urgent_sub": ("urgence ≥ {pct} %, non traitées", "urgency ≥ {pct}%, not handled"),
    "f_people": ("Personnes en attente", "People waiting"),
    "f_people_sub": ("attente max. {wait}", "longest wait {wait}"),
    "f_people_none": ("aucune en attente", "nobody waiting"),
    "f_claims": ("Rumeurs à vérifier", "Claims to verify"),
    "f_claims_sub": ("✔ {confirmed} vrai · ✘ {false} faux · ≈ {misleading} trompeur",
                     "✔ {confirmed} true · ✘ {false} false · ≈ {misleading} misleading"),
    "f_roads": ("Routes fermées", "Roads closed"),
    "f_roads_sub": ("fermetures en cours", "closures in force"),
    "urgent": ("Urgences", "Urgent"),
    "urgent_none": ("Aucune urgence ouverte.", "No urgent item open."),
    "urgent_more": ("+ {n} autre(s) urgence(s) ouverte(s) — voir Tri",
                    "+ {n} more open urgent item(s) — see Triage"),
    "escalated": ("transmis", "escalated"),
    "no_place": ("lieu ?", "place ?"),
    "verdicts": ("Vérifié · démenti", "Verified · debunked"),
    "verdicts_none": ("Aucun fait vérifié ni démenti pour l'instant.",
                      "Nothing verified or debunked yet."),
    "confirmed": ("✔ VRAI", "✔ TRUE"),
    "false": ("✘ FAUX", "✘ FALSE"),
    "misleading": ("≈ TROMPEUR", "≈ MISLEADING"),
    "roads": ("Routes coupées · déviations", "Roads closed · detours"),
    "roads_none": ("Aucune fermeture en cours.", "No closure in force."),
    "closure": ("FERMÉE", "CLOSED"),
    "detour": ("DÉVIATION", "DETOUR"),
    "detour_by": ("déviation : {detour}", "detour: {detour}"),
    "volume": ("Publications par thème (6 h)", "Posts by topic (6 h)"),
    "map": ("Carte · dernière heure", "Map · last hour"),
    "volume_none": ("Pas encore de publications classées.", "No categorised post yet."),
    "others": ("Autres", "Others"),
    "time": ("heure", "time"),
    "posts": ("publications", "posts"),
    "topic": ("thème", "topic"),
    "unavailable": ("Données indisponibles ({error}) — nouvel essai dans {s} s",
                    "Data unavailable ({error}) — retrying in {s} s"),
})

CATEGORY_COLORS = {
    "help_request": "#ff5252", "casualties": "#ff8a80", "missing_or_found": "#ff9a3d",
    "infrastructure": "#b388ff", "roads_traffic": "#ffc233", "evacuation_shelter": "#6cb8ff",
    "caution_advice": "#4be08f", "solidarity": "#26c6da", "sympathy": "#90a4ae",
    "other_relevant": "#e0e0e0", "others": "#5c6b80",
}
VERDICT_BADGE = {"confirmed": "green", "false": "red", "misleading": "orange"}


def clock(dt: datetime | None = None, seconds: bool = True) -> str:
    dt = (dt or utc_now()).astimezone(TZ)
    return dt.strftime("%H:%M:%S" if seconds else "%H:%M")


def short_time(value: str | None) -> str:
    dt = situation.parse(value)
    if dt is None:
        return "—"
    local = dt.astimezone(TZ)
    if local.date() == datetime.now(TZ).date():
        return local.strftime("%H:%M")
    return local.strftime("%d/%m %H:%M")


def number(value: float, decimals: int = 1) -> str:
    """French decimal comma in French, point in English."""
    from vigie.i18n import get_lang

    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if get_lang() == "fr" else text


def heading(title: str, count: int | None = None, *, at: datetime | None = None) -> None:
    """A panel's title (our own label), its count, and when its data was read."""
    parts = [f'<div class="wall-h"><span>{html.escape(title)}</span>']
    if count is not None:
        parts.append(f"<b>{int(count)}</b>")
    parts.append(f'<span class="t" title="{html.escape(_("data_at"))}">{clock(at)}</span></div>')
    st.html("".join(parts))


def shared(store: Store, panel: str, loader: Callable[[], T], *key: Hashable) -> T:
    """The panel's data from the process-wide snapshot (see vigie.snapshots)."""
    return SHARED.get((str(store.path), panel, key), store.change_stamp(), loader,
                      max_age=REFRESH[panel])


def unavailable(exc: Exception, seconds: int) -> None:
    with st.container(key="wall-alarm-db"):
        st.markdown(md_escape(_("unavailable", error=type(exc).__name__, s=seconds)))


# -- top bar: name, incidents, clock, health -------------------------------------------

@st.fragment(run_every=REFRESH["top"])
def top_bar() -> None:
    store = get_store()
    now = utc_now()
    try:
        names = [i["name"] for i in store.live_incidents()]
        problems = situation.health_problems(store, now)
    except Exception as exc:  # the database is unreachable: say so, keep the screen
        unavailable(exc, REFRESH["top"])
        return
    cols = st.columns([5, 2], vertical_alignment="center")
    with cols[0], st.container(key="wall-top-name"):
        incidents = " · ".join(names) if names else _("no_incident")
        st.markdown(f"**{_('wall')}** {md_escape(incidents, max_len=110)}")
    cols[1].html(f'<div class="wall-top"><span class="clock"><small>{html.escape(_("data_at"))}'
                 f"</small> {clock(now)}</span></div>"
                 f'<div class="wall-stale" role="alert">{html.escape(_("frozen", time=clock(now)))}'
                 "</div>")
    if problems:
        with st.container(key="wall-alarm-health"):
            for problem in problems[:3]:
                st.markdown(md_escape(problem_text(problem)))
            if len(problems) > 3:
                st.markdown(md_escape(_("more_problems", n=len(problems) - 3)))


def problem_text(problem: situation.Problem) -> str:
    when = clock(problem.since, seconds=False) if problem.since else "—"
    if problem.kind == "collectors_stopped":
        return _("collectors_stopped", time=when)
    if problem.kind == "source_silent":
        return _("source_silent", name=problem.source, time=when)
    error = (problem.error or "?")[:120]
    if problem.since is None:
        return _("source_never", name=problem.source, error=error)
    return _("source_failing", name=problem.source, time=when, error=error)


# -- spikes ----------------------------------------------------------------------------

@st.fragment(run_every=REFRESH["spikes"])
def spike_band() -> None:
    store = get_store()
    now = utc_now()
    try:
        found = store.active_spikes(iso(now - spikes.ACTIVE_FOR), limit=3)
        incidents = {i["id"]: i for i in store.live_incidents()}
    except Exception as exc:
        unavailable(exc, REFRESH["spikes"])
        return
    if not found:
        return
    with st.container(key="wall-spike-band"):
        items = "  ·  ".join(spike_text(s, incidents.get(s["incident_id"])) for s in found)
        st.markdown(f"{_('spikes')}  {items}")


def spike_text(spike: dict[str, Any], incident: dict[str, Any] | None) -> str:
    window = spikes.window_for(incident)
    minutes = max(int(round(window.total_seconds() / 60)), 1)
    value = spike["value"]
    if spike["dimension"] == "category":
        value = category_label(value)
    key = "spike_place" if spike["dimension"] == "place" else "spike_category"
    return _(key, value=md_escape(value, max_len=40), count=int(spike["count"]),
             minutes=minutes, baseline=number(float(spike["baseline"])))


# -- key figures -----------------------------------------------------------------------

@st.fragment(run_every=PULSE)
def key_figures() -> None:
    store = get_store()
    try:
        f, threshold = shared(store, "figures", lambda: (
            situation.figures(store, utc_now()), situation.urgency_threshold(store)))
    except Exception as exc:
        unavailable(exc, REFRESH["figures"])
        return
    tiles = [
        _tile(_("f_posts"), f.posts_hour, trend_text(f.trend, f.posts_previous_hour),
              "amber" if (f.trend or 0) >= 0.5 else ""),
        _tile(_("f_urgent"), f.urgent_open, _("f_urgent_sub", pct=round(threshold * 100)),
              "red" if f.urgent_open else "zero"),
        _tile(_("f_people"), f.people_waiting,
              _("f_people_sub", wait=situation.duration_text(f.longest_wait))
              if f.people_waiting else _("f_people_none"),
              "red" if f.people_waiting else "zero"),
        _tile(_("f_claims"), f.claims.get("to_verify", 0) + f.claims.get("investigating", 0),
              _("f_claims_sub", confirmed=f.claims.get("confirmed", 0),
                false=f.claims.get("false", 0), misleading=f.claims.get("misleading", 0)),
              "amber" if f.claims.get("to_verify", 0) else ""),
        _tile(_("f_roads"), f.roads_closed, _("f_roads_sub"), "red" if f.roads_closed else "zero"),
    ]
    st.html(f'<div class="wall-figs">{"".join(tiles)}</div>')


def _tile(label: str, value: int, sub: str, tone: str) -> str:
    sub_html = html.escape(sub)
    if sub.startswith("▲"):
        sub_html = f'<span class="up">{sub_html}</span>'
    elif sub.startswith("▼"):
        sub_html = f'<span class="down">{sub_html}</span>'
    return (f'<div class="wall-fig {tone}"><div class="l">{html.escape(label)}</div>'
            f'<div class="v">{int(value)}</div><div class="s">{sub_html}</div></div>')


def trend_text(trend: float | None, previous: int) -> str:
    if trend is None:
        return _("f_trend_none")
    pct = round(abs(trend) * 100)
    if pct < 5:
        return _("f_trend_flat")
    return _("f_trend_up" if trend > 0 else "f_trend_down", pct=pct)


# -- lists -----------------------------------------------------------------------------

@st.fragment(run_every=PULSE)
def urgent_panel(limit: int = 6, max_len: int = 130) -> None:
    store = get_store()
    now = utc_now()
    with st.container(key="wall-panel-urgent"):
        try:
            count, rows = shared(store, "urgent", lambda: store.urgent_open(
                situation.urgency_threshold(store), iso(now - situation.URGENT_WINDOW),
                limit=limit), limit)
        except Exception as exc:
            unavailable(exc, REFRESH["urgent"])
            return
        heading(_("urgent"), count, at=now)
        if not rows:
            st.html(f'<div class="wall-empty">{html.escape(_("urgent_none"))}</div>')
            return
        st.markdown("\n\n".join(urgent_line(r, max_len) for r in rows))
        if count > len(rows):
            st.markdown(f"*{md_escape(_('urgent_more', n=count - len(rows)))}*")


def urgent_line(post: dict[str, Any], max_len: int) -> str:
    place = md_escape(post.get("place") or _("no_place"), max_len=40)
    head = f"**{md_escape(short_time(post.get('created_at')))} · {place}**"
    if post.get("status") == "escalated":
        head += f" *{md_escape(_('escalated'))}*"
    copies = int(post.get("copies") or 1)
    if copies > 1:
        head += f" *×{copies}*"
    return f"{head} {md_escape(post.get('text'), max_len=max_len)}"


@st.fragment(run_every=REFRESH["verdicts"])
def verdicts_panel(limit: int = 5) -> None:
    store = get_store()
    now = utc_now()
    with st.container(key="wall-panel-verdicts"):
        try:
            rows = store.latest_verdicts(limit=limit)
        except Exception as exc:
            unavailable(exc, REFRESH["verdicts"])
            return
        heading(_("verdicts"), at=now)
        if not rows:
            st.html(f'<div class="wall-empty">{html.escape(_("verdicts_none"))}</div>')
            return
        st.markdown("\n\n".join(verdict_line(r) for r in rows))


def verdict_line(claim: dict[str, Any]) -> str:
    badge = f":{VERDICT_BADGE.get(claim['status'], 'gray')}-badge[{_(claim['status'])}]"
    text = md_escape(claim.get("title"), max_len=110)
    return f"{badge} *{md_escape(short_time(claim.get('at')))}* {text}"


@st.fragment(run_every=PULSE)
def roads_panel(limit: int = 6) -> None:
    store = get_store()
    now = utc_now()
    with st.container(key="wall-panel-roads"):
        try:
            closed, rows = shared(store, "roads", lambda: (
                store.roads_closed(), store.road_closures(limit=limit)), limit)
        except Exception as exc:
            unavailable(exc, REFRESH["roads"])
            return
        heading(_("roads"), closed, at=now)
        if not rows:
            st.html(f'<div class="wall-empty">{html.escape(_("roads_none"))}</div>')
            return
        st.markdown("\n\n".join(road_line(r) for r in rows))


def road_line(event: dict[str, Any]) -> str:
    kind = "closure" if event.get("event_type") == "closure" else "detour"
    badge = f":{'red' if kind == 'closure' else 'blue'}-badge[{_(kind)}]"
    road = md_escape(event.get("road") or "?", max_len=20)
    where = md_escape(event.get("commune") or "", max_len=40)
    head = f"{badge} **{road}**" + (f" {where}" if where else "")
    detail = event.get("description") or ""
    if event.get("detour"):
        detail = _("detour_by", detour=event["detour"])
    return f"{head} — {md_escape(detail, max_len=90)}" if detail else head


# -- volume by category ----------------------------------------------------------------

@st.fragment(run_every=REFRESH["volume"])
def volume_panel(height: int = 250, top: int = 5) -> None:
    store = get_store()
    now = utc_now()
    with st.container(key="wall-panel-volume"):
        try:
            since = now - situation.VOLUME_WINDOW
            first = situation.parse(store.first_post_since(iso(since)))
            bucket = situation.volume_bucket(now - (first or since))
            rows = store.category_volume(iso(since), bucket_seconds=bucket)
        except Exception as exc:
            unavailable(exc, REFRESH["volume"])
            return
        heading(_("volume"), at=now)
        chart, legend = volume_chart(rows, now, bucket, height=height, top=top)
        if chart is None:
            st.html(f'<div class="wall-empty">{html.escape(_("volume_none"))}</div>')
            return
        st.html('<div class="wall-legend">' + "".join(
            f'<span><i style="background:{color}"></i>{html.escape(label)}</span>'
            for label, color in legend) + "</div>")
        st.altair_chart(chart, width="stretch", height="stretch", theme=None)


def volume_chart(rows: list[dict[str, Any]], now: datetime, bucket: int, *, height: int,
                 top: int):
    """Stacked bars per time bucket of the `top` categories (the rest as "Autres"), and
    the legend as (label, colour) pairs: drawn in HTML above the chart, large, so that the
    chart's height goes to the bars."""
    import altair as alt
    import pandas as pd

    from vigie.ui.wall_style import CHART_CONFIG

    rows = [r for r in rows if r["category"] != "not_relevant"]
    if not rows:
        return None, []
    frame = pd.DataFrame(rows)
    totals = frame.groupby("category")["posts"].sum().sort_values(ascending=False)
    keep = list(totals.index[:top])
    frame["key"] = frame["category"].where(frame["category"].isin(keep), "others")
    frame = frame.groupby(["bucket", "key"], as_index=False)["posts"].sum()
    local = pd.to_datetime(frame["bucket"], unit="s", utc=True).dt.tz_convert(TZ)
    frame["time"] = local.dt.tz_localize(None)
    frame["end"] = frame["time"] + pd.Timedelta(seconds=bucket * 0.88)
    order = [k for k in [*keep, "others"] if k in set(frame["key"])]
    labels = {k: (_("others") if k == "others" else category_label(k)) for k in order}
    frame["label"] = frame["key"].map(labels)
    frame["rank"] = frame["key"].map({k: i for i, k in enumerate(order)})
    colors = {k: CATEGORY_COLORS.get(k, "#5c6b80") for k in order}
    end = pd.Timestamp(now.astimezone(TZ).replace(tzinfo=None)) + pd.Timedelta(seconds=bucket)
    start = min(frame["time"].min(), end - pd.Timedelta(seconds=bucket * 12))
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("time:T", title=None, scale=alt.Scale(domain=[start, end]),
                axis=alt.Axis(format="%H:%M", tickCount=5, labelFontSize=19, labelFlush=True)),
        x2=alt.X2("end:T"),
        y=alt.Y("sum(posts):Q", title=None, axis=alt.Axis(tickCount=3, labelFontSize=19)),
        color=alt.Color("label:N", title=None, legend=None,
                        scale=alt.Scale(domain=[labels[k] for k in order],
                                        range=[colors[k] for k in order])),
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("label:N", title=_("topic")),
                 alt.Tooltip("time:T", title=_("time"), format="%H:%M"),
                 alt.Tooltip("posts:Q", title=_("posts"))],
    ).properties(height="container")
    return chart.configure(**CHART_CONFIG), [(labels[k], colors[k]) for k in order]
