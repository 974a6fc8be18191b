"""Posts that contradict the road data: reading French (and English) wording, comparing
with road events at the post's place and time, and flagging new posts in the pipeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from collectors.base import Batch
from vigie.contradictions import RoadClaim, check_post, compare, road_claims
from vigie.models import Post, RoadEvent, iso
from vigie.pipeline import ingest

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def claims(text: str) -> dict[str, str]:
    return {c.road: c.state for c in road_claims(text)}


@pytest.mark.parametrize(("text", "expected"), [
    ("la D905 est coupée", {"D905": "closed"}),
    ("D905 coupee a Genlis, faites demi-tour", {"D905": "closed"}),
    ("LA D905 EST FERMÉE !!!", {"D905": "closed"}),
    ("la RD 905 est barrée au niveau du pont", {"D905": "closed"}),
    ("la route départementale 905 est inondée", {"D905": "closed"}),
    ("ça ne passe plus sur la D905", {"D905": "closed"}),
    ("NE PRENEZ PAS LA D954 VERS SEMUR, LA ROUTE EST SOUS L'EAU", {"D954": "closed"}),
    ("Gendarmes qui bloquent la D33 à l'entrée du village", {"D33": "closed"}),
    ("Fermeture de la D905 à Velars", {"D905": "closed"}),
    ("la D905 est impraticable", {"D905": "closed"}),
    ("GPS qui envoie tout le monde sur la D905 alors qu'elle est coupée à Genlis",
     {"D905": "closed"}),
    ("la D905 et la D970 sont coupées", {"D905": "closed", "D970": "closed"}),
    ("D905 rouverte", {"D905": "open"}),
    ("La D905 est de nouveau ouverte à Genlis", {"D905": "open"}),
    ("la D905 a été réouverte ce matin", {"D905": "open"}),
    ("la D905 n'est plus coupée", {"D905": "open"}),
    ("D905 : circulation rétablie", {"D905": "open"}),
    ("ça passe sur la D974 maintenant", {"D974": "open"}),
    ("la D905 n'est toujours pas rouverte", {"D905": "closed"}),
    ("la D905 n'est pas encore rouverte", {"D905": "closed"}),
    ("la D905 n'est pas praticable", {"D905": "closed"}),
    ("D905 coupée ce matin, rouverte depuis 14 h", {"D905": "open"}),
    ("la D905 est de plus en plus inondée", {"D905": "closed"}),
    ("the D905 is closed near Dijon", {"D905": "closed"}),
    ("D905 reopened", {"D905": "open"}),
    ("la R.D. 905 est fermée. Merci de relayer", {"D905": "closed"}),
])
def test_french_and_english_wordings_are_read(text, expected) -> None:
    assert claims(text) == expected


@pytest.mark.parametrize("text", [
    "Quelqu'un sait si l'A31 est ouverte entre Dijon et Beaune ?",
    "la D10 est-elle encore praticable ? je dois rentrer",
    "est-ce que la D905 est coupée",
    "Si la D905 est coupée, passez par la D10",
    "la D905 risque d'être coupée cette nuit",
    "la D905 sera fermée demain",
    "Je suis bloqué dans ma voiture sur la D34, l'eau arrive aux portières",
    "Bouchon de 3 km sur la D27",
    "A38 au pas vers Dijon, une voie fermeé à hauteur de Plombières",  # a lane, not the road
    "A6 : voie de droite neutralisée, circulation ralentie",
    "D970 coupée à Bligny. Déviation par la D33 et la D18.",  # D33 and D18: no claim
])
def test_questions_hypotheses_and_mere_mentions_say_nothing(text) -> None:
    found = claims(text)
    assert "D33" not in found and "D18" not in found
    if "D970" not in text:
        assert found == {}


def test_a_detour_announcement_flags_only_the_cut_road() -> None:
    text = ("D10 itinéraire de déviation entre Lantenay et Daix : itinéraire de déviation de "
            "la D905 coupée à Plombières.")
    assert claims(text) == {"D905": "closed"}


def test_a_nearby_open_building_does_not_reopen_a_road() -> None:
    assert claims("D905 coupée, cellule de crise ouverte à Genlis") == {"D905": "closed"}


# ----------------------------------------------------------------------- comparing


def event(road="D905", event_type="closure", commune="Genlis", status="active", **extra):
    return {"id": f"t:{road}:{commune}", "road": road, "event_type": event_type,
            "commune": commune, "status": status,
            "description": f"{road} fermée entre {commune} et Labergement-Foigney",
            "starts_at": iso(NOW - timedelta(hours=2)), "updated_at": iso(NOW), **extra}


def test_a_cut_road_the_feed_also_closes_is_no_contradiction() -> None:
    verdict = compare(RoadClaim("D905", "closed", "coupée"), [event()], NOW, ["Genlis"])
    assert not verdict.contradicts and verdict.feed_says == "closed"


def test_a_reopened_road_the_feed_still_closes_is_flagged() -> None:
    verdict = compare(RoadClaim("D905", "open", "rouverte"), [event()], NOW, ["Genlis"])
    assert verdict.contradicts and verdict.event_id == "t:D905:Genlis"


def test_a_cut_road_closed_only_elsewhere_is_flagged_with_where_it_is_closed() -> None:
    verdict = compare(RoadClaim("D905", "closed", "coupée"), [event(commune="Velars-sur-Ouche")],
                      NOW, ["Genlis"])
    assert verdict.contradicts and verdict.elsewhere == ["Velars-sur-Ouche"]


def test_a_place_named_in_the_events_description_matches() -> None:
    verdict = compare(RoadClaim("D905", "closed", "coupée"), [event()], NOW,
                      ["Labergement-Foigney"])
    assert not verdict.contradicts


def test_a_shortened_commune_name_in_the_text_matches() -> None:
    closure = event(commune="Plombières-lès-Dijon")
    text = "itinéraire de déviation de la D905 coupée à Plombières"
    assert not compare(RoadClaim("D905", "closed", "coupée"), [closure], NOW, ["Lantenay"],
                       text=text).contradicts
    assert compare(RoadClaim("D905", "closed", "coupée"), [closure], NOW, ["Lantenay"],
                   text="la D905 coupée à Lantenay").contradicts


def test_a_post_point_near_the_closure_matches() -> None:
    closure = event(geometry={"type": "LineString", "coordinates": [[5.2, 47.23], [5.21, 47.24]]})
    near = compare(RoadClaim("D905", "closed", "coupée"), [closure], NOW, [], (47.235, 5.205))
    far = compare(RoadClaim("D905", "closed", "coupée"), [closure], NOW, [], (47.5, 4.5))
    assert not near.contradicts and far.contradicts


def test_a_restriction_leaves_the_road_open() -> None:
    verdict = compare(RoadClaim("D905", "closed", "coupée"),
                      [event(event_type="restriction")], NOW, ["Genlis"])
    assert verdict.contradicts and verdict.feed_says == "open"


def test_an_ended_closure_means_open_and_is_named() -> None:
    ended = event(status="ended", ends_at=iso(NOW - timedelta(minutes=30)))
    verdict = compare(RoadClaim("D905", "closed", "coupée"), [ended], NOW, ["Genlis"])
    assert verdict.contradicts and verdict.event_id == ended["id"]


def test_a_planned_closure_is_not_yet_closed() -> None:
    planned = event(starts_at=iso(NOW + timedelta(hours=3)))
    assert compare(RoadClaim("D905", "closed", "coupée"), [planned], NOW).contradicts


def test_a_post_about_an_unrelated_road_is_not_flagged() -> None:
    post = {"id": "p", "text": "La D970 est rouverte à Bligny-sur-Ouche"}
    assert check_post(post, [event()], NOW) == []


def test_nothing_is_compared_without_road_data() -> None:
    assert check_post({"id": "p", "text": "la D905 est coupée"}, [], NOW) == []


# ------------------------------------------------------------------------ pipeline


def closure_event(**fields) -> RoadEvent:
    values = dict(id="cd21:1", source="cd21", kind="geojson", road="D905",
                  event_type="closure", commune="Genlis",
                  description="D905 fermée entre Genlis et Labergement-Foigney",
                  starts_at=iso(NOW - timedelta(hours=1)))
    values.update(fields)
    return RoadEvent(**values)


def post(pid: str, text: str) -> Post:
    return Post(id=f"x:{pid}", source="x", kind="rss", text=text, author="@a",
                created_at=iso(NOW))


def test_new_posts_are_flagged_once_in_the_store(fresh_store) -> None:
    batch = Batch(road_events=[closure_event()], posts=[
        post("1", "La D905 est rouverte à Genlis !"),
        post("2", "la D905 est coupée à Genlis"),
        post("3", "la D970 est rouverte"),
    ])
    result = ingest(fresh_store, batch, collector="t", incident_id=None, now=NOW)
    assert result.posts_flagged == 1
    flags = fresh_store.flagged_posts()
    assert [(f["post_id"], f["road"], f["post_says"], f["feed_says"]) for f in flags] == [
        ("x:1", "D905", "open", "closed")]
    assert flags[0]["place"] == "Genlis" and flags[0]["post"]["text"].startswith("La D905")
    again = ingest(fresh_store, batch, collector="t", incident_id=None, now=NOW)
    assert again.posts_flagged == 0 and fresh_store.count_flagged_posts() == 1


def test_a_post_about_a_commune_outside_the_area_is_not_compared(fresh_store) -> None:
    batch = Batch(road_events=[closure_event()],
                  posts=[post("1", "La D905 est rouverte à Lyon")])
    assert ingest(fresh_store, batch, collector="t", incident_id=None,
                  now=NOW).posts_flagged == 0


def test_a_manual_closure_counts_as_official(fresh_store) -> None:
    fresh_store.add_manual_road_event(
        {"road": "D974", "event_type": "closure", "commune": "Til-Châtel", "status": "active",
         "description": "D974 fermée (Til-Châtel)", "starts_at": iso(NOW - timedelta(hours=1))},
        "coord", incident_id=None, log_text="Fermeture ajoutée")
    batch = Batch(posts=[post("1", "La D974 est rouverte à Til-Châtel")])
    assert ingest(fresh_store, batch, collector="t", incident_id=None,
                  now=NOW).posts_flagged == 1
