"""The Map page: controls, the map (layers on and off), and the details of a clicked item.

Posts are drawn one by one up to POINT_LIMIT located posts in the window; beyond, the
store counts them per grid cell in SQL and the map shows one circle per cell, so the
browser receives a few thousand rows whatever the number of posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from vigie import mapbase
from vigie.i18n import Catalog
from vigie.models import utc_now
from vigie.periods import PERIODS, window
from vigie.store import PostFilter
from vigie.ui import maplayers
from vigie.ui.cards import CATEGORY_COLORS, category_label, local_time, post_card
from vigie.ui.road_labels import event_tip, footer, headline
from vigie.ui.roads_view import load_events
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store

POINT_LIMIT = 3000
MAP_HEIGHT = 640
DATA_TTL = 30            # seconds a window's post layers are kept (the wall map's refresh)
CELL_DEG = 0.02          # about 2 km: the bins of a busy window
MAX_BINS = 4000          # coarser cells beyond this many bins
LAYERS = ("posts", "clusters", "roads", "alerts", "shelters", "labels")

_ = Catalog({
    "title": ("Carte", "Map"),
    "period": ("Période", "Period"),
    "1h": ("1 heure", "1 hour"), "6h": ("6 heures", "6 hours"), "24h": ("24 heures", "24 hours"),
    "7d": ("7 jours", "7 days"), "30d": ("30 jours", "30 days"), "all": ("Tout", "All"),
    "layers": ("Couches", "Layers"),
    "posts": ("Publications", "Posts"),
    "clusters": ("Groupes de publications", "Post clusters"),
    "roads": ("Routes", "Roads"),
    "alerts": ("Zones d'alerte", "Alert areas"),
    "shelters": ("Lieux d'accueil", "Shelters"),
    "labels": ("Noms des communes", "Commune names"),
    "categories": ("Catégories", "Categories"),
    "all_categories": ("Toutes les catégories", "All categories"),
    "tiles": ("Fond de carte en ligne", "Online base map"),
    "tiles_help": ("Télécharge un fond de carte (internet requis). Sans lui, la carte "
                   "dessine les communes du département.",
                   "Downloads base map tiles (needs internet). Without it, the map draws "
                   "the département's communes."),
    "located": ("{n} publications localisées dans la période", "{n} located posts in the period"),
    "unlocated": ("{n} sans lieu connu (pas sur la carte)", "{n} without a known place (not "
                  "on the map)"),
    "binned": ("Trop de publications pour un point chacune : regroupées par carrés d'environ "
               "{km:.0f} km (taille : nombre, couleur : urgence la plus haute).",
               "Too many posts for one dot each: grouped in squares of about {km:.0f} km "
               "(size: count, colour: highest urgency)."),
    "bin_tip": ("{n} publications (carré d'environ {km:.0f} km)",
                "{n} posts (square of about {km:.0f} km)"),
    "cluster_tip": ("{n} publications semblables", "{n} similar posts"),
    "urgency": ("urgence {score:.0%}", "urgency {score:.0%}"),
    "commune_tip": ("cliquer pour voir ses publications", "click to see its posts"),
    "click": ("Cliquez sur un élément de la carte pour en voir le détail ici.",
              "Click an item on the map to see its details here."),
    "details": ("Détail", "Details"),
    "cluster_head": ("Groupe de {n} publications semblables, du {first} au {last}",
                     "Cluster of {n} similar posts, from {first} to {last}"),
    "bin_head": ("{n} publications dans ce carré ; les plus récentes :",
                 "{n} posts in this square; the most recent:"),
    "commune_head": ("{name} : {n} publications dans la période", "{name}: {n} posts in the "
                     "period"),
    "alert_instr": ("Consignes : {text}", "Instructions: {text}"),
    "shelter_head": ("Lieu d'accueil : {name}", "Shelter: {name}"),
    "flag": ("À vérifier : cette publication contredit les données routières ({road}).",
             "To check: this post contradicts the road data ({road})."),
    "legend_roads": ("Routes :", "Roads:"),
    "legend_posts": ("Publications (taille : urgence) :", "Posts (size: urgency):"),
    "gone": ("Cet élément n'est plus dans la période.", "This item is no longer in the period."),
})


@dataclass
class MapData:
    """What one run drew, by layer id, so that a click can be explained."""

    by_layer: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    post_filter: PostFilter | None = None
    cell_deg: float = CELL_DEG

    def add(self, layer: str, rows: list[dict[str, Any]], key: str = "id") -> None:
        self.by_layer.setdefault(layer, {}).update({str(r[key]): r for r in rows})


def controls() -> tuple[PostFilter, list[str], bool]:
    cols = st.columns([1, 3, 2], vertical_alignment="bottom")
    period = cols[0].selectbox(_("period"), list(PERIODS), index=2, format_func=_,
                               key="map_period")
    categories = cols[1].multiselect(_("categories"), list(CATEGORY_COLORS),
                                     format_func=category_label, key="map_categories",
                                     placeholder=_("all_categories"))
    tiles = cols[2].toggle(_("tiles"), value=False, help=_("tiles_help"), key="map_tiles")
    layers = st.pills(_("layers"), list(LAYERS), selection_mode="multi",
                      default=list(LAYERS), format_func=_, key="map_layers")
    since, _bucket = window(period, _step(utc_now()))
    return PostFilter(since=since, categories=categories), list(layers or []), tiles


def _step(now: datetime) -> datetime:
    """Now rounded down to DATA_TTL seconds: the window the cache is keyed on."""
    return datetime.fromtimestamp(now.timestamp() // DATA_TTL * DATA_TTL, tz=UTC)


def binned(f: PostFilter) -> tuple[list[dict[str, Any]], float]:
    """Bins of the window, with cells doubled until there are at most MAX_BINS."""
    cell = CELL_DEG
    store = get_store()
    while len(bins := store.map_bins(f, cell_deg=cell)) > MAX_BINS:
        cell *= 2
    return bins, cell


@st.cache_data(ttl=DATA_TTL, show_spinner=False, max_entries=16)
def post_data(db: str, since: str | None, categories: tuple[str, ...], posts: bool,
              clusters: bool) -> dict[str, Any]:
    """The window's posts as the map draws them (counts, then points or bins) and its
    clusters. Grouping a day of a million-post crisis by cluster takes a second, so the
    result is kept DATA_TTL seconds for this window (its start rounded to that step)."""
    store = get_store()
    f = PostFilter(since=since, categories=list(categories))
    out: dict[str, Any] = {"clusters": store.map_clusters(f) if clusters else []}
    if posts:
        out["located"] = store.count_located_posts(f)
        out["total"] = store.count_posts(f, cap=1_000_000)
        if out["located"] > POINT_LIMIT:
            out["bins"], out["cell_deg"] = binned(f)
        else:
            out["points"] = store.map_points(f, limit=POINT_LIMIT)
    return out


def build(f: PostFilter, layers: list[str], departements: list[str],
          tiles: bool) -> tuple[Any, MapData, list[str]]:
    """The deck, what it holds, and caption lines."""
    store = get_store()
    data = MapData(post_filter=f)
    captions: list[str] = []
    deck_layers = maplayers.base_layers(departements, labels="labels" in layers,
                                        commune_tip=_("commune_tip"))
    data.add("communes", [{"id": ft["properties"]["nom"]} for ft in
                          mapbase.communes(tuple(departements))["features"]])
    if "alerts" in layers:
        alerts = store.alerts(active_at=f.since, limit=200)
        deck_layers.append(maplayers.alerts_layer(maplayers.alert_features(alerts)))
        data.add("alerts", alerts)
    if "roads" in layers:
        events = [e for e in load_events()
                  if e["live_status"] != "ended" or (e.get("updated_at") or "") >= (f.since or "")]
        paths, points = maplayers.road_rows(events, event_tip)
        deck_layers.extend(maplayers.road_layers(paths, points))
        for layer_id in ("roads", "detours", "road_points"):
            data.add(layer_id, events)
        captions.append(_legend())
    posts = post_data(str(store.path), f.since, tuple(f.categories),
                      "posts" in layers, "clusters" in layers)
    if "clusters" in layers:
        rows = maplayers.cluster_rows(posts["clusters"], lambda n: _("cluster_tip", n=n))
        deck_layers.extend(maplayers.cluster_layers(rows))
        data.add("clusters", rows)
    if "posts" in layers:
        located, total = posts["located"], posts["total"]
        captions.append(_("located", n=located) + (
            " · " + _("unlocated", n=total - located) if total > located else ""))
        if located > POINT_LIMIT:
            bins, data.cell_deg = posts["bins"], posts["cell_deg"]
            km = data.cell_deg * 111
            rows = maplayers.bin_rows(bins, lambda n: _("bin_tip", n=n, km=km), km)
            deck_layers.append(maplayers.bins_layer(rows))
            data.add("bins", rows)
            captions.append(_("binned", km=km))
        else:
            labels = {c: category_label(c) for c in CATEGORY_COLORS}
            rows = maplayers.post_rows(posts["points"], labels,
                                       lambda u: _("urgency", score=u))
            deck_layers.append(maplayers.posts_layer(rows))
            data.add("posts", rows)
    if "shelters" in layers:
        shelters = store.shelters()
        rows = maplayers.shelter_rows(shelters, _shelter_tip)
        deck_layers.append(maplayers.shelters_layer(rows))
        data.add("shelters", [{**s, "id": str(s["id"])} for s in shelters])
    view = mapbase.home_view(tuple(departements), 1000, MAP_HEIGHT)
    return maplayers.deck(deck_layers, view, tiles=tiles), data, captions


def _shelter_tip(s: dict[str, Any]) -> dict[str, str]:
    return maplayers.tip(_("shelter_head", name=s.get("name")), s.get("commune"),
                         s.get("address"))


def category_legend() -> None:
    """Coloured dots and the category names (our own strings, escaped)."""
    import html

    dots = " ".join(
        f'<span style="white-space:nowrap;margin-right:.8em">'
        f'<span style="color:rgb({r},{g},{b})">●</span> {html.escape(category_label(c))}</span>'
        for c, (r, g, b) in maplayers.CATEGORY_RGB.items() if c != "not_relevant")
    st.html(f'<div style="font-size:.85rem;opacity:.85">{html.escape(_("legend_posts"))} '
            f"{dots}</div>")


def _legend() -> str:
    from vigie.ui.road_labels import EVENT_TYPES, TYPE_BADGE, type_label

    return _("legend_roads") + " " + " ".join(
        f":{TYPE_BADGE[t]}-badge[{md_escape(type_label(t))}]" for t in EVENT_TYPES)


def picked(selection: Any) -> tuple[str, dict[str, Any]] | None:
    """(layer id, object) of the clicked item, if any."""
    objects = (selection or {}).get("objects") or {}
    for layer_id, items in objects.items():
        if items:
            return layer_id, items[0]
    return None


def details(selection: Any, data: MapData) -> None:
    """What the clicked item is, below the map."""
    hit = picked(selection)
    if hit is None:
        st.caption(_("click"))
        return
    layer, obj = hit
    key = str(obj.get("id") or (obj.get("properties") or {}).get("id")
              or (obj.get("properties") or {}).get("nom") or "")
    st.subheader(_("details"))
    store = get_store()
    if layer == "posts":
        post = store.get_post(key)
        if post is None:
            st.info(_("gone"))
            return
        for flag in store.post_flags([key]).get(key, []):
            st.warning(_("flag", road=md_escape(flag["road"])))
        post_card(post)
    elif layer == "clusters":
        row = data.by_layer.get("clusters", {}).get(key, {})
        st.markdown(md_escape(_("cluster_head", n=row.get("posts", "?"),
                                first=local_time(row.get("first_at")),
                                last=local_time(row.get("last_at")))))
        for post in store.cluster_posts(key, limit=5):
            post_card(post)
    elif layer in ("roads", "detours", "road_points"):
        event = store.road_event(key)
        if event is None:
            st.info(_("gone"))
            return
        row = data.by_layer.get(layer, {}).get(key, {})
        event["live_status"] = row.get("live_status")
        with st.container(border=True):
            st.markdown(headline(event))
            st.markdown(md_escape(event.get("description")))
            if event.get("detour"):
                st.markdown(md_escape(event["detour"]))
            st.caption(md_escape(footer(event)))
    elif layer == "alerts":
        alert = data.by_layer.get("alerts", {}).get(key)
        if alert:
            with st.container(border=True):
                st.markdown(f"**{md_escape(alert.get('headline') or alert.get('event'))}**")
                st.caption(md_escape(" · ".join(x for x in (alert.get("sender"),
                                                            local_time(alert.get("sent")),
                                                            alert.get("area")) if x)))
                st.markdown(md_escape(alert.get("description")))
                if alert.get("instruction"):
                    st.markdown(md_escape(_("alert_instr", text=alert["instruction"])))
    elif layer == "bins":
        _bin_details(key, data)
    elif layer == "communes":
        f = data.post_filter or PostFilter()
        sub = PostFilter(since=f.since, categories=f.categories, place=key)
        st.markdown(md_escape(_("commune_head", name=key, n=store.count_posts(sub))))
        for post in store.timeline(sub, limit=5):
            post_card(post)
    elif layer == "shelters":
        s = data.by_layer.get("shelters", {}).get(key, {})
        st.markdown(md_escape(_("shelter_head", name=s.get("name", "?"))))
        st.caption(md_escape(" · ".join(str(x) for x in (s.get("commune"), s.get("address"),
                                                         s.get("capacity")) if x)))


def _bin_details(key: str, data: MapData) -> None:
    try:
        _prefix, gy, gx = key.split(":")
        gy_i, gx_i = int(gy) - 1_000_000, int(gx) - 1_000_000
    except ValueError:
        return
    cell = data.cell_deg
    f = data.post_filter or PostFilter()
    sub = PostFilter(since=f.since, categories=f.categories, extra_where=[(
        "p.lat >= ? AND p.lat < ? AND p.lon >= ? AND p.lon < ?",
        (gy_i * cell, (gy_i + 1) * cell, gx_i * cell, (gx_i + 1) * cell))])
    store = get_store()
    st.markdown(md_escape(_("bin_head", n=store.count_located_posts(sub))))
    for post in store.timeline(sub, limit=5):
        post_card(post)


def title() -> str:
    return _("title")
