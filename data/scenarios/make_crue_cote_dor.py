"""Generate Vigie's bundled exercise scenario: a flood in Côte-d'Or, as JSON Lines.

Run from the repository root:

    python data/scenarios/make_crue_cote_dor.py [--out PATH] [--seed N]

The output is deterministic for a given seed: the same bytes on every run, so the committed
file can be checked against its generator. Every random choice comes from a named stream
(`Story.stream`), so that adding posts of one kind does not reshuffle the others.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from collections.abc import Callable
from pathlib import Path

from crue_alerts import build_alerts
from crue_official import (
    BILANS,
    CAUTION,
    CAUTION_LATE,
    CAUTION_WHO,
    ENEDIS,
    SCRIPT,
    STATIONS,
    level,
    level_text,
)
from crue_people import CONDOLENCES, FOUND, PEOPLE, RELIEF
from crue_roads import SPECS, RoadStage, agree, build_road_events, is_street, masculine
from crue_rumors import RUMORS, Rumor, mutate
from crue_style import MEDIA, OFFICIAL, Author, AuthorPool, hashtags, stylize
from crue_texts import (
    CASUALTY,
    CAUTION_CIT,
    CITY_CLOSED,
    CITY_REOPENED,
    DEMONYMS,
    DRY,
    ENGLISH,
    EVAC,
    HELP_NOPLACE,
    INFRA,
    NOISE_EN,
    NOISE_FR,
    OBSERVE,
    OBSERVE_DIJON,
    ROAD_CLOSED,
    ROAD_GENERAL,
    ROAD_REOPENED,
    SOLIDARITY,
    SYMPATHY,
    T,
    choose,
    fill,
    help_request,
    phases,
)
from crue_world import (
    PLACE_BY_NAME,
    PLACES,
    SHELTERS,
    Commune,
    jitter,
    load_communes,
    river_forms,
    shelter_of,
    streets_of,
)

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "crue-cote-dor.jsonl"
DEFAULT_COMMUNES = HERE / "communes_21.csv"
SEED = 2121
DURATION = 28800
H = 3600

HEADER = {
    "type": "scenario",
    "id": "crue-cote-dor",
    "title": "Crue de l'Ouche et de la Saône — exercice",
    "exercise": True,
    "duration_s": DURATION,
    "description": (
        "EXERCICE — scénario fictif. Épisode de pluies intenses sur la Côte-d'Or : crue de "
        "l'Ouche, de la Tille, de la Vouge puis de la Saône sur 8 heures. Les lieux et les "
        "routes sont réels, les événements, les personnes et les messages sont inventés."
    ),
    "incident": {
        "name": "Crue de l'Ouche et de la Saône (exercice)",
        "area": "Côte-d'Or (21)",
        "departements": ["21"],
        "keywords": [
            "crue", "inondation", "inondations", "inondé", "montée des eaux", "vigilance rouge",
            "évacuation", "Ouche", "Saône", "Tille", "Vouge", "Vingeanne", "Armançon", "Brenne",
            "#crue21", "#inondations", "#CotedOr", "flood", "flooding",
        ],
    },
}

# When each kind of citizen post happens: (from hour, to hour, relative density).
PROFILES: dict[str, list[tuple[float, float, float]]] = {
    "help": [(0.7, 1.5, 1), (1.5, 2, 3), (2, 5, 6), (3.8, 5, 3), (5, 6, 2.5), (6, 7.8, 0.7)],
    "infra": [(0.5, 2, 2), (2, 5, 4), (5, 8, 2)],
    "roads": [(0.2, 1, 2), (1, 5, 4), (5, 8, 2.5)],
    "evac": [(1, 2, 1), (2, 5, 5), (5, 8, 2.5)],
    "caution": [(0.1, 1, 3), (1, 5, 3), (5, 8, 1.5)],
    "solidarity": [(0.5, 2, 0.6), (2, 5, 2.5), (5, 8, 5)],
    "sympathy": [(1, 3, 1), (3, 8, 3)],
    "observe": [(0, 1, 4), (1, 5, 3), (5, 8, 2)],
    "media": [(0.6, 2, 2), (2, 6, 3), (6, 8, 1.5)],
    "casualty": [(1.5, 6, 1)],
    "noise": [(0, 8, 1)],
    "english": [(0.5, 7.5, 1)],
    "official": [(0.2, 1, 2), (1, 5, 3), (5, 7.9, 1.2)],
}

# How many sampled posts of each kind.
COUNTS = {"help": 96, "help_noplace": 12, "infra": 44, "roads": 16, "evac": 44,
          "caution": 22, "official_caution": 30, "solidarity": 66, "sympathy": 44,
          "observe": 62, "observe_dijon": 10, "casualty": 14, "noise_fr": 128, "noise_en": 16,
          "media": 12}

MEDIA_BANK = [
    T("INFO | À {c}, des dizaines de personnes évacuées par les pompiers", ("evacuation_shelter",)),
    T("VIDÉO | {R} en crue à {c}, les images impressionnantes {link}", ("other_relevant",)),
    T("Routes coupées en Côte-d'Or : le point sur les fermetures autour de {c}",
      ("roads_traffic",)),
    T("Crue : une chaîne de solidarité s'organise à {c}", ("solidarity",)),
    T("EN IMAGES | {c} sous les eaux {link}", ("other_relevant",)),
    T("Crue : à {c}, les habitants entre colère et résignation", ("other_relevant",)),
    T("Électricité, eau, téléphone : à {c}, les réseaux mis à rude épreuve", ("infrastructure",)),
    T("Les sinistrés de {c} accueillis {au_shelter}", ("evacuation_shelter",)),
    T("TÉMOIGNAGE | « L'eau est montée en vingt minutes » : récit d'une habitante de {c}",
      ("other_relevant",)),
    T("Crue {dr} : le maire de {c} demande l'état de catastrophe naturelle",
      ("other_relevant",)),
]

NAME_RE_CACHE: dict[str, re.Pattern[str]] = {}


def link(rng: random.Random) -> str:
    return f"https://exemple.invalid/{rng.choice(['photo', 'video', 'p', 'watch'])}/" \
           f"{rng.randrange(16**8):08x}"


def first_sentence(text: str) -> str:
    """The first sentence of an official message, without its tags and pictograms."""
    text = re.sub(r"#\w+( \|)?|[^\w\s'’,.:;()!?«»@-]", "", text)
    text = re.sub(r"^[\s:|-]*(FAUX|Intox)?[\s:|-]*", "", text)
    text = text.split(". ")[0].rstrip(".")
    return text[:1].upper() + text[1:] + "."


def with_article(label: str, prep: str) -> str:
    """'au gymnase…' / 'à la salle…' / 'à l'école…' (prep: 'à', 'de' or '')."""
    fem = label.split(" ")[0].lower() in ("salle", "école", "mairie", "maison")
    vowel = label[:1].lower() in "aeiouéèêh"
    if vowel:
        return {"à": "à l'", "de": "de l'", "": "l'"}[prep] + label
    if fem:
        return {"à": "à la ", "de": "de la ", "": "la "}[prep] + label
    return {"à": "au ", "de": "du ", "": "le "}[prep] + label


class Story:
    """Collects every line of the scenario, then sorts and numbers them."""

    def __init__(self, seed: int, communes: dict[str, Commune]) -> None:
        self.seed = seed
        self.communes = communes
        self.pool = AuthorPool(self.stream(1))
        self.posts: list[dict] = []
        self.others: list[dict] = []
        names = [(n, n) for n in self._known_names()] + [("Maillys", "Les Maillys")]
        self.known = sorted(names, key=lambda pair: (-len(pair[0]), pair[0]))
        self.road_stages: list[RoadStage] = build_road_events(communes, self.stream(2),
                                                                 DURATION - 60)
        self.url_n = 0

    def stream(self, k: int) -> random.Random:
        return random.Random(self.seed * 1000 + k)

    # --- places --------------------------------------------------------------------------

    def _known_names(self) -> set[str]:
        names = {p.name for p in PLACES} | set(DRY) | set(SHELTERS) | {s.commune for s in SPECS}
        names |= {"Talant", "Saint-Seine-l'Abbaye", "Remilly-sur-Tille", "Pontailler-sur-Saône",
                  "Chenôve", "Thorey-en-Plaine", "Marcilly-sur-Tille", "Noiron-sous-Gevrey"}
        return {n for n in names if n in self.communes}

    def places_named(self, text: str) -> list[str]:
        """Communes named in a clean text, longest names first; 'la Bèze' is the river."""
        found: dict[str, int] = {}
        spans: list[tuple[int, int]] = []
        for written, name in self.known:
            pat = NAME_RE_CACHE.get(written)
            if pat is None:
                pat = re.compile(r"(?<![\w-])" + re.escape(written) + r"(?![\w-])")
                NAME_RE_CACHE[written] = pat
            for m in pat.finditer(text):
                if any(a <= m.start() < b for a, b in spans):
                    continue
                before = text[max(0, m.start() - 3): m.start()].lower()
                if before.endswith(("la ", "l'")):
                    continue
                spans.append((m.start(), m.end()))
                found[name] = min(found.get(name, m.start()), m.start())
        return sorted(found, key=lambda n: (found[n], n))

    def pick_place(self, t: int, rng: random.Random) -> str:
        """An affected commune, weighted by size of the story there and closeness to its peak."""
        hours = t / H
        weights = [p.weight * (0.15 + math.exp(-0.5 * ((hours - p.peak_h) / p.sigma_h) ** 2))
                   for p in PLACES]
        return rng.choices(PLACES, weights)[0].name

    def road_near(self, name: str, rng: random.Random) -> str:
        own = [s.road for s in SPECS if s.commune == name and s.road[0] in "DN"]
        if own:
            return rng.choice(own)
        c = self.communes[name]
        best = min((s for s in SPECS if s.road[0] == "D"),
                   key=lambda s: (self.communes[s.commune].lat - c.lat) ** 2
                   + (self.communes[s.commune].lon - c.lon) ** 2)
        return best.road

    def slots(self, name: str, rng: random.Random) -> dict[str, str]:
        place = PLACE_BY_NAME.get(name)
        river = place.river if place else None
        r, dr = river_forms(river) if river else ("", "")
        host, shelter = shelter_of(name, rng)
        return {
            "c": name, "c2": rng.choice([d for d in DRY if d != name]),
            "r": r, "R": r[:1].upper() + r[1:], "dr": dr,
            "rue": rng.choice(streets_of(name, river)), "road": self.road_near(name, rng),
            "age": str(rng.randint(72, 94)), "cm": str(rng.randrange(20, 130, 5)),
            "rise": str(rng.randint(6, 35)),
            "hrs": rng.choice(["1h", "2h", "45 min", "1h30", "3h", "20 min", "une heure"]),
            "n": str(rng.choice([20, 30, 40, 50, 60, 70, 80])), "nb": str(rng.randint(2, 4)),
            "host": host, "shelter": shelter,
            "au_shelter": with_article(shelter, "à"), "le_shelter": with_article(shelter, ""),
            "du_shelter": with_article(shelter, "de"), "link": link(rng),
            "demo": DEMONYMS.get(name, f"habitants de {name}"),
        }

    # --- emitting --------------------------------------------------------------------------

    def post(self, at: float, author: Author, text: str, cats: tuple[str, ...] | list[str],
             rng: random.Random, *, lang: str = "fr", location: str | None = None,
             mood: str = "neutral", raw: bool = False, geo: float | None = None,
             truth: dict | None = None, places: list[str] | None = None) -> dict:
        """Add one post. `raw` keeps the text as given (reposts); `geo` overrides the
        probability of an exact geotag."""
        named = self.places_named(text) if places is None else places
        if not author.official and not raw and lang == "fr":
            text = stylize(text, author.style, rng, mood)
        elif not author.official and not raw and rng.random() < 0.3:
            text += " " + rng.choice(["🙏", "😳", "💙", "🌧️", "!!"])
        if not raw and (author.network == "instagram" or (not author.official
                                                          and rng.random() < 0.3)):
            tags = hashtags(rng, author.network, location if location in named else None,
                            mood=mood)
            if tags:
                text += " " + tags
        cat_list = list(dict.fromkeys(cats))
        rec: dict = {"type": "post", "at": int(max(at, 0)),
                     "network": author.network, "author": author.handle, "text": text,
                     "lang": lang}
        if rng.random() < 0.9:
            self.url_n += 1
            handle = author.handle.strip("@").split("@")[0]
            rec["url"] = f"https://exemple.invalid/{author.network}/{handle}/{self.url_n:05d}"
        where = location or (named[0] if named else None)
        p_geo = geo if geo is not None else (0.55 if author.network == "instagram" else 0.27)
        if where and not author.official and rng.random() < p_geo:
            c = self.communes[where]
            rec["lat"], rec["lon"] = jitter(c.lat, c.lon, rng, 1.5)
        t: dict = {"categories": cat_list, "places": named}
        if where:
            t["location"] = where
        if truth:
            t.update(truth)
        rec["truth"] = t
        if rec["at"] < DURATION:  # a reaction that would come after the end is not told
            self.posts.append(rec)
        return rec

    # --- the story -------------------------------------------------------------------------

    def sample_time(self, kind: str, rng: random.Random) -> int:
        prof = PROFILES[kind]
        seg = rng.choices(prof, [(b - a) * w for a, b, w in prof])[0]
        return int(rng.uniform(seg[0], seg[1]) * H)

    def official(self, who: str, rng: random.Random) -> Author:
        return rng.choice(MEDIA) if who == "media" else OFFICIAL[who]

    def build(self) -> list[dict]:
        self.alerts_and_roads()
        self.scripted()
        self.people()
        self.rumors()
        self.citizens()
        self.noise()
        return self.lines()

    def alerts_and_roads(self) -> None:
        self.others.extend(build_alerts(self.communes))
        rng = self.stream(3)
        for st in self.road_stages:
            self.others.append(st.record)
            self.road_posts(st, rng)

    def road_posts(self, st: RoadStage, rng: random.Random) -> None:
        spec, rec = st.spec, st.record
        op = OFFICIAL[_OPERATOR_KEY[spec.operator]]
        tag = "#" + spec.road.replace(" ", "").replace("-", "")
        street = is_street(spec.road)
        the = ("le " if masculine(spec.road) else "l'" if spec.road[0] in "AÉE" else "la ")
        name = spec.road[:1].lower() + spec.road[1:] if street else spec.road
        de = {"le ": "du ", "l'": "de l'", "la ": "de la "}[the]
        road_slots = {"road": spec.road, "le_road": the + name, "Le_road": the.capitalize() + name,
                      "e": "" if masculine(spec.road) else "e"}
        if st.kind == "ended":
            if rng.random() < 0.8:
                text = rng.choice([
                    f"✅ {tag} {agree(spec.road, 'rouverte')} {spec.section}. Prudence : boue "
                    "possible sur la chaussée.",
                    f"✅ Réouverture {de}{name} {spec.section} après décrue. #Crue21",
                    f"{tag} : fin de la fermeture {spec.section}, circulation rétablie.",
                ]) if rec["event_type"] == "closure" else "✅ " + rec["description"]
                self.post(st.at + rng.randint(60, 600), op, text, ("roads_traffic",), rng,
                          location=spec.commune)
            if rng.random() < 0.45:
                s = self.slots(spec.commune, rng) | road_slots
                tmpl = rng.choice(CITY_REOPENED if street else ROAD_REOPENED)
                self.post(st.at + rng.randint(600, 3000), self.pool.pick(), fill(tmpl, s),
                          ("roads_traffic",), rng, location=spec.commune)
            return
        icon = {"closure": "⛔", "restriction": "⚠️", "incident": "⚠️", "works": "🚧",
                "detour": "↪️"}[st.kind]
        if rng.random() < 0.85:
            text = f"{icon} {rec['description']}"
            if spec.detour and not spec.detour.startswith("Pas de"):
                text += f" {spec.detour}."
            if rng.random() < 0.6:
                text += " #Crue21"
            self.post(st.at + rng.randint(30, 400), op, text, ("roads_traffic",), rng,
                      location=spec.commune)
        for _ in range(rng.choice([0, 1, 1, 2, 2])):
            s = self.slots(spec.commune, rng) | road_slots
            if street:
                tmpl = rng.choice(CITY_CLOSED)
            elif spec.road.startswith("A"):
                tmpl = f"{spec.road} au ralenti vers {spec.commune}, {spec.reason}"
            else:
                tmpl = rng.choice(ROAD_CLOSED)
            self.post(st.at + rng.randint(-600, 5400), self.pool.pick(), fill(tmpl, s),
                      ("roads_traffic",), rng, location=spec.commune, mood="warn")

    def scripted(self) -> None:
        rng = self.stream(4)
        for s in SCRIPT:
            self.post(s.minute * 60 + rng.randint(0, 40), self.official(s.who, rng), s.text,
                      s.cats, rng, location=s.places[0] if s.places else None)
        prev = 0
        for minute, n in ENEDIS:
            trend = "en hausse" if n > prev else "en baisse"
            prev = n
            text = rng.choice([
                f"⚡ Crue en Côte-d'Or : {n:,} foyers privés d'électricité ({trend}), surtout "
                "dans la vallée de l'Ouche et la plaine de la Tille. Nos équipes interviennent "
                "dès que l'accès est sécurisé.",
                f"Point réseau : {n:,} clients coupés en Côte-d'Or. Certains postes sont sous "
                "l'eau et ne seront réalimentés qu'après la décrue.",
                f"Intempéries : {n:,} foyers sans courant en Côte-d'Or. Ne touchez jamais un "
                "câble tombé au sol.",
            ]).replace(",", " ", 1)
            self.post(minute * 60, OFFICIAL["enedis"], text, ("infrastructure",), rng)
        for minute, inter, evac, heb, bless, dead in BILANS:
            deaths = f", {dead} décès" if dead else ""
            self.post(minute * 60, OFFICIAL["prefet"],
                      f"Point de situation #Crue21 : {inter} interventions des sapeurs-pompiers, "
                      f"{evac} personnes évacuées, {heb} hébergées en centre d'accueil, "
                      f"{bless} blessés{deaths}.",
                      ("casualties", "evacuation_shelter", "other_relevant"), rng)
            self.post(minute * 60 + rng.randint(300, 900), OFFICIAL["sdis"],
                      f"Depuis le début de l'épisode : {inter} interventions, "
                      f"{inter // 9} sauvetages dont {inter // 60} par hélicoptère. "
                      f"{bless} blessés pris en charge. Merci de réserver le 18 aux urgences.",
                      ("casualties", "other_relevant", "caution_advice"), rng)
        for minute in range(30, 480, 48):
            hours = minute / 60
            live = sorted(STATIONS, key=lambda st: -(level(st, hours) - st.base) / st.peak)
            chosen = live[:3]
            text = "Point crues : " + " ; ".join(level_text(st, hours) for st in chosen) + "."
            self.post(minute * 60 + rng.randint(0, 120), OFFICIAL["vigicrues"], text,
                      ("other_relevant",), rng)
        order = list(range(len(CAUTION)))
        rng.shuffle(order)
        for i in range(COUNTS["official_caution"]):
            t = self.sample_time("official", rng)
            who = OFFICIAL[rng.choice(CAUTION_WHO)]
            if t > 5.5 * H and rng.random() < 0.6:
                text = rng.choice(CAUTION_LATE)
            else:
                text = CAUTION[order[i % len(order)]]
                if i >= len(order):
                    text = rng.choice(["Rappel : ", "⚠️ ", "IMPORTANT | "]) + text
            self.post(t, who, text, ("caution_advice",), rng)
        for _ in range(COUNTS["media"]):
            t = self.sample_time("media", rng)
            name = self.pick_place(t, rng)
            s = self.slots(name, rng)
            tm = choose(MEDIA_BANK, s, rng, self.phases_at(t, name))
            self.post(t, rng.choice(MEDIA), fill(tm.text, s), tm.cats, rng, location=name)

    def people(self) -> None:
        rng = self.stream(5)
        for person in PEOPLE:
            first = person.beats[0]
            outcome = next((b for b in person.beats if b.status in (FOUND, "rescued")), None)
            authors: dict[str, Author] = {}
            for b in person.beats:
                author = self._beat_author(b, authors, rng)
                self.post(b.minute * 60 + rng.randint(0, 50), author, b.text, b.cats, rng,
                          lang=b.lang, location=person.location, raw=author.official,
                          truth={"person": person.id, "person_status": b.status})
            # Shares of the first appeal, before the outcome.
            end = (outcome.minute if outcome else first.minute + 60) * 60
            handle = self._beat_author(first, authors, rng).handle
            for _ in range(person.shares):
                t = rng.uniform(first.minute * 60 + 120, end - 60)
                a = self.pool.fresh()
                if a.network == "twitter":
                    text = f"RT {handle}: {first.text}"
                elif first.lang == "fr":
                    text = rng.choice(["Partagez svp : ", "Je relaie : ", "", "⚠️ "]) + first.text
                else:
                    text = first.text + rng.choice([" (shared)", " Please share", ""])
                self.post(t, a, text, first.cats, rng, lang=first.lang, raw=True,
                          location=person.location, geo=0.0,
                          truth={"person": person.id, "person_status": first.status})
            if outcome and outcome.status == FOUND and person.id != "m6":
                for _ in range(rng.randint(1, 3)):
                    self.post(outcome.minute * 60 + rng.randint(120, 1500), self.pool.pick(),
                              rng.choice(RELIEF), ("sympathy",), rng, places=[],
                              truth={"person": person.id, "person_status": FOUND})
        for text in CONDOLENCES:
            self.post(rng.uniform(266 * 60, 330 * 60), self.pool.pick(), text,
                      ("sympathy", "casualties"), rng, mood="kind")

    def _beat_author(self, b, cache: dict[str, Author], rng: random.Random) -> Author:
        if b.who in cache:
            return cache[b.who]
        if b.who.startswith("@"):
            a = Author(b.who, b.network, "clean" if b.lang == "en" else "casual")
        elif b.who == "media":
            a = MEDIA[0]
        else:
            a = OFFICIAL[b.who]
        cache[b.who] = a
        return a

    def rumors(self) -> None:
        for i, rumor in enumerate(RUMORS):
            self.rumor(rumor, self.stream(100 + i))

    def rumor(self, rumor: Rumor, rng: random.Random) -> None:
        t0, delay = rumor.start_min * 60, rumor.debunk_after_min * 60
        truth = {"rumor": rumor.id}
        spread: list[tuple[float, Author, str, str, list[str]]] = []  # time, author, text, lang
        # (and the communes the clean original names, since copies may be mangled)
        for k, text in enumerate(rumor.originals):
            at = t0 if k == 0 else t0 + rng.uniform(120, 0.45 * delay)
            author = self.pool.fresh(style=rng.choice(["casual", "sloppy", "shouty", "clean"]))
            body = text + (" " + link(rng) if rumor.id == "r6" else "")
            rec = self.post(at, author, body, rumor.categories, rng, truth=truth,
                            location=rumor.places[0], mood="warn")
            spread.append((at, author, rec["text"], "fr", rec["truth"]["places"]))
        for text in rumor.english:
            at = t0 + rng.uniform(0.3 * delay, 0.8 * delay)
            author = self.pool.fresh(style="clean")
            rec = self.post(at, author, text + " " + link(rng), rumor.categories, rng,
                            lang="en", truth=truth, location=rumor.places[0], raw=True)
            spread.append((at, author, rec["text"], "en", rec["truth"]["places"]))
        for _ in range(rumor.copies - len(spread)):
            if rng.random() < 0.82:
                at = t0 + delay * (0.08 + 0.92 * rng.random() ** 0.7)
            else:
                at = t0 + delay + rng.uniform(0, 3600)
            earlier = [s for s in spread if s[0] < at] or spread[:1]
            parent = rng.choice(earlier)
            author = self.pool.fresh() if rng.random() < 0.75 else self.pool.pick()
            text = mutate(parent[2], parent[1].handle, author.network, rng)
            self.post(at, author, text, rumor.categories, rng, lang=parent[3], raw=True,
                      truth=truth, location=rumor.places[0], geo=0.12, places=parent[4])
            spread.append((at, author, text, parent[3], parent[4]))
        # The debunk: main official message, other officials, reposts, citizens.
        dtruth = {"debunks": rumor.id}
        dcats = ("caution_advice", *rumor.categories)
        at = t0 + delay
        main = OFFICIAL[rumor.debunkers[0]]
        self.post(at, main, rumor.debunks[0], dcats, rng, truth=dtruth)
        for k, who in enumerate(rumor.debunkers[1:], start=1):
            text = rumor.debunks[min(k, len(rumor.debunks) - 1)]
            self.post(at + rng.randint(180, 1200), OFFICIAL[who], text, dcats, rng,
                      truth=dtruth)
        if rng.random() < 0.7:
            self.post(at + rng.randint(600, 2400), rng.choice(MEDIA),
                      "INTOX | " + first_sentence(rng.choice(rumor.debunks)), dcats, rng,
                      truth=dtruth)
        for _ in range(rng.randint(4, 8)):
            a = self.pool.fresh()
            text = (f"RT {main.handle}: {rumor.debunks[0]}" if a.network == "twitter"
                    else rng.choice(["À partager : ", "Info officielle : ", "👇 "])
                    + rumor.debunks[0])
            self.post(at + rng.uniform(60, 3600), a, text, dcats, rng, raw=True,
                      truth=dtruth, geo=0.0)
        for text in rumor.rebuttals:
            self.post(at + rng.uniform(300, 5400), self.pool.pick(), text, dcats, rng,
                      truth=dtruth, location=rumor.places[0])

    def citizens(self) -> None:
        rng = self.stream(6)
        jobs: list[tuple[str, str, Callable[[dict[str, str], random.Random, set[str]],
                                            tuple]]] = [
            ("help", "help", lambda s, r, ok: (*help_request(r, s), "help")),
            ("infra", "infra", lambda s, r, ok: self._bank(INFRA, "infrastructure", s, r, ok)),
            ("evac", "evac", lambda s, r, ok: self._bank(EVAC, "evacuation_shelter", s, r, ok)),
            ("caution", "caution", lambda s, r, ok: self._bank(CAUTION_CIT, "caution_advice", s,
                                                               r, ok, "warn")),
            ("solidarity", "solidarity", lambda s, r, ok: self._bank(SOLIDARITY, "solidarity",
                                                                     s, r, ok, "kind")),
            ("sympathy", "sympathy", lambda s, r, ok: self._bank(SYMPATHY, "sympathy", s, r, ok,
                                                                 "kind")),
            ("observe", "observe", lambda s, r, ok: self._bank(OBSERVE, "other_relevant", s, r,
                                                               ok)),
            ("casualty", "casualty", lambda s, r, ok: self._bank(CASUALTY, "casualties", s, r,
                                                                 ok, "help")),
            ("roads", "roads", lambda s, r, ok: self._bank(ROAD_GENERAL, "roads_traffic", s, r,
                                                           ok, "warn")),
        ]
        for count_key, prof, make in jobs:
            for _ in range(COUNTS[count_key]):
                t = self.sample_time(prof, rng)
                name = self.pick_place(t, rng)
                s = self.slots(name, rng)
                text, cats, mood = make(s, rng, self.phases_at(t, name))
                if count_key == "help":
                    cats, mood = ("help_request", *cats), "help"
                self.post(t, self.pool.pick(), fill(text, s), cats, rng, location=name,
                          mood=mood)
        for _ in range(COUNTS["observe_dijon"]):
            t = self.sample_time("observe", rng)
            s = self.slots("Dijon", rng)
            tm = choose(OBSERVE_DIJON, s, rng, self.phases_at(t, "Dijon"))
            self.post(t, self.pool.pick(), fill(tm.text, s), ("other_relevant", *tm.cats), rng,
                      location="Dijon")
        for _ in range(COUNTS["help_noplace"]):
            t = self.sample_time("help", rng)
            name = self.pick_place(t, rng)
            s = self.slots(name, rng)
            self.post(t, self.pool.pick(), fill(rng.choice(HELP_NOPLACE), s), ("help_request",),
                      rng, location=name, mood="help", geo=0.6, places=[])
        for tm in ENGLISH:
            t = self.sample_time("english", rng)
            author = self.pool.fresh(style="clean")
            text = fill(tm.text, {"link": link(rng)})
            named = self.places_named(text)
            self.post(t, author, text, tm.cats, rng, lang="en",
                      location=named[0] if named else None)

    def phases_at(self, t: float, name: str) -> set[str]:
        place = PLACE_BY_NAME.get(name)
        return phases(t / H, place.peak_h if place else None)

    def _bank(self, bank: list[T], cat: str, s: dict[str, str], rng: random.Random,
              ok: set[str], mood: str = "neutral") -> tuple[str, tuple[str, ...], str]:
        tm = choose(bank, s, rng, ok)
        return tm.text, (cat, *tm.cats), mood

    def noise(self) -> None:
        rng = self.stream(7)
        for i in range(COUNTS["noise_fr"]):
            t = self.sample_time("noise", rng)
            text = NOISE_FR[i % len(NOISE_FR)] if i < len(NOISE_FR) else rng.choice(NOISE_FR)
            self.post(t, self.pool.pick(), fill(text, {"link": link(rng)}), ("not_relevant",),
                      rng, mood="noise", places=[])
        for text in NOISE_EN + rng.sample(NOISE_EN, COUNTS["noise_en"] - len(NOISE_EN)):
            t = self.sample_time("noise", rng)
            self.post(t, self.pool.fresh(style="clean"), text, ("not_relevant",), rng,
                      lang="en", places=[])

    # --- output ----------------------------------------------------------------------------

    def lines(self) -> list[dict]:
        type_rank = {"alert": 0, "road_event": 1, "post": 2}
        body = self.others + self.posts
        order = sorted(range(len(body)),
                       key=lambda i: (body[i]["at"], type_rank[body[i]["type"]], i))
        out: list[dict] = [HEADER]
        n = 0
        for i in order:
            rec = body[i]
            if rec["type"] == "post":
                n += 1
                rec = {"type": "post", "at": rec["at"], "id": f"p{n:05d}",
                       **{k: v for k, v in rec.items() if k not in ("type", "at")}}
            out.append(rec)
        return out


_OPERATOR_KEY = {"@CD21_Routes": "routes", "@VilleDeDijon": "dijon", "@DIRCentreEst": "dirce",
                 "@APRR": "aprr"}


def write(lines: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as f:
        for rec in lines:
            f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSONL path")
    ap.add_argument("--communes", type=Path, default=DEFAULT_COMMUNES,
                    help="Côte-d'Or commune extract (CSV)")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    lines = Story(args.seed, load_communes(args.communes)).build()
    write(lines, args.out)
    kinds: dict[str, int] = {}
    for rec in lines:
        kinds[rec["type"]] = kinds.get(rec["type"], 0) + 1
    print(f"{args.out}: " + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
