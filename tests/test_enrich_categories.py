"""Categories: French and English crisis sentences (written for these tests) and the reasons."""

from __future__ import annotations

import pytest

from vigie.enrich import model as learned
from vigie.enrich.categories import LABELS, categorize, entries
from vigie.enrich.lexicon import Matcher
from vigie.enrich.pipeline import enrich
from vigie.enrich.text import phrase_tokens, tokenize
from vigie.models import Post

CASES = [
    # (text, a label that must be among the categories, a word that must be in its reasons)
    ("Au secours, nous sommes coincés au premier étage, l'eau monte vite", "help_request",
     "coincés"),
    ("Please help, my parents are trapped in their house on Elm Street", "help_request",
     "trapped"),
    ("Mon frère a disparu depuis hier soir près de la Saône, quelqu'un a des nouvelles ?",
     "missing_or_found", "disparu"),
    ("Missing: 7-year-old boy last seen near the river bank, call 911", "missing_or_found",
     "missing"),
    ("Deux morts et cinq blessés dans l'effondrement d'un immeuble à Dijon", "casualties",
     "morts"),
    ("At least three people killed and 20 injured in the flash flood", "casualties", "killed"),
    ("Les habitants du quartier ont été évacués vers le gymnase municipal", "evacuation_shelter",
     "évacués"),
    ("Evacuation order for the east side, shelter open at the high school", "evacuation_shelter",
     "evacuation"),
    ("Plus de 3000 foyers privés d'électricité après la tempête selon Enedis", "infrastructure",
     "privés"),
    ("Power outage across downtown, the bridge on 5th Avenue was damaged", "infrastructure",
     "power outage"),
    ("La D974 est coupée entre Beaune et Nuits, déviation mise en place", "roads_traffic",
     "déviation"),
    ("Highway 1 closed in both directions, expect long detours", "roads_traffic", "highway"),
    ("Vigilance orange crues : ne vous engagez pas sur les routes inondées", "caution_advice",
     "vigilance orange"),
    ("Flood warning in effect: avoid the area and stay indoors", "caution_advice", "warning"),
    ("Si vous devez évacuer : fermez portes et fenêtres, coupez gaz et électricité",
     "caution_advice", "coupez gaz"),
    ("Collecte de dons et de vêtements pour les sinistrés, bénévoles bienvenus", "solidarity",
     "bénévoles"),
    ("Volunteers needed to fill sandbags, you can also donate to the Red Cross", "solidarity",
     "volunteers"),
    ("Toutes nos pensées vont aux familles touchées, courage à tous", "sympathy",
     "nos pensées"),
    ("Our thoughts and prayers are with everyone affected tonight", "sympathy",
     "thoughts and prayers"),
    ("Crue de la Saône : le niveau de l'eau continue de monter selon les pompiers",
     "other_relevant", "crue"),
]


@pytest.mark.parametrize(("text", "label", "word"), CASES)
def test_lexicon_finds_the_category_and_says_why(text, label, word):
    result = categorize(tokenize(text))
    assert label in result.labels
    assert any(word in reason for reason in result.reasons[label])


@pytest.mark.parametrize(("text", "label", "word"), CASES)
def test_shipped_pipeline_keeps_the_category(text, label, word):
    """With the learned model (when shipped) the lexicon's category is still found."""
    e = enrich(Post(id="t:1", source="t", kind="file", text=text))
    assert label in e.categories
    assert e.category_reasons[label]


@pytest.mark.parametrize(
    "text",
    [
        "Magnifique coucher de soleil ce soir sur les vignes",
        "Who is coming to the barbecue on Saturday?",
        "Nouveau record pour notre club de tennis, bravo à tous",
    ],
)
def test_ordinary_posts_are_not_relevant(text):
    assert categorize(tokenize(text)).labels == ["not_relevant"]


@pytest.mark.parametrize(
    "variant",
    [
        "ÉVACUATION du quartier en cours",
        "evacuation du quartier en cours",
        "#Evacuation du quartier en cours",
        "Évacuations du quartier en cours",
    ],
)
def test_matching_ignores_case_accents_hashtags_and_plurals(variant):
    assert "evacuation_shelter" in categorize(tokenize(variant)).labels


def test_elisions_and_typographic_apostrophes_match():
    for text in ("Appel à l’aide rue des Moulins", "appel a l'aide rue des moulins"):
        assert "help_request" in categorize(tokenize(text)).labels


def test_tokens_fold_split_and_flag_words_the_same_way_every_time():
    text = "ALERTE crue ! #PrayForBoston l'eau qu'il it's #Évacuation #İstanbul. Beaune"
    first, second = tokenize(text), tokenize(text)  # the second reads the word memo
    assert first == second
    assert first.raw == ["alerte", "crue", "pray", "for", "boston", "eau", "il", "it",
                         "évacuation", "i̇stanbul", "beaune"]
    assert first.norm[8] == "evacuation" and first.stem[1] == "crue"
    assert first.cap == [True, False, True, True, True, False, False, False, True, False, True]
    assert first.initial == [True, False, True, False, False, False, False, False, False,
                             False, True]
    assert first.hashtag[2:5] == [True] * 3 and (first.caps_words, first.exclamations) == (1, 1)


def test_words_inside_other_words_do_not_match():
    # "mort" must not fire inside "mortier", nor "don" inside "donc" or "London".
    result = categorize(tokenize("Donc le mortier est sec, rendez-vous à London"))
    assert "casualties" not in result.labels
    assert "solidarity" not in result.labels


def test_exclusion_phrase_keeps_en_train_de_out_of_roads():
    assert "roads_traffic" not in categorize(tokenize("On est en train de ranger")).labels


def test_other_relevant_is_only_a_fallback():
    result = categorize(tokenize("Inondation : trois morts selon la préfecture"))
    assert result.labels[0] == "casualties"
    assert "other_relevant" not in result.labels


def test_every_lexicon_phrase_compiles_to_tokens_and_labels_are_known():
    es = entries()
    assert len(es) > 500
    for e in es:
        assert phrase_tokens(e.phrase), e.phrase
        assert e.label in LABELS
    assert Matcher(es).size == len(es)


def test_a_call_for_help_survives_the_model():
    """The model may re-rank, but never hides a call for help (DESIGN S4)."""
    text = "on est coincés dans la maison avec les enfants, venez vite"
    e = enrich(Post(id="t:2", source="t", kind="file", text=text))
    assert "help_request" in e.categories
    lexicon_only = enrich(Post(id="t:2", source="t", kind="file", text=text),
                          model=learned.NO_MODEL)
    assert lexicon_only.categories[0] == "help_request"


def test_labels_with_equal_scores_keep_one_order_in_every_process():
    """A post's categories must not change order from one run to the next (Python gives
    each process its own string hashes, hence its own set order)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("from vigie.enrich.model import Prediction, relabel, TYPES; "
            "print(relabel(Prediction(0.1, [(t, 1 / 6) for t in TYPES]), 0.5, "
            "{'missing_or_found': 0.9, 'help_request': 0.9}, {})[0])")
    root = Path(__file__).resolve().parent.parent
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=root, env={**os.environ, "PYTHONHASHSEED": str(seed)},
                              check=True).stdout
               for seed in range(6)}
    assert outputs == {"['help_request', 'missing_or_found']\n"}
