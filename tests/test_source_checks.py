"""Checks of a source definition before the Admin page saves it, and the TOML text of
its options."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.checks import check_source
from tests.conftest import FIXTURES
from vigie.toml_text import OptionsError, dumps_options, loads_options

MINI = str(FIXTURES / "replay" / "mini.jsonl")


@pytest.mark.parametrize(("raw", "says"), [
    ({"name": "x", "kind": "twitter", "url": "https://x.example"}, "Type de source inconnu"),
    ({"name": "", "kind": "rss", "url": "https://x.example/f"}, "Nom obligatoire"),
    ({"name": "x", "kind": "rss"}, "Adresse obligatoire"),
    ({"name": "x", "kind": "rss", "url": "https:///nohost"}, "sans nom de serveur"),
    ({"name": "x", "kind": "rss", "url": "gopher://x.example"}, "non prise en charge"),
    ({"name": "x", "kind": "file", "url": "/nonexistent/export.csv"}, "Fichier introuvable"),
    ({"name": "x", "kind": "rss", "url": "https://x.example/f", "every": 0}, "positif"),
    ({"name": "x", "kind": "rss", "url": "https://x.example/f", "every": 2}, "au moins 10 s"),
    ({"name": "x", "kind": "rss", "url": "https://x.example/f", "hashtags": ["a"]},
     "Option inconnue pour le type rss"),
    ({"name": "x", "kind": "rss", "url": "https://x.example/f", "password": "p"},
     "secrets.toml"),
    ({"name": "x", "kind": "mastodon"}, "instance"),
    ({"name": "x", "kind": "mastodon", "instance": "https://m.example", "limit": 41}, "limit"),
    ({"name": "x", "kind": "mastodon", "instance": "https://m.example", "hashtags": []},
     "hashtags"),
    ({"name": "x", "kind": "bluesky", "query": "  "}, "query"),
    ({"name": "x", "kind": "bluesky", "query": "crue", "limit": 0}, "limit"),
    ({"name": "x", "kind": "cap", "url": "https://c.example", "max_documents": -1},
     "max_documents"),
    ({"name": "x", "kind": "cap", "url": "https://c.example", "fetch_full": "oui"},
     "fetch_full"),
    ({"name": "x", "kind": "cap", "url": "https://c.example", "document_ttl": -5},
     "document_ttl"),
    ({"name": "x", "kind": "file", "url": "https://f.example/e.csv", "format": "xlsx"},
     "format"),
    ({"name": "x", "kind": "file", "url": "https://f.example/e.csv",
      "mapping": {"texte": "Message"}}, "champ(s) inconnu(s) texte"),
    ({"name": "x", "kind": "geojson", "url": "https://g.example", "preset": "nope"},
     "preset"),
    ({"name": "x", "kind": "geojson", "url": "https://g.example",
      "event_type_map": {"Fermeture": "fermé"}}, "event_type_map"),
    ({"name": "x", "kind": "geojson", "url": "https://g.example",
      "default_event_type": "fermé"}, "default_event_type"),
    ({"name": "x", "kind": "replay", "url": MINI, "speed": -1}, "speed"),
    ({"name": "x", "kind": "replay", "url": MINI, "max_follow": 1000}, "max_follow"),
])
def test_a_bad_definition_is_refused_with_a_reason(raw, says) -> None:
    src, errors = check_source(raw)
    assert src is None and any(says in e for e in errors), errors


@pytest.mark.parametrize("raw", [
    {"name": "x", "kind": "replay", "url": MINI, "every": 2, "speed": "auto"},
    {"name": "x", "kind": "file", "url": f"file://{MINI}", "format": "jsonl"},
    {"name": "x", "kind": "mastodon", "instance": "m.example", "hashtags": "crue21"},
    {"name": "x", "kind": "bluesky", "query": "crue", "token_secret": "bluesky_token"},
    {"name": "x", "kind": "geojson", "url": "https://g.example", "preset": "litteralis",
     "event_type_map": {"AC - Fermeture": "closure"}},
])
def test_a_good_definition_passes(raw) -> None:
    src, errors = check_source(raw)
    assert errors == [] and src is not None and src.name == "x"


_keys = st.text(min_size=1, max_size=12)
_scalars = (st.text(max_size=20) | st.integers(-10**6, 10**6) | st.booleans()
            | st.floats(allow_nan=False, allow_infinity=False))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(_keys, inner, max_size=3), max_leaves=8)


@given(st.dictionaries(_keys, _values, max_size=5))
def test_options_survive_the_round_trip_through_toml_text(options) -> None:
    assert loads_options(dumps_options(options)) == options


def test_unreadable_options_say_so() -> None:
    with pytest.raises(OptionsError, match="TOML"):
        loads_options("instance = ")
