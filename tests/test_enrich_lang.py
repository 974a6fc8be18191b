"""Language: the source's tag wins; otherwise function words decide, or nothing is said."""

from __future__ import annotations

import pytest

from vigie.enrich.lang import detect, language, normalize_tag
from vigie.enrich.text import tokenize


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("La route est coupée à cause de la crue, les pompiers sont sur place", "fr"),
        ("L'eau monte dans notre rue, nous avons besoin d'aide", "fr"),
        ("The river is rising and the bridge has been closed by the police", "en"),
        ("We are safe but our house is flooded", "en"),
        ("El terremoto ha dejado muchos daños en la ciudad y hay heridos", "es"),
        ("Il terremoto ha causato danni alle case e alla chiesa del paese", "it"),
        ("Die Brücke ist wegen des Hochwassers gesperrt", "de"),
        ("A estrada está fechada por causa da inundação e não há energia", "pt"),
        ("De brug is gesloten en het water stijgt nog steeds", "nl"),
    ],
)
def test_function_words_tell_the_language(text, lang):
    assert detect(tokenize(text), text) == lang


@pytest.mark.parametrize("text", ["", "#Dijon 12:30", "🙏🙏🙏", "OK"])
def test_no_evidence_gives_none(text):
    assert detect(tokenize(text), text) is None


def test_source_tag_wins_over_detection():
    text = "The river is rising"
    assert language(tokenize(text), text, "fr-FR") == "fr"
    assert language(tokenize(text), text, ["pt-BR", "en"]) == "pt"
    assert language(tokenize(text), text, "und") == "en"
    assert language(tokenize(text), text, None) == "en"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("fr", "fr"), ("en_US", "en"), ("FR-fr", "fr"), ("", None), ("und", None), ([], None)],
)
def test_tags_are_normalised(tag, expected):
    assert normalize_tag(tag) == expected
