"""Places: geotag first, then French communes named in the text, without common-word traps."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from vigie.enrich.places import GEO_DIR, gazetteer, locate, name_key
from vigie.enrich.text import tokenize


def where(text: str, deps=("21",)):
    return locate(tokenize(text), departements=deps)


def test_gazetteer_files_are_the_documented_ones():
    with (GEO_DIR / "communes_france_2024.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 36208
    cote_dor = [r for r in rows if r["insee_dep"] == "21"]
    assert len(cote_dor) == 699
    assert all(r["commune_type"] == "COM" and r["lat"] for r in cote_dor)
    assert (GEO_DIR / "PROVENANCE.md").exists()


def test_2018_polygons_and_2024_communes_differ_by_a_few_mergers():
    geo = json.loads((GEO_DIR / "communes-21-cote-d-or.geojson").read_text(encoding="utf-8"))
    codes_2018 = {f["properties"]["code"] for f in geo["features"]}
    codes_2024 = {c.insee for c in gazetteer().by_insee.values() if c.dep == "21"}
    assert len(geo["features"]) == 704
    only_2018 = codes_2018 - codes_2024
    assert 0 < len(only_2018) <= 10
    assert codes_2024 - codes_2018 == set() or len(codes_2024 - codes_2018) <= 5


def test_dijon_is_found_with_its_insee_code_and_centre():
    m = where("Inondations à Dijon ce matin")
    assert (m.name, m.insee, m.precision) == ("Dijon", "21231", "commune")
    assert (m.lat, m.lon) == pytest.approx((47.33187, 5.03222))


def test_shared_name_goes_to_the_configured_departement():
    """Beaulieu exists in Côte-d'Or (21) and elsewhere, e.g. Ardèche (07)."""
    assert where("Crue à Beaulieu").dep == "21"
    assert where("Crue à Beaulieu", deps=("07",)).insee == "07028"


def test_shared_name_outside_the_area_goes_to_the_largest():
    saint_denis = [c for c in gazetteer().names[name_key("Saint-Denis")]]
    largest = max(saint_denis, key=lambda c: c.population)
    assert where("Manifestation à Saint-Denis", deps=("01",)).insee == largest.insee


@pytest.mark.parametrize(
    "text",
    [
        "Route coupée à Nuits-Saint-Georges",
        "route coupée a nuits saint georges",
        "Route coupée à Nuits-St-Georges",
        "ROUTE COUPÉE À NUITS ST GEORGES",
        "#NuitsSaintGeorges route coupée",
    ],
)
def test_accents_case_hyphens_and_saint_abbreviations_do_not_matter(text):
    assert where(text).insee == "21464"


def test_unaccented_spelling_matches():
    assert where("Cave inondée à Chenove").name == "Chenôve"


def test_longest_name_wins_over_its_parts():
    m = where("La Saône déborde à Saint-Jean-de-Losne")
    assert m.name == "Saint-Jean-de-Losne"
    assert m.words == "saint jean de losne"


def test_article_forms_match():
    assert where("Usine inondée au Creusot").name == "Le Creusot"
    assert where("Usine inondée à Le Creusot").name == "Le Creusot"


def test_paris_lyon_marseille_are_communes_not_only_arrondissements():
    assert where("Rassemblement à Paris").insee == "75056"
    assert where("Orages sur Lyon").insee == "69123"


@pytest.mark.parametrize(
    "text",
    [
        "Le pont est fermé depuis ce matin",
        "Pont fermé, prenez la déviation",
        "Les tours de la cathédrale sont éclairées",
        "En mars il a beaucoup plu",
        "Plus de courant dans le quartier",
        "Y a-t-il encore de l'eau ?",
        "Eu égard aux circonstances, la fête est annulée",
        "Nice weather today, nothing to report",
        "Have a Nice day",
        "Vigilance Orange sur tout le département",
        "Rien à signaler ce soir",
    ],
)
def test_common_words_are_not_taken_for_communes(text):
    assert where(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "URGENTE: Terremoto en Costa Rica de 7.9",
        "Massive Flooding In Alberta Forces 75,000 To Flee.",
        "Flooding at St. Mary's High School",
        "RT @Kelly_Metz: just heard on the scanner",
        "Se entona en estos momentos el himno",
        "I'm at Target, what donations are needed?",
    ],
)
def test_words_of_other_languages_are_not_taken_for_communes(text):
    assert where(text) is None


def test_common_word_names_are_found_when_written_as_places():
    assert where("Inondations à Tours cette nuit").insee == "37261"
    assert where("Orages violents sur Nice").name == "Nice"
    assert where("Orages à Orange").name == "Orange"


def test_street_named_after_a_town_does_not_beat_the_town():
    assert where("Cave inondée rue de Paris à Beaune").name == "Beaune"


def test_small_commune_outside_the_area_needs_a_preposition():
    # Marie (06) has about a hundred inhabitants: a first name, not a place, here.
    assert where("Marie est partie chercher du pain") is None


def test_geotag_comes_first():
    m = locate(tokenize("Inondations à Paris"), lat=47.32, lon=5.04)
    assert m.precision == "exact"
    assert (m.lat, m.lon) == (47.32, 5.04)
    assert m.name == "Dijon"


def test_place_field_is_read_before_the_text():
    m = locate(tokenize("Tout va bien ici"), place="Beaune, France")
    assert m.name == "Beaune"


def test_lookup_is_fast_once_loaded():
    import time

    tokens = tokenize("Route coupée entre Beaune et Nuits-Saint-Georges, l'eau monte à Seurre")
    gaz = gazetteer()
    t0 = time.perf_counter()
    for _ in range(200):
        gaz.find(tokens)
    assert (time.perf_counter() - t0) / 200 < 0.002


def test_common_word_list_is_in_the_repository():
    path = Path(GEO_DIR / "common_word_communes.txt")
    words = {w for w in path.read_text(encoding="utf-8").split("\n") if w and w[0] != "#"}
    assert {"pont", "tours", "nice"} <= words
    assert "dijon" not in words
