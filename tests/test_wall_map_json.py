"""The wall map's deck JSON: compact, valid, with the base map spliced in once per process
instead of re-encoded for every session at every refresh (found by `bench load`)."""

from __future__ import annotations

import json

import pydeck as pdk
import pytest

from vigie.ui import wall_map


def deck_with_bases() -> object:
    layers = [
        pdk.Layer("GeoJsonLayer", wall_map.base_token("communes"), stroked=True),
        pdk.Layer("GeoJsonLayer", wall_map.base_token("departement"), filled=False),
        pdk.Layer("ScatterplotLayer", [{"position": [5.04, 47.32]}], get_position="position"),
    ]
    return wall_map.wall_deck(layers=layers, initial_view_state=pdk.ViewState(**wall_map.VIEW),
                              map_style=wall_map.NO_TILES, map_provider=None, tooltip=False)


def test_the_deck_json_carries_the_base_map_and_the_same_layers_as_pydeck() -> None:
    deck = deck_with_bases()
    spec = json.loads(deck.to_json())
    communes, departement, points = spec["layers"]
    assert communes["data"] == wall_map.base_geojson(str(wall_map.COMMUNES), 3)
    assert departement["data"] == wall_map.base_geojson(str(wall_map.DEPARTEMENT), 1)
    assert len(communes["data"]["features"]) > 600  # every commune of Côte-d'Or
    assert points["data"] == [{"position": [5.04, 47.32]}]
    # apart from the spliced data, what pydeck itself would send
    plain = json.loads(pdk.Deck.to_json(deck))
    for layer in plain["layers"][:2]:
        layer.pop("data")
    for layer in spec["layers"][:2]:
        layer.pop("data")
    assert spec == plain


def test_the_deck_json_is_compact_and_no_token_is_left() -> None:
    text = deck_with_bases().to_json()
    assert "vigie-base:" not in text and "\n" not in text
    pydeck_own = pdk.Deck(layers=[pdk.Layer("GeoJsonLayer", wall_map.base_geojson(
        str(wall_map.COMMUNES), 3))], initial_view_state=pdk.ViewState(**wall_map.VIEW))
    assert len(text) < len(pydeck_own.to_json()) / 2


def test_an_unknown_base_is_refused() -> None:
    with pytest.raises(KeyError):
        wall_map.base_token("france")
