"""The bundled exercise scenario (data/scenarios/crue-cote-dor.jsonl) is well formed, tells a
coherent story, and is exactly what its generator writes."""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "data" / "scenarios"
SCENARIO = SCENARIOS / "crue-cote-dor.jsonl"
GENERATOR = SCENARIOS / "make_crue_cote_dor.py"
COMMUNES = SCENARIOS / "communes_21.csv"
README = SCENARIOS / "README.md"

LABELS = {
    "help_request", "missing_or_found", "casualties", "infrastructure", "roads_traffic",
    "evacuation_shelter", "caution_advice", "solidarity", "sympathy", "other_relevant",
    "not_relevant",
}
NETWORKS = {"twitter", "facebook", "mastodon", "bluesky", "instagram"}
OFFICIAL = {"@Prefet21", "@SDIS21", "@CD21_Routes", "@VilleDeDijon", "@VISOV1", "@Enedis_BFC",
            "@meteofrance"}
DEBUNKERS = {"@Prefet21", "@VISOV1", "@VilleDeDijon", "@DijonMetropole", "@Gendarmerie21",
             "@ARS_BFC", "@SDIS21"}
# Côte-d'Or bounding box (the brief's, slightly larger than the département's outline).
LAT = (46.9, 48.1)
LON = (4.0, 5.6)
H = 3600


@pytest.fixture(scope="module")
def lines() -> list[dict]:
    raw = SCENARIO.read_text(encoding="utf-8")
    return [json.loads(line) for line in raw.splitlines()]


@pytest.fixture(scope="module")
def header(lines) -> dict:
    return lines[0]


@pytest.fixture(scope="module")
def posts(lines) -> list[dict]:
    return [r for r in lines if r["type"] == "post"]


@pytest.fixture(scope="module")
def roads(lines) -> list[dict]:
    return [r for r in lines if r["type"] == "road_event"]


@pytest.fixture(scope="module")
def alerts(lines) -> list[dict]:
    return [r for r in lines if r["type"] == "alert"]


@pytest.fixture(scope="module")
def communes() -> dict[str, dict]:
    with COMMUNES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for row in rows:
        out[row["commune"]] = row
        out[row["commune_article"]] = row
    return out


def normalise(text: str) -> str:
    """Text as a near-duplicate detector would see it: no case, accents, links, tags, emojis."""
    text = re.sub(r"https?://\S+|[@#]\S+|^RT\s+", " ", text)
    text = "".join(c for c in unicodedata.normalize("NFD", text.lower())
                   if unicodedata.category(c) != "Mn")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lon, lat) points, equirectangular (fine at this scale)."""
    dx = (a[0] - b[0]) * 111.32 * math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot(dx, (a[1] - b[1]) * 110.57)


# --- format ----------------------------------------------------------------------------------


def test_header_comes_first_and_declares_an_exercise(lines, header):
    assert header["type"] == "scenario"
    assert header["id"] == "crue-cote-dor"
    assert header["exercise"] is True
    assert "exercice" in header["title"].lower()
    assert 25000 <= header["duration_s"] <= 32000
    inc = header["incident"]
    assert inc["departements"] == ["21"] and "21" in inc["area"]
    assert {"crue", "inondation"} <= set(inc["keywords"])
    assert [r["type"] for r in lines].count("scenario") == 1


def test_every_line_is_typed_and_sorted_by_time(lines, header):
    body = lines[1:]
    assert {r["type"] for r in body} == {"post", "road_event", "alert"}
    times = [r["at"] for r in body]
    assert all(isinstance(t, int) for t in times)
    assert times == sorted(times)
    assert times[0] >= 0 and times[-1] < header["duration_s"]


def test_file_is_utf8_json_lines_without_blank_lines():
    raw = SCENARIO.read_bytes()
    assert raw.endswith(b"\n") and b"\r" not in raw
    for line in raw.decode("utf-8").split("\n")[:-1]:
        assert line.strip() and isinstance(json.loads(line), dict)


def test_post_and_alert_ids_are_unique(posts, alerts):
    assert len({p["id"] for p in posts}) == len(posts)
    assert len({a["id"] for a in alerts}) == len(alerts)


def test_road_event_updates_share_an_id_and_end_last(roads):
    by_id: dict[str, list[dict]] = defaultdict(list)
    for r in roads:
        by_id[r["id"]].append(r)
    for rid, stages in by_id.items():
        assert len({(s["road"], s["commune"]) for s in stages}) == 1, rid
        assert len({s["starts_offset"] for s in stages}) == 1, rid
        assert stages[0]["at"] == stages[0]["starts_offset"], rid
        ended = [s for s in stages if s["status"] == "ended"]
        assert len(ended) <= 1, rid
        if ended:
            assert stages[-1] is ended[0], rid
            assert ended[0]["ends_offset"] == ended[0]["at"] > stages[0]["at"], rid
            assert "detour" not in ended[0]


def test_posts_have_valid_fields(posts):
    for p in posts:
        assert p["network"] in NETWORKS, p["id"]
        assert p["author"].startswith("@") and len(p["author"]) > 2, p["id"]
        assert p["text"].strip(), p["id"]
        assert p["lang"] in {"fr", "en"}, p["id"]
        assert ("lat" in p) == ("lon" in p), p["id"]
        if "url" in p:
            assert p["url"].startswith("https://exemple.invalid/"), p["id"]
        # Links inside texts are fictional too: an exercise must never send anyone anywhere.
        for url in re.findall(r"https?://\S+", p["text"]):
            assert url.startswith("https://exemple.invalid/"), (p["id"], url)


def test_road_events_have_valid_fields_and_plausible_geometry(roads, communes):
    for r in roads:
        assert r["event_type"] in {"closure", "restriction", "works", "incident", "detour"}
        assert r["status"] in {"active", "ended"}
        assert r["road"] and r["description"] and r["direction"]
        assert r["commune"] in communes, r["commune"]
        geom = r["geometry"]
        assert geom["type"] == "LineString" and len(geom["coordinates"]) >= 2
        pts = [tuple(c) for c in geom["coordinates"]]
        for lon, lat in pts:
            assert LAT[0] <= lat <= LAT[1] and LON[0] <= lon <= LON[1], r["id"]
        length = sum(km(a, b) for a, b in zip(pts, pts[1:], strict=False))
        assert 0.5 <= length <= 3.0, (r["id"], length)
        c = communes[r["commune"]]
        assert km(pts[0], (float(c["lng"]), float(c["lat"]))) < 3.0, r["id"]


def test_alerts_are_cap_like(alerts, header):
    for a in alerts:
        assert a["severity"] in {"Minor", "Moderate", "Severe", "Extreme"}
        assert a["urgency"] in {"Immediate", "Expected", "Future", "Past"}
        assert a["certainty"] in {"Observed", "Likely", "Possible"}
        for key in ("sender", "event", "headline", "description", "instruction", "area"):
            assert a[key].strip(), (a["id"], key)
        assert a["at"] < a["expires_offset"] <= header["duration_s"]
        ring = a["geometry"]["coordinates"][0]
        assert a["geometry"]["type"] == "Polygon" and len(ring) >= 4 and ring[0] == ring[-1]
        for lon, lat in ring:
            assert 46.7 <= lat <= 48.3 and 3.8 <= lon <= 5.8, a["id"]


# --- volume and mix --------------------------------------------------------------------------


def test_minimum_counts(posts, roads, alerts):
    assert len(posts) >= 650
    assert len(roads) >= 32
    assert len({r["id"] for r in roads}) >= 30
    assert len(alerts) >= 6
    assert any(r["status"] == "ended" for r in roads)


def test_categories_are_design_labels_and_all_are_used(posts):
    used: Counter[str] = Counter()
    for p in posts:
        cats = p["truth"]["categories"]
        assert cats and set(cats) <= LABELS, (p["id"], cats)
        assert len(cats) == len(set(cats)), p["id"]
        if "not_relevant" in cats:
            assert cats == ["not_relevant"], p["id"]
        used.update(cats)
    assert all(used[label] >= 10 for label in LABELS), used


def test_mix_of_noise_languages_networks_and_officials(posts):
    n = len(posts)
    noise = sum("not_relevant" in p["truth"]["categories"] for p in posts) / n
    english = sum(p["lang"] == "en" for p in posts) / n
    assert 0.08 <= noise <= 0.18, noise
    assert 0.03 <= english <= 0.10, english
    assert {p["network"] for p in posts} == NETWORKS
    assert {p["author"] for p in posts} >= OFFICIAL
    # Many voices, not a handful of bots.
    assert len({p["author"] for p in posts}) >= 0.4 * n


def test_geotagged_posts_lie_in_cote_dor(posts):
    tagged = [p for p in posts if "lat" in p]
    assert 0.10 <= len(tagged) / len(posts) <= 0.25
    for p in tagged:
        assert LAT[0] <= p["lat"] <= LAT[1] and LON[0] <= p["lon"] <= LON[1], p["id"]


def test_most_posts_name_a_commune_and_some_name_none(posts, communes):
    relevant = [p for p in posts if "not_relevant" not in p["truth"]["categories"]]
    named = [p for p in relevant if p["truth"]["places"]]
    assert 0.5 <= len(named) / len(relevant) <= 0.95
    for p in posts:
        for place in p["truth"]["places"] + [p["truth"].get("location")] * ("location" in
                                                                          p["truth"]):
            assert place in communes, (p["id"], place)


def test_named_places_appear_in_the_clean_posts(posts):
    """Official posts are written clean, so each commune they name is in their text."""
    for p in posts:
        if p["author"] in OFFICIAL:
            for place in p["truth"]["places"]:
                assert place.split(" ")[-1] in p["text"], (p["id"], place)


def test_texts_are_diverse(posts):
    plain = [p for p in posts if "rumor" not in p["truth"]]
    distinct = {normalise(p["text"]) for p in plain}
    assert len(distinct) >= 0.7 * len(plain)


def test_writing_is_varied_like_real_posts(posts):
    texts = [p["text"] for p in posts if p["author"] not in OFFICIAL]
    assert sum(t.isupper() or t[:20].isupper() for t in texts) >= 15  # shouting
    assert sum("#" in t for t in texts) >= 0.15 * len(texts)  # hashtags
    assert sum(bool(re.search(r"\b(svp|qqn|bcp|pr|dps|jsp|c)\b", t)) for t in texts) >= 40
    assert sum(t.startswith("RT @") for t in texts) >= 50


# --- the story -------------------------------------------------------------------------------


def test_rumors_spread_as_near_copies_and_are_debunked(posts):
    rumors: dict[str, list[dict]] = defaultdict(list)
    debunks: dict[str, list[dict]] = defaultdict(list)
    for p in posts:
        if "rumor" in p["truth"]:
            rumors[p["truth"]["rumor"]].append(p)
        if "debunks" in p["truth"]:
            debunks[p["truth"]["debunks"]].append(p)
    assert len(rumors) >= 6
    assert set(debunks) == set(rumors)
    for rid, spread in rumors.items():
        assert len(spread) >= 15, rid
        start = min(p["at"] for p in spread)
        official = [d for d in debunks[rid] if d["author"] in DEBUNKERS]
        assert official, rid
        first = min(d["at"] for d in official)
        assert 30 * 60 <= first - start <= 90 * 60, (rid, (first - start) / 60)
        assert all(d["at"] > start for d in debunks[rid]), rid
        # Near-copies: most posts share most of their words with another post of the rumor.
        words = [set(normalise(p["text"]).split()) for p in spread]
        close = 0
        for i, w in enumerate(words):
            best = max(len(w & o) / max(1, min(len(w), len(o)))
                       for j, o in enumerate(words) if j != i)
            close += best >= 0.6
        assert close >= 0.8 * len(spread), (rid, close, len(spread))


def test_each_missing_person_is_later_found(posts):
    people: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for p in posts:
        if "person" in p["truth"]:
            people[p["truth"]["person"]][p["truth"]["person_status"]].append(p["at"])
            assert set(p["truth"]["categories"]) & {"missing_or_found", "help_request",
                                                     "evacuation_shelter", "sympathy",
                                                     "roads_traffic", "solidarity"}, p["id"]
    missing = {k: v for k, v in people.items() if "missing" in v}
    distress = {k: v for k, v in people.items() if "distress" in v}
    assert len(missing) >= 3 and len(distress) >= 3
    for pid, st in missing.items():
        assert st["found"] and min(st["found"]) > min(st["missing"]), pid
    for pid, st in distress.items():
        assert st["rescued"] and min(st["rescued"]) > min(st["distress"]), pid


def test_timeline_follows_the_flood(posts, alerts):
    def share(cat: str, a: float, b: float) -> float:
        xs = [p["at"] for p in posts if cat in p["truth"]["categories"]]
        return sum(a * H <= t < b * H for t in xs) / len(xs)

    # Calls for help peak in hours 2-5; solidarity grows towards the end.
    assert share("help_request", 2, 5) >= 0.5
    assert share("help_request", 0, 0.5) <= 0.03
    assert share("solidarity", 5, 8) > share("solidarity", 0, 3)
    # Vigilance orange first, then rouge, then back down.
    first = alerts[0]
    assert first["at"] <= 600 and first["severity"] == "Severe"
    extreme = [a["at"] for a in alerts if a["severity"] == "Extreme"]
    assert extreme and min(extreme) > first["at"]
    assert alerts[-1]["severity"] in {"Moderate", "Minor"} and alerts[-1]["at"] > max(extreme)
    # More posts at the peak than in the first hour.
    per_hour = Counter(p["at"] // H for p in posts)
    assert max(per_hour[h] for h in (2, 3, 4)) > 2 * per_hour[0]


def test_roads_close_early_and_many_reopen(roads):
    starts = {r["id"]: r["starts_offset"] for r in roads}
    assert min(starts.values()) < H
    ended = {r["id"] for r in roads if r["status"] == "ended"}
    assert len(ended) >= len(starts) / 2
    # Flooded roads reopen only after the peak (incidents such as accidents may clear sooner).
    first_type = {}
    for r in roads:
        first_type.setdefault(r["id"], r["event_type"])
    assert all(r["at"] > 4 * H for r in roads
               if r["status"] == "ended" and first_type[r["id"]] == "closure")


# --- provenance, documentation, generator ----------------------------------------------------


def test_commune_extract_matches_its_source_spot_checks(communes):
    with COMMUNES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 699
    assert list(rows[0]) == ["insee_com", "commune", "commune_article", "lat", "lng",
                             "population_2021"]
    assert all(r["insee_com"].startswith("21") for r in rows)
    dijon = communes["Dijon"]
    assert (dijon["insee_com"], dijon["lat"], dijon["lng"], dijon["population_2021"]) == (
        "21231", "47.33187", "5.03222", "159346")
    assert communes["Maillys"]["commune_article"] == "Les Maillys"


def test_readme_documents_every_field(lines):
    doc = README.read_text(encoding="utf-8")
    keys = set()
    for rec in lines:
        keys |= set(rec)
        keys |= set(rec.get("truth", {}))
        keys |= set(rec.get("incident", {}))
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert not missing, missing
    assert "rcarlier/datas.fun" in doc and "0839ae3532f5027b47ba3f0ebc88691757de871d" in doc


def _generate(out: Path, *extra: str) -> bytes:
    subprocess.run([sys.executable, str(GENERATOR.relative_to(ROOT)), "--out", str(out),
                    *extra], cwd=ROOT, check=True, capture_output=True, timeout=120)
    return out.read_bytes()


def test_generator_is_deterministic_and_matches_the_committed_file(tmp_path):
    first = _generate(tmp_path / "a.jsonl")
    second = _generate(tmp_path / "b.jsonl")
    assert first == second
    assert first == SCENARIO.read_bytes(), "regenerate: python data/scenarios/make_crue_cote_dor.py"


def test_another_seed_tells_the_same_story_in_other_words(tmp_path):
    other = _generate(tmp_path / "c.jsonl", "--seed", "7")
    assert other != SCENARIO.read_bytes()
    recs = [json.loads(line) for line in other.decode("utf-8").splitlines()]
    assert recs[0]["id"] == "crue-cote-dor"
    assert sum(r["type"] == "post" for r in recs) >= 650
