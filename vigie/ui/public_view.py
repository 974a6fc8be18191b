"""The public map: drawn from vigie/public.py's projection and nothing else, so the page
shows exactly what `/api/public.geojson` serves. It reads no URL parameter."""

from __future__ import annotations

from typing import Any

import streamlit as st

from vigie import mapbase
from vigie.geometry import representative_point
from vigie.i18n import Catalog
from vigie.public import projection
from vigie.ui import maplayers
from vigie.ui.cards import local_time
from vigie.ui.road_labels import status_label, type_label
from vigie.ui.safe import md_escape
from vigie.ui.session import get_store

_ = Catalog({
    "title": ("Carte publique", "Public map"),
    "intro": ("Informations vérifiées et publiées par la cellule de crise : routes coupées et "
              "perturbées, lieux d'accueil, informations confirmées et rumeurs démenties. "
              "Mise à jour : {at}.",
              "Information checked and published by the crisis cell: closed and disrupted "
              "roads, shelters, confirmed facts and debunked rumors. Updated: {at}."),
    "roads": ("Routes", "Roads"),
    "no_roads": ("Aucune route coupée ou perturbée signalée.", "No closed or disrupted road."),
    "shelters": ("Lieux d'accueil", "Shelters"),
    "no_shelters": ("Aucun lieu d'accueil publié.", "No published shelter."),
    "facts": ("Informations vérifiées", "Confirmed facts"),
    "debunks": ("Rumeurs démenties", "Debunked rumors"),
    "none": ("Rien pour l'instant.", "Nothing for now."),
    "detour": ("Déviation : {text}", "Detour: {text}"),
    "open": ("Ouvert", "Open"), "full": ("Complet", "Full"), "closed": ("Fermé", "Closed"),
    "places": ("{n} places", "{n} places"),
    "false": ("Faux", "False"), "misleading": ("Trompeur", "Misleading"),
    "geojson": ("Ces données sont ouvertes : [GeoJSON]({url}) (uMap, QGIS, tout SIG).",
                "This data is open: [GeoJSON]({url}) (uMap, QGIS, any GIS)."),
    "shelter_tip": ("Lieu d'accueil : {name}", "Shelter: {name}"),
})
GEOJSON_URL = "/api/public.geojson"


def _by_layer(collection: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for feature in collection["features"]:
        out.setdefault(feature["properties"]["layer"], []).append(feature)
    return out


def _road_event(feature: dict[str, Any]) -> dict[str, Any]:
    p = feature["properties"]
    point = representative_point(feature["geometry"]) if feature["geometry"] else None
    return {"id": feature["id"], "event_type": p["event_type"], "live_status": p["status"],
            "lat": point[0] if point else None, "lon": point[1] if point else None,
            "geometry": feature["geometry"], "road": p.get("road"),
            "commune": p.get("commune"), "description": p.get("description"),
            "detour": p.get("detour"), "starts_at": p.get("starts_at"),
            "ends_at": p.get("ends_at")}


def _road_tip(event: dict[str, Any]) -> dict[str, str]:
    title = " — ".join(x for x in (event.get("road"), type_label(event["event_type"]),
                                   status_label(event["live_status"])) if x)
    detour = _("detour", text=event["detour"]) if event.get("detour") else ""
    return maplayers.tip(title, event.get("commune"), event.get("description"), detour)


def _point(feature: dict[str, Any]) -> tuple[float, float] | None:
    geom = feature.get("geometry") or {}
    if geom.get("type") == "Point":
        lon, lat = geom["coordinates"][:2]
        return lat, lon
    return None


def public_map(roads: list[dict[str, Any]], shelters: list[dict[str, Any]],
               departements: list[str]) -> None:
    events = [_road_event(f) for f in roads]
    paths, points = maplayers.road_rows(events, _road_tip)
    shelter_rows = []
    for f in shelters:
        where = _point(f)
        if where:
            p = f["properties"]
            shelter_rows.append({"id": f["id"], "lat": where[0], "lon": where[1],
                                 **maplayers.tip(_("shelter_tip", name=p.get("name")),
                                                      p.get("commune"), p.get("address"))})
    layers = [*maplayers.base_layers(departements), *maplayers.road_layers(paths, points),
              maplayers.shelters_layer(shelter_rows)]
    st.pydeck_chart(maplayers.deck(layers, mapbase.home_view(tuple(departements))),
                    height=520, key="public_map")


def road_list(roads: list[dict[str, Any]]) -> None:
    st.subheader(_("roads"))
    if not roads:
        st.info(_("no_roads"))
        return
    for f in roads:
        p = f["properties"]
        with st.container(border=True):
            st.markdown(" · ".join(x for x in (
                f"**{md_escape(p.get('road') or '')}**" if p.get("road") else "",
                md_escape(type_label(p["event_type"])), md_escape(status_label(p["status"])),
                md_escape(p.get("commune") or "")) if x))
            if p.get("description"):
                st.markdown(md_escape(p["description"], max_len=600))
            if p.get("detour"):
                st.markdown(md_escape(_("detour", text=p["detour"]), max_len=400))


def shelter_list(shelters: list[dict[str, Any]]) -> None:
    st.subheader(_("shelters"))
    if not shelters:
        st.info(_("no_shelters"))
        return
    for f in shelters:
        p = f["properties"]
        parts = [f"**{md_escape(p.get('name'))}**", md_escape(_(p.get("status") or "open"))]
        if p.get("capacity"):
            parts.append(md_escape(_("places", n=p["capacity"])))
        st.markdown(" · ".join(parts))
        st.caption(md_escape(" · ".join(x for x in (p.get("commune"), p.get("address")) if x)))


def verdict_list(title: str, items: list[dict[str, Any]]) -> None:
    st.subheader(title)
    if not items:
        st.caption(_("none"))
        return
    for f in items:
        p = f["properties"]
        with st.container(border=True):
            if p["status"] != "confirmed":
                st.markdown(f":red-badge[{md_escape(_(p['status']))}]")
            st.markdown(md_escape(p.get("message"), max_len=1500))
            st.caption(md_escape(local_time(p.get("verdict_at"))))


def render() -> None:
    store = get_store()
    collection = projection(store)
    layers = _by_layer(collection)
    incident = store.active_incident() or {}
    st.title(_("title"))
    st.caption(md_escape(_("intro", at=local_time(collection["generated_at"]))))
    public_map(layers.get("road", []), layers.get("shelter", []),
               incident.get("departements") or ["21"])
    st.markdown(_("geojson", url=GEOJSON_URL))
    left, right = st.columns(2)
    with left:
        road_list(layers.get("road", []))
    with right:
        shelter_list(layers.get("shelter", []))
        verdict_list(_("facts"), layers.get("fact", []))
        verdict_list(_("debunks"), layers.get("debunk", []))
