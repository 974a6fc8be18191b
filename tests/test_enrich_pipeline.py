"""The whole enrichment of a post, and how it lands on the Post record."""

from __future__ import annotations

import json

from vigie.enrich.dedup import MemoryClusterIndex
from vigie.enrich.pipeline import Enrichment, apply, enrich
from vigie.models import Post


def post(pid: str, text: str, **kw) -> Post:
    return Post(id=pid, source="test", kind="file", text=text, **kw)


def test_a_call_for_help_is_enriched_end_to_end():
    p = post("m:1", "Au secours ! On est coincés sur le toit avec un bébé à Nuits-St-Georges, "
                    "il paraît que la digue a cédé")
    e = enrich(p)
    assert e.lang == "fr"
    assert e.categories[0] == "help_request"
    assert e.urgency >= 0.8 and "coincés" in e.urgency_reasons
    assert any(s.startswith("hearsay") for s in e.rumor_signals)
    assert (e.place, e.insee, e.precision) == ("Nuits-Saint-Georges", "21464", "commune")
    assert e.cluster_id == "m:1"


def test_apply_fills_post_fields_and_keeps_source_values():
    p = post("m:2", "Route coupée à Beaune", lang="fr-FR")
    apply(p, enrich(p))
    assert p.lang == "fr-FR"
    assert (p.place, p.precision) == ("Beaune", "commune")
    assert p.lat is not None and p.lon is not None
    extra = p.extra["enrichment"]
    assert extra["insee"] == "21054"
    assert "roads_traffic" in extra["categories"]
    json.dumps(extra)  # JSON-ready for the store

    geotagged = post("m:3", "Route coupée à Beaune", lat=47.0, lon=4.8)
    apply(geotagged, enrich(geotagged))
    assert (geotagged.lat, geotagged.lon, geotagged.precision) == (47.0, 4.8, "exact")


def test_source_langs_in_extra_are_used():
    p = post("m:4", "ok ok", extra={"langs": ["it"]})
    assert enrich(p).lang == "it"


def test_cluster_index_is_used_when_given():
    index = MemoryClusterIndex()
    text = "La passerelle de la rue Jean-Jaurès est emportée par la crue, ne vous approchez pas"
    first = enrich(post("m:5", text), index=index)
    second = enrich(post("m:6", "RT @vost: " + text), index=index)
    assert first.cluster_id == second.cluster_id == "m:5"
    assert second.cluster_similarity == 1.0


def test_every_post_gets_at_least_one_category_and_an_explanation():
    for text in ("", "🙏", "Rien à signaler", "Flood warning for the valley"):
        e = enrich(post("m:7", text))
        assert isinstance(e, Enrichment)
        assert e.categories
        assert set(e.category_reasons) == set(e.categories)
        assert 0.0 <= e.urgency <= 1.0


def test_a_copy_with_another_link_is_analysed_like_the_original_and_gets_its_own_result():
    from vigie.enrich.pipeline import AnalysisMemo, analyse
    from vigie.enrich.text import tokenize

    memo = AnalysisMemo()
    text = "Au secours, coincés sur le toit à Beaune, l'eau monte !!"
    first = post("m:8", text + " https://t.co/a")
    copy = post("m:9", text + " https://t.co/b")
    e1, k1 = memo.analyse(first, tokenize(first.text), ("21",))
    e2, k2 = memo.analyse(copy, tokenize(copy.text), ("21",))
    assert e2.as_dict() == analyse(copy, departements=("21",)).as_dict()
    assert (k1.exact, k1.bands) == (k2.exact, k2.bands)
    e1.cluster_id = "m:8"
    assert e2.cluster_id is None  # each post gets its own Enrichment
    # Anything the analysis reads makes another entry: here the geotag and the départements.
    geotagged = post("m:10", text, lat=47.3, lon=5.0)
    e3, _ = memo.analyse(geotagged, tokenize(geotagged.text), ("21",))
    assert e3.precision == "exact" and e1.precision == "commune"
    e4, _ = memo.analyse(copy, tokenize(copy.text), ("71",))
    assert e4.as_dict() == analyse(copy, departements=("71",)).as_dict()


def test_a_retweet_is_analysed_as_the_post_it_copies() -> None:
    from vigie.enrich.pipeline import AnalysisMemo, analyse
    from vigie.enrich.text import retweeted, tokenize

    text = "Évacuation en cours rue du Pont à Beaune, l'eau monte !"
    original = post("m:11", text)
    retweet = post("m:12", "RT @Préfète_21: " + text)
    nested = post("m:13", "rt @vost_fr RT @Préfète_21: " + text)
    assert tokenize(retweet.text) == tokenize(nested.text) == tokenize(text)
    expected = analyse(original, departements=("21",)).as_dict()
    assert analyse(retweet, departements=("21",)).as_dict() == expected
    memo = AnalysisMemo()
    memo.analyse(original, tokenize(original.text), ("21",))
    again, _ = memo.analyse(nested, tokenize(nested.text), ("21",))
    assert again.as_dict() == expected
    # Only a leading marker is one: "RT" further on, or a word starting with rt, is text.
    assert retweeted("Crue : RT @x merci") == "Crue : RT @x merci"
    assert retweeted("RTL annonce une crue") == "RTL annonce une crue"
