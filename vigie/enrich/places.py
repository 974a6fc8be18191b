"""Where a post is: its own geotag, else a French commune named in its text.

The gazetteer is `data/geo/communes_france_2024.csv` (INSEE COG 2024, see PROVENANCE.md),
indexed once per process by the folded words of each name, with and without its article
("le creusot" and "creusot"). Text matching walks the post's tokens once and, at each word that
starts some commune name, tries the longest names first, so "Saint-Jean-de-Losne" wins over
"Losne". "St"/"Ste" read as "Saint"/"Sainte"; hyphens, accents and case do not matter.

False positives are the real risk with 36,000 names, many of them ordinary words, first names
or words of other languages ("Costa", "Estos", "Target"). A name is accepted when:
- it has three letters or more, and is not on the stoplist ("Y", "Eu", "Plus", "Mars");
- if it is an ordinary word ("Pont", "Tours", "Nice", "Orange"; `common_word_communes.txt`), it
  is capitalised and follows a place preposition ("à Tours", "sur Nice", not "à tours de bras");
- if it is short (four letters or fewer), it is capitalised and follows a place preposition or
  at least does not merely start a sentence;
- outside the configured départements, the commune has 20,000 inhabitants or more, or its name
  has three words or more, or a French place preposition precedes it; and a one-word name there
  must not run into another capitalised word ("Costa Rica", "Paris Hilton").
Place prepositions: "à", "au", "sur", "vers", "près", "dans"... count everywhere; "a" without
accent, "en", "in", "at", "to"... only for communes of the configured départements, since they
are also the English article and Spanish, Italian or English prepositions (and for ordinary-word
names only the French ones); "St Joseph" outside the area needs a French preposition.
A name that several communes share goes to one in the configured départements (the largest),
else to the largest in France. A name right after "rue de", "avenue de"... is a street, kept
only when nothing better is found.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from vigie.enrich.text import Tokens, fold, tokenize, wordset

ROOT = Path(__file__).resolve().parents[2]
GEO_DIR = ROOT / "data" / "geo"
DEFAULT_COMMUNES = GEO_DIR / "communes_france_2024.csv"
COMMON_WORDS = GEO_DIR / "common_word_communes.txt"

SAINT = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
ARTICLES = frozenset({"le", "la", "les"})
# Words never taken for a commune on their own, whatever their case.
STOPLIST = wordset(
    "y eu plus mars pont rue sommes ou est son mer bar car bus job don us ver vue our ham lay "
    "ris pas oie val puy lux mus vif ore noe ens sus pis aube juin mai"
)
# Words after which a name is a place: "à Dijon", "sur Dijon", "vers Beaune".
PREPOSITIONS = wordset(
    "à au aux sur vers près pres dans entre depuis jusqu secteur commune ville habitants"
)
# Also place prepositions, but shared with English, Spanish, Italian: crisis area only.
AREA_PREPOSITIONS = wordset("a en in at near around from to")
STREET_WORDS = wordset(
    "rue avenue av bd boulevard route chemin place quai impasse allee cours faubourg "
    "street road"
)
MIN_LETTERS = 3
SHORT = 4
OUT_OF_AREA_MIN_POP = 20000
NEAREST_MAX_KM = 20.0
_CELL = 0.2  # degrees, grid for the nearest-commune look-up

_ELISION_RE = re.compile(r"\b(?:l|d|qu|lorsqu|jusqu|puisqu)['’]")
_WORD_RE = re.compile(r"[^\W_]+")


def name_key(name: str) -> tuple[str, ...]:
    """Fold a commune name into the word tuple that text is matched against."""
    folded = _ELISION_RE.sub(" ", fold(name))
    return tuple(SAINT.get(w, w) for w in _WORD_RE.findall(folded))


@dataclass(frozen=True, slots=True)
class Commune:
    insee: str
    name: str  # with its article: "Le Creusot"
    dep: str
    lat: float
    lon: float
    population: int
    kind: str  # COM, COMD (commune déléguée)


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    name: str
    insee: str | None
    dep: str | None
    lat: float | None
    lon: float | None
    precision: str  # exact | commune
    words: str = ""  # the words of the post that named it
    score: float = 0.0


def _int(value: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        return 0


class Gazetteer:
    """Commune names indexed by their folded words; build once, look up in O(tokens)."""

    def __init__(self, rows: Iterable[dict[str, str]], common_words: Iterable[str] = ()):
        self.names: dict[tuple[str, ...], list[Commune]] = {}
        self.lengths: dict[str, tuple[int, ...]] = {}
        self.by_insee: dict[str, Commune] = {}
        self.common = frozenset(common_words)
        self._grid: dict[tuple[int, int], list[Commune]] = {}
        rows = list(rows)
        rows = [r for r in rows if r.get("commune_type", "COM") in ("COM", "COMD")] + _cities(rows)
        dep_of = {r["insee_com"]: r["insee_dep"] for r in rows if r.get("insee_dep")}
        lengths: dict[str, set[int]] = {}
        for r in rows:
            if not r.get("lat") or not r.get("lng"):
                continue
            dep = r.get("insee_dep") or dep_of.get(r.get("insee_parente") or "", "")
            c = Commune(
                insee=r["insee_com"],
                name=r.get("commune_article") or r["commune"],
                dep=dep,
                lat=float(r["lat"]),
                lon=float(r["lng"]),
                population=_int(r.get("population_2021") or "0"),
                kind=r.get("commune_type", "COM"),
            )
            if c.kind == "COM" or c.insee not in self.by_insee:
                self.by_insee[c.insee] = c
            self._grid.setdefault(self._cell(c.lat, c.lon), []).append(c)
            for key in {name_key(r["commune"]), name_key(c.name)}:
                if not key:
                    continue
                self.names.setdefault(key, []).append(c)
                lengths.setdefault(key[0], set()).add(len(key))
        self.lengths = {w: tuple(sorted(ls, reverse=True)) for w, ls in lengths.items()}

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return (int(math.floor(lat / _CELL)), int(math.floor(lon / _CELL)))

    # -- resolution -------------------------------------------------------------------------

    @staticmethod
    def resolve(communes: Sequence[Commune], departements: Sequence[str]) -> tuple[Commune, bool]:
        """The commune a shared name most likely means, and whether it is in the area."""
        area = [c for c in communes if c.dep in departements]
        pool = area or communes
        best = max(pool, key=lambda c: (c.kind == "COM", c.population))
        return best, bool(area)

    def _acceptable(
        self, key, commune, in_area, i, tokens: Tokens, ptoks, prep: bool, prep_fr: bool
    ) -> bool:
        """`prep`: a place preposition precedes; `prep_fr`: a French one ("à", "sur", "a")."""
        core_idx = i + 1 if len(key) == 2 and key[0] in ARTICLES else i
        core = ptoks[core_idx]
        single = len(key) == 1 or core_idx != i
        end = i + len(key)
        if single:
            if len(core) < MIN_LETTERS or core in STOPLIST:
                return False
            if core in self.common and not (prep_fr and (tokens.cap[i] or tokens.cap[core_idx])):
                return False  # "le pont", "dans le quartier", "Vigilance Orange"
            if len(core) <= SHORT:
                if not (tokens.cap[core_idx] or tokens.hashtag[core_idx]):
                    return False
                if tokens.initial[i] and not prep and not tokens.hashtag[i]:
                    return False
            if not in_area and end < len(ptoks) and tokens.cap[end] and not tokens.hashtag[end]:
                return False  # part of a longer foreign name: "Costa Rica"
        if not in_area:
            if tokens.norm[i] in SAINT:  # "St Joseph" in English is rarely a French commune
                return prep
            return commune.population >= OUT_OF_AREA_MIN_POP or len(key) >= 3 or prep
        return True

    def find(self, tokens: Tokens, departements: Sequence[str] = ("21",)) -> list[PlaceMatch]:
        """Every commune named in the text, best first."""
        ptoks = [SAINT.get(w, w) for w in tokens.norm]
        n = len(ptoks)
        found: list[tuple[float, int, PlaceMatch]] = []
        i = 0
        while i < n:
            lens = self.lengths.get(ptoks[i])
            step = 1
            if lens:
                prev = ptoks[i - 1] if i else ""
                prep = i > 0 and tokens.raw[i - 1] in PREPOSITIONS
                area_prep = prep or prev in AREA_PREPOSITIONS
                area_prep_fr = prep or prev in ("a", "en")
                street = (prev in ("de", "du", "des") and i >= 2
                          and ptoks[i - 2] in STREET_WORDS) or prev in STREET_WORDS
                for length in lens:
                    if i + length > n:
                        continue
                    key = tuple(ptoks[i : i + length])
                    communes = self.names.get(key)
                    if not communes:
                        continue
                    commune, in_area = self.resolve(communes, departements)
                    here = area_prep if in_area else prep
                    here_fr = area_prep_fr if in_area else prep
                    if not self._acceptable(key, commune, in_area, i, tokens, ptoks, here,
                                            here_fr):
                        continue
                    score = 4.0 * in_area + 2.0 * here + 0.5 * (length - 1) - 5.0 * street
                    score += min(commune.population, 1_000_000) / 1_000_000
                    words = " ".join(tokens.raw[i : i + length])
                    found.append((score, i, PlaceMatch(
                        commune.name, commune.insee, commune.dep, commune.lat, commune.lon,
                        "commune", words, round(score, 3))))
                    step = length
                    break
            i += step
        found.sort(key=lambda t: (-t[0], t[1]))
        seen: set[str | None] = set()
        out: list[PlaceMatch] = []
        for _, _, m in found:
            if m.insee not in seen:
                seen.add(m.insee)
                out.append(m)
        return out

    def nearest(self, lat: float, lon: float, max_km: float = NEAREST_MAX_KM) -> Commune | None:
        """The commune whose centre is closest to a point, within `max_km`."""
        ci, cj = self._cell(lat, lon)
        best: Commune | None = None
        best_d = max_km
        coslat = math.cos(math.radians(lat))
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for c in self._grid.get((ci + di, cj + dj), ()):
                    d = 111.2 * math.hypot(c.lat - lat, (c.lon - lon) * coslat)
                    if d < best_d:
                        best, best_d = c, d
        return best


_ARM_RE = re.compile(r"^(.*?) \d+(?:er|e) Arrondissement$")


def _cities(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Paris, Lyon and Marseille appear only as arrondissements (ARM) in the CSV: rebuild each
    city as one commune (its INSEE code, summed population, population-weighted centre)."""
    groups: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        if r.get("commune_type") == "ARM" and r.get("insee_parente") and r.get("lat"):
            groups.setdefault(r["insee_parente"], []).append(r)
    out = []
    for code, arms in groups.items():
        m = _ARM_RE.match(arms[0]["commune"])
        if not m:
            continue
        pops = [max(_int(a.get("population_2021") or "0"), 1) for a in arms]
        total = sum(pops)
        lat = sum(float(a["lat"]) * p for a, p in zip(arms, pops, strict=True)) / total
        lon = sum(float(a["lng"]) * p for a, p in zip(arms, pops, strict=True)) / total
        out.append({
            "insee_com": code, "insee_dep": arms[0]["insee_dep"], "commune": m.group(1),
            "commune_article": m.group(1), "commune_type": "COM", "lat": f"{lat:.5f}",
            "lng": f"{lon:.5f}", "population_2021": str(total), "insee_parente": "",
        })
    return out


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_common_words(path: Path = COMMON_WORDS) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.startswith("#")]


@cache
def gazetteer(path: Path = DEFAULT_COMMUNES) -> Gazetteer:
    """The process-wide gazetteer (loaded on first use, about half a second)."""
    return Gazetteer(read_rows(path), read_common_words())


def locate(
    tokens: Tokens,
    *,
    lat: float | None = None,
    lon: float | None = None,
    place: str | None = None,
    departements: Sequence[str] = ("21",),
    gaz: Gazetteer | None = None,
) -> PlaceMatch | None:
    """The post's geotag first (precision "exact"), else a commune named in its place field
    or its text (precision "commune"), else None."""
    gaz = gaz or gazetteer()
    if lat is not None and lon is not None:
        near = gaz.nearest(lat, lon)
        name = place or (near.name if near else "")
        return PlaceMatch(
            name, near.insee if near else None, near.dep if near else None, lat, lon, "exact",
            "géolocalisation", 10.0)
    if place:
        hits = gaz.find(tokenize("à " + place), departements)
        if hits:
            return hits[0]
    hits = gaz.find(tokens, departements)
    return hits[0] if hits else None
