"""Road-event logic shared by the road collectors, the store and the map pages.

Pure functions only: the status of an event at a given time (with CIFS-like weekly
schedules read in Europe/Paris time), French road references and PR notation, the
event kind guessed from French or English wording, and the map style of each kind.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from vigie.geometry import representative_point
from vigie.models import RoadEvent

__all__ = [
    "EVENT_TYPES",
    "WEEKDAYS",
    "canonical_road",
    "event_label",
    "event_style",
    "extract_road",
    "extract_roads",
    "guess_event_type",
    "normalise_direction",
    "normalise_pr",
    "normalise_schedule",
    "normalise_text",
    "representative_point",
    "road_mentions",
    "schedule_windows",
    "status_at",
]

EVENT_TYPES = ("closure", "restriction", "works", "incident", "detour")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LOCAL_TZ = "Europe/Paris"

_DAY_ALIASES = {
    **{day: day for day in WEEKDAYS},
    "everyday": "everyday",
    "daily": "everyday",
    "lundi": "monday",
    "mardi": "tuesday",
    "mercredi": "wednesday",
    "jeudi": "thursday",
    "vendredi": "friday",
    "samedi": "saturday",
    "dimanche": "sunday",
    "tous les jours": "everyday",
}

# ---------------------------------------------------------------- status and schedules

_TIME = r"(\d{1,2})[:hH](\d{2})(?::\d{2})?"
_WINDOW = re.compile(rf"^\s*{_TIME}\s*-\s*{_TIME}\s*$")


def _window_minutes(text: str) -> tuple[int, int] | None:
    match = _WINDOW.match(text)
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        return None
    return h1 * 60 + m1, h2 * 60 + m2


def schedule_windows(text: Any) -> list[str]:
    """"12:00-14:00,19:00-21:00" (or a list of such) -> ["12:00-14:00", "19:00-21:00"].

    Unreadable windows are dropped. "8h00-10h00" and "08:00:00-10:00:00" are accepted.
    """
    items = text if isinstance(text, list) else [text]
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            continue
        for piece in re.split(r"[,;]", item):
            minutes = _window_minutes(piece)
            if minutes:
                (s, e) = minutes
                window = f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}"
                if window not in out:
                    out.append(window)
    return out


def normalise_schedule(schedule: Any) -> dict[str, list[str]]:
    """Keep the readable part of a weekly schedule: {day or "everyday": [windows]}.

    Day names may be English (as in CIFS) or French; window values may be strings with
    commas or lists. Returns {} when nothing is usable.
    """
    if not isinstance(schedule, dict):
        return {}
    out: dict[str, list[str]] = {}
    for key, value in schedule.items():
        day = _DAY_ALIASES.get(str(key).strip().lower())
        windows = schedule_windows(value)
        if day and windows:
            out.setdefault(day, [])
            out[day].extend(w for w in windows if w not in out[day])
    return out


def _day_windows(schedule: dict[str, list[str]], day: str) -> list[tuple[int, int]]:
    texts = schedule.get(day, []) + schedule.get("everyday", [])
    return [m for m in (_window_minutes(t) for t in texts) if m]


def in_schedule(schedule: dict[str, list[str]], now: datetime, tz: str = LOCAL_TZ) -> bool:
    """Is `now` inside one of the weekly windows, read in local time `tz`?

    A window whose end is not after its start ("22:00-06:00") runs past midnight into
    the next day; "00:00-00:00" and "00:00-24:00" are the whole day.
    """
    local = now.astimezone(ZoneInfo(tz))
    minute = local.hour * 60 + local.minute
    today = WEEKDAYS[local.weekday()]
    yesterday = WEEKDAYS[(local.weekday() - 1) % 7]
    for start, end in _day_windows(schedule, today):
        if start < end and start <= minute < end:
            return True
        if start >= end and minute >= start:
            return True
    return any(
        start >= end and minute < end for start, end in _day_windows(schedule, yesterday)
    )


def _field(event: RoadEvent | dict[str, Any], name: str) -> Any:
    return event.get(name) if isinstance(event, dict) else getattr(event, name, None)


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def status_at(event: RoadEvent | dict[str, Any], now: datetime, tz: str = LOCAL_TZ) -> str:
    """"planned", "active" or "ended" for an event at time `now`.

    Before starts_at: planned. At or after ends_at: ended. In between, an event with a
    weekly schedule is active only inside its windows (local time `tz`, Europe/Paris by
    default) and planned between them; without a usable schedule it is active.
    Unreadable times are ignored (an event with none at all is active).
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    start = _as_datetime(_field(event, "starts_at"))
    end = _as_datetime(_field(event, "ends_at"))
    if end is not None and now >= end:
        return "ended"
    if start is not None and now < start:
        return "planned"
    schedule = normalise_schedule(_field(event, "schedule"))
    if schedule and not in_schedule(schedule, now, tz):
        return "planned"
    return "active"


# ----------------------------------------------------------------------- text helpers

_SPACES = re.compile(r"\s+")
_PR = re.compile(r"\bPR\s*(\d+)\s*\+\s*(\d+)", re.IGNORECASE)


def normalise_text(text: Any) -> str | None:
    """Collapse runs of whitespace (also non-breaking), tidy brackets; None when empty."""
    if not isinstance(text, str):
        return None
    cleaned = _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()
    cleaned = cleaned.replace("( ", "(").replace(" )", ")")
    return cleaned or None


def normalise_pr(text: Any) -> str | None:
    """Readable French PR (point de repère) notation with tidy whitespace.

    "D911 du PR 4+0800  au PR 5+0200    (ENTRELACS)" -> "D911 du PR 4+0800 au PR 5+0200
    (ENTRELACS)"; "DU PR7 +779" -> "DU PR 7+779". The distances are kept as written.
    """
    cleaned = normalise_text(text)
    if cleaned is None:
        return None
    return _PR.sub(lambda m: f"PR {m.group(1)}+{m.group(2)}", cleaned)


def _fold(text: str) -> str:
    """Lower case without accents, so that "fermée", "FERMEE" and "fermee" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Long French forms: "route départementale 3", "Routes Départementales N° 3-93",
# "nationale 7", "autoroute A6", "route métropolitaine 12", "voie communale 5".
_NUM = r"(?:n[°o]\.?\s*)?(\d{1,4}[a-z]?)(?![\w])"
_LONG_FORMS = [
    ("D", rf"\b(?:routes?\s+|chemins?\s+)?departementa(?:le|l|les|ux)\s*{_NUM}"),
    ("N", rf"\b(?:routes?\s+)?nationales?\s*{_NUM}"),
    ("A", rf"\bautoroutes?\s*(?:a\s*)?{_NUM}"),
    ("M", rf"\b(?:routes?\s+)?metropolitaines?\s*{_NUM}"),
    ("C", rf"\b(?:voies?|chemins?)\s+communa(?:le|l|les|ux)\s*{_NUM}"),
]
# Every long form holds one of these words: a text without any skips the five patterns.
_LONG_HINT = re.compile(r"departementa|nationale|autoroute|metropolitaine|communa")
_DIGIT = re.compile(r"\d")
# Short forms, upper case only so that ordinary words never match: D911, RD 905, R.D. 905,
# N7, RN 7, A38, M383, RM 7, C3, VC 3.
_SHORT = re.compile(
    r"(?<![\w])(?:(R)\.?\s?([DNM])|(V)\.?\s?(C)|([DNAMC]))\.?\s?(\d{1,4})([A-Z]|[a-z](?![a-z]))?(?![\w])"
)


class _KeepLengthFold(dict):
    """str.translate table: each character to its lower-case accent-free form when that is
    one character (else its lower case when one character, else itself). Filled on first
    sight of each character, so a text costs one C-level pass instead of a Unicode
    decomposition per character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        low = ch.lower()
        base = "".join(c for c in unicodedata.normalize("NFKD", low)
                       if not unicodedata.combining(c))
        out = self[code] = base if len(base) == 1 else (low if len(low) == 1 else ch)
        return out


_KEEP_LENGTH = _KeepLengthFold()


def fold_keep_length(text: str) -> str:
    """Like `_fold` (lower case, no accents) but one character out for one in, so that
    positions found in the folded text are positions in the original."""
    return text.translate(_KEEP_LENGTH)


def road_mentions(text: Any) -> list[tuple[int, int, str]]:
    """Every French road reference in `text` as (start, end, canonical road), in order.

    Positions are those of the original text, so callers can read the words around a
    mention (the contradiction check does)."""
    if not isinstance(text, str) or not text:
        return []
    folded = fold_keep_length(text)
    if not (_DIGIT.search(folded) or _DIGIT.search(text)):
        return []  # every form has a number: most posts are done here
    found: list[tuple[int, int, str]] = []
    for prefix, pattern in _LONG_FORMS if _LONG_HINT.search(folded) else ():
        for match in re.finditer(pattern, folded):
            number = re.match(r"(\d+)([a-z]?)", match.group(1))
            if number:
                found.append((match.start(), match.end(),
                              f"{prefix}{int(number[1])}{number[2].upper()}"))
    for match in _SHORT.finditer(text):
        letter = match.group(2) or ("C" if match.group(3) else match.group(5))
        suffix = (match.group(7) or "").upper()
        found.append((match.start(), match.end(), f"{letter}{int(match.group(6))}{suffix}"))
    found.sort()
    out: list[tuple[int, int, str]] = []
    for start, end, road in found:  # a long form and a short form may overlap: keep one
        if out and start < out[-1][1]:
            continue
        out.append((start, end, road))
    return out


def extract_roads(text: Any) -> list[str]:
    """Every French road reference in `text`, canonical ("D905", "N7", "A38"), in order."""
    out: list[str] = []
    for _, _, road in road_mentions(text):
        if road not in out:
            out.append(road)
    return out


def canonical_road(text: Any) -> str | None:
    """A road name as given, or its canonical reference when it is nothing else.

    "RD 971" -> "D971", "route départementale 3" -> "D3"; "Rue Claude Monet" and
    "D911 du PR 4+0800 ..." are only tidied (whitespace, PR notation).
    """
    cleaned = normalise_pr(text)
    roads = extract_roads(cleaned)
    if cleaned is None or len(roads) != 1:
        return cleaned
    rest = _fold(cleaned)
    for _, pattern in _LONG_FORMS:
        rest = re.sub(pattern, " ", rest)
    rest = re.sub(_SHORT.pattern, " ", rest, flags=re.IGNORECASE)
    return roads[0] if not re.search(r"[a-z]{3,}|\d", rest) else cleaned


def extract_road(text: Any) -> str | None:
    """The first French road reference in `text` ("RD 905" -> "D905"), or None."""
    roads = extract_roads(text)
    return roads[0] if roads else None


_DIRECTIONS = {
    "both": "both",
    "bothways": "both",
    "both_directions": "both",
    "les_deux_sens": "both",
    "deux_sens": "both",
    "double_sens": "both",
    "alldirections": "both",
    "one_direction": "one_direction",
    "northbound": "northbound",
    "southbound": "southbound",
    "eastbound": "eastbound",
    "westbound": "westbound",
}


def normalise_direction(value: Any) -> str | None:
    """One vocabulary for directions: "both", "one_direction", "northbound"..., else as given."""
    text = normalise_text(value if isinstance(value, str) else None)
    if text is None:
        return None
    key = text.lower().replace(" ", "_").replace("-", "_")
    return _DIRECTIONS.get(key, _DIRECTIONS.get(key.replace("_", ""), text))


# Checked in this order: a lane closure is a restriction, not a closure; a closure
# that mentions its detour is still a closure.
_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("restriction", ("fermeture de voie", "voie fermee", "voies fermees", "neutralisation de voie",
                     "voie neutralisee", "lane closed", "lanes closed", "lane closure")),
    ("closure", ("fermeture", "ferme", "fermee", "barre", "barree", "coupe", "coupee",
                 "circulation interdite", "interdiction de circuler", "interruption de circulation",
                 "road closed", "road_closed", "closure", "closed")),
    ("detour", ("deviation", "devie", "detour", "itineraire de substitution")),
    ("restriction", ("alternat", "restriction", "limitation", "retrecissement", "interdiction",
                     "vitesse", "stationnement", "tonnage", "gabarit", "basculement",
                     "circulation alternee", "restricted")),
    ("incident", ("accident", "incident", "obstacle", "inondation", "inonde", "eboulement",
                  "glissement", "chute d'arbre", "arbre tombe", "verglas", "neige", "crue",
                  "flood", "hazard", "debris")),
    ("works", ("travaux", "chantier", "entretien", "refection", "enrobe", "works", "roadwork",
               "maintenance", "construction", "work-zone", "work zone")),
]


def guess_event_type(text: Any) -> str | None:
    """Guess closure/restriction/works/incident/detour from French or English wording."""
    if not isinstance(text, str) or not text.strip():
        return None
    folded = _fold(text)
    for event_type, words in _KEYWORDS:
        for word in words:
            if re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", folded):
                return event_type
    return None


# ------------------------------------------------------------------------------- style

_STYLES: dict[str, dict[str, Any]] = {
    "closure": {"color": [215, 25, 28], "width": 6, "dash": None, "label": "Fermeture"},
    "restriction": {"color": [245, 124, 0], "width": 5, "dash": None, "label": "Restriction"},
    "works": {"color": [255, 193, 7], "width": 5, "dash": None, "label": "Travaux"},
    "incident": {"color": [123, 31, 162], "width": 5, "dash": None, "label": "Incident"},
    "detour": {"color": [30, 136, 229], "width": 4, "dash": [8, 6], "label": "Déviation"},
}
_UNKNOWN_STYLE = {"color": [117, 117, 117], "width": 4, "dash": None, "label": "Autre"}


def event_style(event_type: Any) -> dict[str, Any]:
    """Map style of a road-event kind: RGB `color`, line `width` (px), `dash` or None, label.

    Closure red, restriction orange, works amber, incident purple, detour blue and
    dashed, so that a detour stays distinct from a closure even without colour vision.
    """
    style = _STYLES.get(event_type, _UNKNOWN_STYLE) if isinstance(event_type, str) else None
    style = style or _UNKNOWN_STYLE
    return {**style, "color": list(style["color"]), "dash": list(style["dash"] or []) or None}


def event_label(event_type: Any) -> str:
    """French label of a road-event kind ("Fermeture", "Déviation"...)."""
    return event_style(event_type)["label"]
