"""Urgency: distress raises it, with the words that did; news and calm posts stay low."""

from __future__ import annotations

import pytest

from vigie.enrich.text import tokenize
from vigie.enrich.urgency import urgency


def score(text: str, **kw) -> float:
    return urgency(tokenize(text), **kw).score


@pytest.mark.parametrize(
    "text",
    [
        "Au secours !! On est coincés sur le toit avec un bébé, l'eau monte",
        "AIDEZ-NOUS, ma grand-mère est seule chez elle au 12 rue des Prés, l'eau monte",
        "HELP! We are trapped on the roof with two kids, water is rising",
        "Please send help, my elderly father is stuck in the basement",
    ],
)
def test_distress_is_urgent(text):
    assert score(text) >= 0.75


@pytest.mark.parametrize(
    "text",
    [
        "Les enfants ont été évacués de l'école ce matin",
        "Magnifique coucher de soleil",
        "Flood update: the river is expected to peak tomorrow",
        "",
    ],
)
def test_news_and_ordinary_posts_are_not_urgent(text):
    assert score(text) == 0.0


def test_reasons_name_the_words():
    r = urgency(tokenize("Au secours, on est coincés sur le toit avec un bébé"))
    for word in ("au secours", "coincés", "sur le toit", "bébé"):
        assert word in r.reasons


def test_vulnerable_person_exclamations_and_address_add_to_distress():
    base = score("Nous sommes coincés dans la maison")
    assert score("Nous sommes coincés dans la maison avec un bébé") > base
    assert score("Nous sommes coincés dans la maison !!!") > base
    assert score("Nous sommes coincés dans la maison au 4 rue Monge") > base
    assert score("Nous sommes coincés dans la maison", has_place=True) > base


def test_safe_news_halves_urgency():
    worried = score("Ma mère était coincée chez elle")
    safe = urgency(tokenize("Ma mère était coincée chez elle, elle est saine et sauve"))
    assert safe.score == pytest.approx(worried / 2, abs=0.01)
    assert any(r.startswith("rassurant") for r in safe.reasons)


def test_score_stays_below_one():
    text = "AU SECOURS !!! coincés sur le toit, l'eau monte, bébé, personne âgée, urgent, help"
    assert 0.95 < score(text) < 1.0
