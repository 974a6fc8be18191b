"""The wall map's deck JSON: compact, valid, with the base map serialized once per process
instead of re-encoded for every session at every refresh (found by `bench load`)."""

from __future__ import annotations

import json

import pydeck as pdk

from vigie.ui import maplayers, wall_map


def wall_deck() -> maplayers.CompactDeck:
    layers = [
        maplayers.frozen(pdk.Layer("GeoJsonLayer", wall_map.base_geojson(str(wall_map.COMMUNES)),
                                   stroked=True), "test|communes"),
        maplayers.frozen(pdk.Layer("GeoJsonLayer",
                                   wall_map.base_geojson(str(wall_map.DEPARTEMENT), 1),
                                   filled=False), "test|departement"),
        pdk.Layer("ScatterplotLayer", [{"position": [5.04, 47.32]}], get_position="position"),
    ]
    return maplayers.CompactDeck(layers=layers, initial_view_state=pdk.ViewState(**wall_map.VIEW),
                                 map_style=wall_map.NO_TILES, map_provider=None, tooltip=False)


def test_the_deck_json_carries_the_base_map_and_the_same_layers_as_pydeck() -> None:
    deck = wall_deck()
    spec = json.loads(deck.to_json())
    communes, departement, points = spec["layers"]
    assert communes["data"] == wall_map.base_geojson(str(wall_map.COMMUNES))
    assert departement["data"] == wall_map.base_geojson(str(wall_map.DEPARTEMENT), 1)
    assert len(communes["data"]["features"]) > 600  # every commune of Côte-d'Or
    assert points["data"] == [{"position": [5.04, 47.32]}]
    assert spec == json.loads(pdk.Deck.to_json(deck))  # what pydeck itself would send


def test_the_deck_json_is_compact_and_no_token_is_left() -> None:
    text = wall_deck().to_json()
    assert "@@vigie-frozen" not in text and "\n" not in text
    pydeck_own = pdk.Deck(layers=[pdk.Layer("GeoJsonLayer", wall_map.base_geojson(
        str(wall_map.COMMUNES)))], initial_view_state=pdk.ViewState(**wall_map.VIEW))
    assert len(text) < len(pydeck_own.to_json()) / 2


def test_a_frozen_layer_is_serialized_once_per_process() -> None:
    wall_deck().to_json()
    cached = maplayers._FROZEN_JSON["test|communes"]
    wall_deck().to_json()
    assert maplayers._FROZEN_JSON["test|communes"] is cached
