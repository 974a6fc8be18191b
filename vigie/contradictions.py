"""Posts that contradict the official road data, flagged for verification.

A post says a road is cut ("la D905 est coupée à Genlis", "ça ne passe plus sur la D970")
where Vigie's road events say it is open, or says it reopened ("D905 rouverte") where a
closure is in effect. Such a post is not wrong by definition: citizens often see a
closure before the feed has it. It is flagged so that a volunteer checks it.

Reading a post (`road_claims`), pure:
- the text is cut into sentences; questions ("est-elle encore praticable ?", "quelqu'un
  sait si...") and hypotheticals ("si", "risque de", "va être") say nothing;
- each cut/open wording is tied to the road named just before it in its sentence (or
  just after it for wordings that come first: "fermeture de la D905", "gendarmes qui
  bloquent la D33"), and to the roads listed with that one ("la D905 et la D970 sont
  coupées");
- a negation flips it ("n'est plus coupée" is open, "toujours pas rouverte" is cut);
- when a post says both for one road, the last wording wins ("coupée ce matin, rouverte
  depuis 14 h").

Comparing with the road data (`compare`), pure: only closures (`event_type` closure) in
effect at the post's time make a road "closed"; a restriction, works or a detour leave it
open. When the post names communes or carries a point, only events at those places count
(the event's commune, its description, or within a few kilometres of its line).
A road the data has never heard of is still "open" for the data: that is the case a
volunteer most needs to see (a new closure, or a false alarm). Nothing is compared when
Vigie has no road data at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from vigie.geometry import clean_geometry
from vigie.road_events import live_status, parse_time
from vigie.roads import extract_roads, fold_keep_length, road_mentions

CLOSED, OPEN, LANE = "closed", "open", "lane"
NEAR_KM = 4.0
_MAX_GAP = 60       # characters between a road and a wording that follows it
_MAX_GAP_MASC = 14  # ...when the wording is masculine ("coupé"), which may be about anything
_MAX_LEAD = 40      # characters between a leading wording ("fermeture de") and its road

# (regex on folded text, state, kind). Kinds: "adj" follows its road (feminine: the road is
# "la D905"), "masc" follows it closely (masculine forms may be about anything), "reopen"
# follows its road even past another wording ("coupée ce matin, rouverte depuis 14 h"),
# "lead" comes before its road, "any" either way.
_W = r"(?<![a-z0-9])"
_E = r"(?![a-z0-9])"
_WORDINGS: list[tuple[str, str, str]] = [
    # Phrases first: they contain words the single-word patterns would misread.
    # A closed or blocked lane leaves the road open: read, then ignored.
    (rf"{_W}(?:une |la |les |deux )?voies? (?:de (?:droite|gauche) |lente |rapide )?"
     rf"(?:fermee|neutralisee|bloquee|coupee)s?{_E}", LANE, "any"),
    (rf"{_W}(?:lane|lanes) (?:closed|blocked){_E}", LANE, "any"),
    (rf"{_W}(?:ca |ne |n')?passe (?:plus|pas){_E}", CLOSED, "any"),
    (rf"{_W}(?:plus|pas|jamais) (?:du tout )?(?:praticable|accessible|ouverte)s?{_E}",
     CLOSED, "adj"),
    (rf"{_W}(?:toujours|encore) pas (?:re-?)?(?:r?ouverte|accessible|praticable)s?{_E}",
     CLOSED, "reopen"),
    (rf"{_W}pas encore (?:re-?)?(?:r?ouverte|reouverte|accessible|praticable)s?{_E}",
     CLOSED, "reopen"),
    (rf"{_W}(?:n'est |ne sont |n’est )?(?:plus|pas) (?:coupee|fermee|barree|bloquee|inondee)s?"
     rf"{_E}", OPEN, "reopen"),
    (rf"{_W}sous (?:l'|l’|les )eaux?{_E}", CLOSED, "adj"),
    (rf"{_W}circulation (?:interdite|impossible|coupee|interrompue){_E}", CLOSED, "any"),
    (rf"{_W}(?:circulation|trafic) (?:retablie?|normale|reprise|a nouveau possible){_E}",
     OPEN, "reopen"),
    (rf"{_W}(?:de nouveau|a nouveau|enfin) (?:ouverte|praticable|accessible|libre)s?{_E}",
     OPEN, "reopen"),
    (rf"{_W}ca (?:passe|circule|roule)(?! (?:plus|pas))(?:[ ,!.]|$)", OPEN, "any"),
    (rf"{_W}(?:fermeture|coupure|interdiction|barrage routier) (?:totale )?(?:de |du |d')",
     CLOSED, "lead"),
    (rf"{_W}(?:reouverture|re-ouverture|ouverture) (?:de |du |d')", OPEN, "lead"),
    (rf"{_W}(?:bloquent|bloque|barrent|ferment|coupent) (?:la |le |l'|les |l’)", CLOSED, "lead"),
    (rf"{_W}barrieres? (?:sur|en travers de) (?:la |le |l')", CLOSED, "lead"),
    (rf"{_W}ne prenez pas (?:la |le |l')", CLOSED, "lead"),
    (rf"{_W}(?:road|route) (?:is )?(?:closed|blocked|flooded|shut){_E}", CLOSED, "any"),
    (rf"{_W}(?:reopened|open again|back open){_E}", OPEN, "reopen"),
    (rf"{_W}(?:is open|now open){_E}", OPEN, "adj"),
    (rf"{_W}(?:closed|blocked|impassable|flooded|cut off|shut){_E}", CLOSED, "adj"),
    # Single words.
    (rf"{_W}(?:coupee|fermee|barree|obstruee|submergee|inondee|interdite|bloquee)s?{_E}",
     CLOSED, "adj"),
    (rf"{_W}(?:impraticable|infranchissable|inaccessible)s?{_E}", CLOSED, "adj"),
    (rf"{_W}(?:coupe|ferme|barre|inonde|submerge|bloque)s?{_E}", CLOSED, "masc"),
    (rf"{_W}(?:rouverte|reouverte|re-ouverte|retablie)s?{_E}", OPEN, "reopen"),
    (rf"{_W}(?:ouverte|praticable|degagee|accessible)s?{_E}", OPEN, "adj"),
    (rf"{_W}(?:rouvert|reouvert|re-ouvert|degage)s?{_E}", OPEN, "masc"),
    (rf"{_W}(?:rouvre|reouvre)(?:nt)?{_E}", OPEN, "any"),
]
_COMPILED = [(re.compile(p), state, kind) for p, state, kind in _WORDINGS]
# "de plus en plus inondée" is no negation: blanked (same length) before reading.
_NOT_NEGATION = re.compile(r"(?:de )?plus en plus|en plus|de plus|non plus|pas mal")
_NEGATION = re.compile(r"(?<![a-z])(?:pas|plus|jamais|non|not|no longer|isn't|aren't)\s+"
                       r"(?:\S+\s+){0,2}$")
_NEGATION_WORD = re.compile(r"(?<![a-z])(?:pas|plus|jamais|not)(?![a-z])")
_QUESTION = re.compile(
    r"(?<![a-z])(?:quelqu'un sait|quelqu’un sait|qqn sait|savez-vous|vous savez si|"
    r"sait si|est-ce que|est-ce qu'|est-elle|est-il|sont-elles|do you know|anyone know|"
    r"is the|does anyone)(?![a-z])")
_HYPOTHETICAL = re.compile(
    r"(?<![a-z])(?:si|s'il|s'ils|risque|risquent|pourrait|pourraient|devrait|devraient|"
    r"va etre|vont etre|sera|seront|might|may be|could|will be)(?![a-z])")
_SENTENCE = re.compile(r"[^.!?…\n]+(?:[.!?…\n]+|$)")
_ABBREV = re.compile(r"\b([RV])\.\s?([DNMC])\.")  # "R.D. 905" must not end a sentence
_LIST_JOIN = re.compile(r"^\s*(?:,|;|/|&|et|ou|and|or|puis)?\s*(?:la|le|les|l'|l’)?\s*$")


@dataclass(frozen=True)
class RoadClaim:
    """What a post says about one road: `state` closed or open, in these `words`."""

    road: str
    state: str
    words: str


@dataclass
class Verdict:
    """The road data's answer for one claim, and whether it contradicts the post."""

    road: str
    post_says: str
    feed_says: str
    words: str
    event_id: str | None = None        # the closure in effect, or the last one reopened
    event: dict[str, Any] | None = None
    elsewhere: list[str] = field(default_factory=list)  # communes closed on that road
    place: str | None = None

    @property
    def contradicts(self) -> bool:
        return self.post_says != self.feed_says


# ------------------------------------------------------------------------ reading a post


def _sentences(text: str) -> list[tuple[int, int]]:
    masked = _ABBREV.sub(lambda m: f"{m[1]} {m[2]} ", text)
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(masked)]


def _wordings(folded: str) -> list[tuple[int, int, str, str]]:
    """(start, end, state, kind) of every cut/open wording, longest phrases first."""
    taken: list[tuple[int, int]] = []
    found = []
    for pattern, state, kind in _COMPILED:
        for m in pattern.finditer(folded):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            negated = _NEGATION.search(folded[max(0, start - 24):start])
            if kind != "lead" and state != LANE and negated and not _NEGATION_WORD.search(m[0]):
                state = OPEN if state == CLOSED else CLOSED
            found.append((start, end, state, kind))
    return sorted(found)


def _listed_with(mentions: list[tuple[int, int, str]], index: int, sentence: str) -> list[str]:
    """The road at `index` and the roads listed just before it ("la D905 et la D970")."""
    roads = [mentions[index][2]]
    i = index
    while i > 0 and _LIST_JOIN.match(sentence[mentions[i - 1][1]:mentions[i][0]]):
        i -= 1
        roads.insert(0, mentions[i][2])
    return roads


def _attach(mentions: list[tuple[int, int, str]], wordings: list[tuple[int, int, str, str]],
            index: int, sentence: str) -> list[str]:
    """The roads wording `index` is about (see the module doc), maybe none."""
    start, end, _state, kind = wordings[index]
    before = [i for i, m in enumerate(mentions) if m[1] <= start]
    if kind != "lead" and before:
        road_end = mentions[before[-1]][1]
        gap = _MAX_GAP_MASC if kind == "masc" else _MAX_GAP
        between = any(road_end <= w[0] and w[1] <= start for w in wordings[:index])
        if start - road_end <= gap and (kind == "reopen" or not between):
            return _listed_with(mentions, before[-1], sentence)
    after = [i for i, m in enumerate(mentions) if m[0] >= end]
    if kind in ("lead", "any") and after and mentions[after[0]][0] - end <= _MAX_LEAD:
        return [mentions[after[0]][2]]
    return []


def road_claims(text: str | None) -> list[RoadClaim]:
    """What `text` says about each road it names as cut or open (see the module doc)."""
    if not text:
        return []
    claims: dict[str, RoadClaim] = {}
    for s_start, s_end in _sentences(text):
        sentence = text[s_start:s_end]
        folded = fold_keep_length(sentence)
        if "?" in sentence or _QUESTION.search(folded) or _HYPOTHETICAL.search(folded):
            continue
        mentions = road_mentions(sentence)
        if not mentions:
            continue
        folded = _NOT_NEGATION.sub(lambda m: " " * len(m[0]), folded)
        wordings = _wordings(folded)
        for index, (start, end, state, _kind) in enumerate(wordings):
            if state == LANE:
                continue
            for road in _attach(mentions, wordings, index, sentence):
                claims.pop(road, None)  # the last wording about a road wins
                claims[road] = RoadClaim(road, state, sentence[start:end].strip())
    return list(claims.values())


# ------------------------------------------------------------------- the road data's side


def event_roads(event: dict[str, Any]) -> list[str]:
    """The roads an event is about: its `road` field, else the first its description names."""
    return list(_event_roads(event.get("road"), event.get("description")))


@lru_cache(maxsize=8192)
def _event_roads(road: str | None, description: str | None) -> tuple[str, ...]:
    """Remembered: the Roads page compares each of 100 flags with every event on each run."""
    roads = extract_roads(road)
    if not roads:
        roads = extract_roads(description)[:1]
    return tuple(roads)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return 111.2 * math.hypot(lat1 - lat2, (lon1 - lon2) * math.cos(math.radians(lat1)))


def _positions(geometry: Any) -> list[list[float]]:
    geom = clean_geometry(geometry)
    out: list[list[float]] = []
    stack = [geom["coordinates"]] if geom and "coordinates" in geom else []
    while stack:
        item = stack.pop()
        if item and isinstance(item[0], (int, float)):
            out.append(item)
        elif isinstance(item, list):
            stack.extend(item)
    return out


def _folded(text: Any) -> str:
    return fold_keep_length(text).replace("-", " ") if isinstance(text, str) else ""


_LINKS = {"les", "lès", "lez", "sur", "sous", "en", "de", "du", "des", "la", "le", "et", "aux"}


def _head(commune: str) -> str | None:
    """The distinctive first part of a commune's name, as people shorten it:
    "Plombières-lès-Dijon" -> "plombieres"; none for "Saint-..." or short heads."""
    words = _folded(commune).split()
    head = []
    for word in words:
        if word in _LINKS and head:
            break
        head.append(word)
    text = " ".join(head)
    if len(text) < 5 or head[0] in ("saint", "sainte", "st", "ste", "le", "la", "les"):
        return None
    return text


def _names(text: str, name: str) -> bool:
    return bool(name) and re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", text) is not None


def at_places(event: dict[str, Any], places: Sequence[str],
              point: tuple[float, float] | None, text: str | None = None) -> bool:
    """Is the event at one of the communes a post names (or whose shortened name its
    `text` uses: "Plombières" for Plombières-lès-Dijon), or near the post's point?"""
    where = _folded(f"{event.get('commune') or ''} {event.get('description') or ''}")
    if any(_names(where, _folded(place)) for place in places):
        return True
    if text and event.get("commune"):
        folded_text = _folded(text)
        if _names(folded_text, _folded(event["commune"])) or _names(
                folded_text, _head(event["commune"]) or ""):
            return True
    if point:
        vertices = _positions(event.get("geometry"))
        if event.get("lat") is not None and event.get("lon") is not None:
            vertices.append([event["lon"], event["lat"]])
        if any(_km(point[0], point[1], v[1], v[0]) <= NEAR_KM for v in vertices):
            return True
    return False


def compare(claim: RoadClaim, events: Iterable[dict[str, Any]], when: datetime,
            places: Sequence[str] = (), point: tuple[float, float] | None = None,
            text: str | None = None) -> Verdict:
    """What the road data says about `claim.road` at `when`, at the post's places."""
    closures = [e for e in events if e.get("event_type") == "closure"
                and claim.road in event_roads(e)]
    located = bool(places or point)
    here = [e for e in closures if not located or at_places(e, places, point, text)]
    active = [e for e in here if live_status(e, when) == "active"]
    verdict = Verdict(claim.road, claim.state, CLOSED if active else OPEN, claim.words,
                      place=places[0] if places else None)
    if active:
        verdict.event = active[0]
    else:
        ended = [e for e in here if live_status(e, when) == "ended"]
        ended.sort(key=lambda e: e.get("ends_at") or e.get("updated_at") or "")
        verdict.event = ended[-1] if ended else None
        verdict.elsewhere = sorted({e.get("commune") or "?" for e in closures
                                    if e not in here and live_status(e, when) == "active"})
    verdict.event_id = verdict.event.get("id") if verdict.event else None
    return verdict


def check_post(post: dict[str, Any], events: Sequence[dict[str, Any]], when: datetime,
               places: Sequence[str] = ()) -> list[Verdict]:
    """Every contradiction between a post and the road data (empty: none, or no data)."""
    if not events:
        return []
    point = None
    if post.get("lat") is not None and post.get("lon") is not None:
        point = (float(post["lat"]), float(post["lon"]))
    places = [p for p in (*places, post.get("place")) if p]
    out = []
    for claim in road_claims(post.get("text")):
        verdict = compare(claim, events, when, list(dict.fromkeys(places)), point,
                          post.get("text"))
        if verdict.contradicts:
            out.append(verdict)
    return out


# ---------------------------------------------------------------------------- the pipeline


def _named_places(text: str, departements: Sequence[str]) -> tuple[list[str], bool]:
    """Communes the text names inside the area, and whether it names only communes outside
    it (then the post is about somewhere else and is not compared)."""
    from vigie.enrich.places import gazetteer
    from vigie.enrich.text import tokenize

    matches = gazetteer().find(tokenize(text), departements)
    inside = [m.name for m in matches if m.dep in departements]
    return inside, bool(matches) and not inside


def flag_for(post: dict[str, Any], events: Sequence[dict[str, Any]], when: datetime,
             departements: Sequence[str] = ("21",)) -> list[dict[str, Any]]:
    """The post_flags rows for one post (empty when it agrees with the road data)."""
    if not events or not road_claims(post.get("text")):
        return []
    places, elsewhere = _named_places(post.get("text") or "", departements)
    insee = post.get("insee") or ""
    if elsewhere or (insee and not any(insee.startswith(d) for d in departements)):
        return []
    rows = []
    for v in check_post(post, events, when, places):
        rows.append({
            "post_id": post["id"], "kind": "road_contradiction", "road": v.road,
            "post_says": v.post_says, "feed_says": v.feed_says, "event_id": v.event_id,
            "place": v.place, "words": v.words, "incident_id": post.get("incident_id"),
            "detail": {"elsewhere": v.elsewhere,
                       "event": {k: (v.event or {}).get(k) for k in
                                 ("road", "commune", "description", "status", "ends_at",
                                  "updated_at")} if v.event else None},
        })
    return rows


def flag_new_posts(store: Any, post_ids: Sequence[str], now: datetime) -> int:
    """Compare newly stored posts with the road data and store the contradictions.
    Called by the pipeline after each batch; cheap when no post names a road."""
    from datetime import timedelta

    from vigie.models import iso

    posts = store.posts_for_flagging(post_ids)
    posts = [p for p in posts if extract_roads(p.get("text"))]
    if not posts:
        return 0
    events = store.road_events_window(since=iso(now - timedelta(days=2)))
    if not events:
        return 0
    incident = store.active_incident() or {}
    departements = incident.get("departements") or ["21"]
    rows = []
    for post in posts:
        when = min(parse_time(post.get("created_at")) or now, now)
        rows.extend(flag_for(post, events, when, departements))
    return store.add_post_flags(rows) if rows else 0
