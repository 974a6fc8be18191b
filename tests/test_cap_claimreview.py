"""Outgoing documents: an approved message as CAP 1.2 (checked against the schema's structure
and read back by Vigie's own CAP collector), a debunk as schema.org ClaimReview JSON-LD."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from collectors import cap as cap_collector
from collectors.base import Fetched, Source
from tests.cap12 import check_cap12
from tests.conftest import FIXTURES, ROOT
from vigie import messages
from vigie.auth import User
from vigie.exports import outgoing
from vigie.store import Store

VOLUNTEER = User("volunteer", "volunteer")
COORDINATOR = User("coordinator", "coordinator")
VALUES = {"commune": "Dijon", "heure": "14 h 05", "radio": "ici Bourgogne"}


def approved_message(store: Store, template: str = "flood_instructions",
                     values: dict | None = None) -> int:
    mid = messages.draft(store, VOLUNTEER, template, values or VALUES,
                         area="Dijon, Plombières-lès-Dijon")
    messages.approve(store, COORDINATOR, mid, 1)
    return mid


def claim(store: Store, status: str) -> int:
    claim_id = store.db["claims"].insert({
        "title": "Le barrage de Pont-et-Massène va céder", "status": status,
        "created_at": "2026-11-25T10:00:00Z", "verdict_at": "2026-11-25T11:15:00Z",
        "public_message": "FAUX : le barrage est surveillé en continu par VNF.",
        "incident_id": (store.active_incident() or {}).get("id")}).last_pk
    for i, (url, at) in enumerate((("https://exemple.invalid/a", "2026-11-25T10:05:00Z"),
                                   ("https://exemple.invalid/b", "2026-11-25T10:01:00Z"))):
        store.db["posts"].insert({
            "id": f"test:{claim_id}:{i}", "source": "t", "kind": "test", "author": "@someone",
            "text": "le barrage va céder !!", "url": url, "created_at": at,
            "collected_at": at})
        store.db["claim_posts"].insert({"claim_id": claim_id, "post_id": f"test:{claim_id}:{i}",
                                        "added_at": at})
    return claim_id


@pytest.fixture
def exercise(fresh_store: Store) -> Store:
    fresh_store.create_incident("Crue (exercice)", exercise=True, area="Côte-d'Or (21)")
    return fresh_store


@pytest.fixture
def real(fresh_store: Store) -> Store:
    fresh_store.create_incident("Crue", exercise=False, area="Côte-d'Or (21)")
    return fresh_store


# -- the checker itself ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["validator_example_thunderstorm.cap", "australia.cap",
                                  "canada.cap", "wcatwc-warning.cap"])
def test_the_structure_check_accepts_real_cap12_alerts(name: str) -> None:
    assert check_cap12((FIXTURES / "cap" / name).read_bytes()) == []


def test_the_structure_check_finds_a_missing_scope() -> None:
    assert check_cap12((FIXTURES / "cap" / "invalid.cap").read_bytes()) == [
        "alert: missing scope"]


# -- CAP -----------------------------------------------------------------------------------


@pytest.mark.parametrize("template", ["flood_instructions", "industrial_short",
                                      "solidarity_neighbours", "info_relay"])
def test_an_approved_message_is_valid_cap12(real: Store, template: str) -> None:
    values = {**VALUES, "organisme": "La préfecture", "information": "Point presse à 15 h"}
    _name, xml = outgoing.cap_document(real, approved_message(real, template, values))
    assert check_cap12(xml) == []


def test_cap_says_exercise_everywhere_during_an_exercise(exercise: Store) -> None:
    name, xml = outgoing.cap_document(exercise, approved_message(exercise))
    text = xml.decode("utf-8")
    assert check_cap12(xml) == []
    assert "<status>Exercise</status>" in text and name.startswith("EXERCICE")
    for element in ("headline", "description", "instruction", "event"):
        assert re.search(f"<{element}>EXERCICE", text), element


def test_cap_of_a_real_message_is_actual_with_french_info(real: Store) -> None:
    _name, xml = outgoing.cap_document(real, approved_message(real))
    text = xml.decode("utf-8")
    assert "<status>Actual</status>" in text and "EXERCICE" not in text
    assert "<language>fr-FR</language>" in text and "<category>Met</category>" in text
    assert "<value>21231</value>" in text  # Dijon's INSEE code as a geocode
    assert re.search(r"<sent>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d</sent>", text)


def test_vigie_reads_its_own_cap_back(real: Store) -> None:
    mid = approved_message(real)
    _name, xml = outgoing.cap_document(real, mid)
    batch = cap_collector.parse(Fetched(url="file:///m.cap", status=200, body=xml),
                                Source(name="self", kind="cap", url="file:///m.cap"))
    assert batch.errors == [] and len(batch.alerts) == 1
    alert = batch.alerts[0]
    message = real.get_message(mid)
    assert alert.headline == message["title"] and alert.severity == "Severe"
    assert alert.instruction.startswith("Ne vous engagez pas sur une route inondée")
    assert alert.area == "Dijon, Plombières-lès-Dijon"


def test_a_draft_does_not_export_as_cap(real: Store) -> None:
    mid = messages.draft(real, VOLUNTEER, "flood_short", VALUES)
    with pytest.raises(ValueError):
        outgoing.cap_document(real, mid)


# -- ClaimReview ---------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "label", "value"), [("false", "Faux", 1),
                                                       ("misleading", "Trompeur", 2)])
def test_a_debunk_is_a_complete_claimreview(real: Store, status: str, label: str,
                                            value: int) -> None:
    _name, data = outgoing.claimreview_document(real, claim(real, status))
    review = json.loads(data)
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    for prop in ("claimReviewed", "reviewRating", "author", "datePublished", "itemReviewed"):
        assert review[prop], prop
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == label
    assert rating["worstRating"] <= rating["ratingValue"] == value <= rating["bestRating"]
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    assert re.match(r"\d{4}-\d\d-\d\d", review["datePublished"])
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["firstAppearance"]["url"] == "https://exemple.invalid/b"  # the earliest post
    assert {a["url"] for a in item["appearance"]} == {"https://exemple.invalid/a",
                                                     "https://exemple.invalid/b"}
    assert "@someone" not in data.decode("utf-8")  # who spread it is never named
    assert "EXERCICE" not in data.decode("utf-8")


def test_claimreview_says_exercice_during_an_exercise(exercise: Store) -> None:
    name, data = outgoing.claimreview_document(exercise, claim(exercise, "false"))
    review = json.loads(data)
    assert name.startswith("EXERCICE")
    assert review["claimReviewed"].startswith("EXERCICE")
    assert review["reviewBody"].startswith("EXERCICE")


def test_only_a_debunked_claim_has_a_claimreview(real: Store) -> None:
    with pytest.raises(ValueError):
        outgoing.claimreview_document(real, claim(real, "confirmed"))


# -- command line --------------------------------------------------------------------------


def test_the_cli_writes_cap_and_claimreview(exercise: Store, tmp_path: Path) -> None:
    mid, cid = approved_message(exercise), claim(exercise, "misleading")
    base = [sys.executable, "-m", "vigie", "--db", str(exercise.path), "export"]
    out = subprocess.run([*base, "cap", "--message", str(mid), "--out",
                          str(tmp_path / "m.xml")], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    assert Path(out).name == "EXERCICE-m.xml" and check_cap12(Path(out).read_bytes()) == []
    out = subprocess.run([*base, "claimreview", "--claim", str(cid), "--out",
                          str(tmp_path / "c.jsonld")], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert json.loads(Path(out).read_text())["reviewRating"]["alternateName"] == "Trompeur"
    missing = subprocess.run([*base, "cap", "--message", "999", "--out",
                              str(tmp_path / "x.xml")], cwd=ROOT, capture_output=True,
                             text=True)
    assert missing.returncode == 2 and "999" in missing.stderr
