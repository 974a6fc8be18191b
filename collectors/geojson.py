"""Kind `geojson`: any GeoJSON FeatureCollection of road events, read through a mapping.

Source options (all optional):

* `mapping` — RoadEvent field -> property name, or a list of names. For `id` the values
  of a list are joined with ":"; for `description` and `detour` they are joined with
  " — "; for the other fields the first non-empty one wins. "@id" is the Feature's own
  id. Unmapped fields are looked up among common property names (`description`,
  `date_debut`, `route`...); an unmapped road is read from the description ("D911 du
  PR 4+0800" -> "D911").
* `event_type_map` — property value -> closure/restriction/works/incident/detour
  (e.g. {"AC - Fermeture": "closure"}); values not in it are guessed from their words
  ("fermeture", "alternat", "déviation"...), then `default_event_type` ("works").
* `filter` — {property: value or [values]}: keep only matching features.
* `extra` — property names copied into `RoadEvent.extra` (a whitelist).
* `timezone` — zone of times written without offset (default Europe/Paris).
* `preset` — ready-made settings; "litteralis" reads Litteralis WFS exports
  (arrêtés de circulation of French départements and communes).

Privacy: only mapped or whitelisted properties reach the record. Properties that name
people (applicant, issuer, contact, author...) are refused even when configured,
because Litteralis exports name individual applicants (`emetteurlibelle`), and so are
Litteralis' free-text `parametres...` blobs, which quote them. Free text a deployer
maps on purpose (a description field) is copied as is.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collectors._roadkit import (
    BadItem,
    as_dict,
    as_list,
    as_text,
    dedupe_ids,
    fetch_time,
    finish,
    load_json,
    reject,
)
from collectors.base import Batch, Fetched, ParseError, Source
from vigie.geometry import clean_geometry
from vigie.models import RoadEvent, content_hash, iso, parse_time
from vigie.roads import (
    EVENT_TYPES,
    extract_road,
    guess_event_type,
    normalise_direction,
    normalise_pr,
    normalise_text,
)

KIND = "geojson"
FIELDS = ("id", "road", "description", "starts_at", "ends_at", "event_type", "direction",
          "commune", "detour")
_JOINED = {"id": ":", "description": " — ", "detour": " — "}
DEFAULT_CANDIDATES: dict[str, list[str]] = {
    "id": ["id", "identifiant", "identifier", "event_id", "uid", "gid", "objectid"],
    "road": ["road", "route", "road_name", "road_number", "voie", "nom_voie", "axe",
             "numero_route", "num_route"],
    "description": ["description", "descriptif", "libelle", "commentaire", "comment",
                    "localisation", "localisations", "titre", "title"],
    "starts_at": ["starts_at", "start", "start_date", "startdate", "date_debut", "datedebut",
                  "debut", "date_start"],
    "ends_at": ["ends_at", "end", "end_date", "enddate", "date_fin", "datefin", "fin",
                "date_end"],
    "event_type": ["event_type", "type", "nature", "type_evenement", "categorie", "category"],
    "direction": ["direction", "sens"],
    "commune": ["commune", "nom_commune", "ville", "city", "municipality"],
    "detour": ["detour", "deviation", "itineraire_deviation"],
}
# Property names that may hold a person's name or contact: never copied. Litteralis'
# "parametres..." blobs are free text that quotes applicants' file names.
PERSONAL = re.compile(
    r"emetteur|demandeur|requerant|petitionnaire|applicant|requester|issuer|contact|"
    r"auteur|author|prenom|firstname|lastname|surname|e?mail|telephone|phone|"
    r"signataire|redacteur|agent|intervenant|parametres",
    re.IGNORECASE,
)
PRESETS: dict[str, dict[str, Any]] = {
    "litteralis": {
        "mapping": {
            "id": ["arretesrcid", "idmesure"],
            "description": ["mesure", "localisations"],
            "starts_at": ["emprisedebut", "arretedebut"],
            "ends_at": ["emprisefin", "arretefin"],
            "event_type": ["nommodele", "mesure"],
        },
        "event_type_map": {
            "AC - Fermeture": "closure",
            "AC - Alternat": "restriction",
            "AC - Déviation": "detour",
            "Circulation interdite": "closure",
            "Interruption de circulation": "closure",
            "Interdiction de dépasser": "restriction",
            "Limitation de vitesse": "restriction",
        },
        # Only the footprints that touch traffic; "AUTRE" covers alignments, permits...
        "filter": {"emprisetype": "CIRCULATION"},
        "extra": ["arretesrcid", "documenttype", "mesure", "nommodele", "gene",
                  "collectivitelibelle"],
        "commune_from_parentheses": True,
    }
}
_COMMUNE = re.compile(r"\(([A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ' -]{1,60})\)")
_FR_DATE = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$"
)


# ----------------------------------------------------------------------------- config


def _settings(source: Source) -> tuple[dict[str, Any], list[str]]:
    """The source options over the preset, with personal properties removed."""
    options = source.options if isinstance(source.options, dict) else {}
    preset_name = options.get("preset")
    if preset_name is not None and (not isinstance(preset_name, str) or preset_name not in PRESETS):
        raise ParseError(
            f"Configuration : preset « {str(preset_name)[:40]} » inconnu "
            f"(connus : {', '.join(PRESETS)})."
        )
    preset = PRESETS.get(preset_name, {}) if isinstance(preset_name, str) else {}
    settings = {**preset, **options}
    settings["mapping"] = {**as_dict(preset.get("mapping")), **as_dict(options.get("mapping"))}
    settings["event_type_map"] = {
        **as_dict(preset.get("event_type_map")), **as_dict(options.get("event_type_map"))
    }
    notes: list[str] = []
    for target in settings["event_type_map"].values():
        if target not in EVENT_TYPES:
            raise ParseError(
                f"Configuration : event_type_map vers « {str(target)[:40]} » "
                f"(attendu : {', '.join(EVENT_TYPES)})."
            )
    mapping: dict[str, list[str]] = {}
    for field, names in settings["mapping"].items():
        if field not in FIELDS:
            notes.append(f"mapping : champ inconnu ignoré : {str(field)[:40]}")
            continue
        names = [n for n in (names if isinstance(names, list) else [names]) if isinstance(n, str)]
        kept = [n for n in names if not PERSONAL.search(n)]
        notes.extend(f"propriété personnelle ignorée : {n}" for n in names if n not in kept)
        mapping[field] = kept
    settings["mapping"] = mapping
    extra = [n for n in as_list(settings.get("extra")) if isinstance(n, str)]
    notes.extend(f"propriété personnelle ignorée : {n}" for n in extra if PERSONAL.search(n))
    settings["extra"] = [n for n in extra if not PERSONAL.search(n)]
    try:
        zone = settings.get("timezone") or "Europe/Paris"
        if not isinstance(zone, str) or len(zone) > 64:
            raise ValueError(zone)
        settings["zone"] = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: tzdata's file lookup
        raise ParseError(
            f"Configuration : fuseau horaire inconnu : {str(settings.get('timezone'))[:40]}"
        ) from None
    default = settings.get("default_event_type", "works")
    settings["default_event_type"] = default if default in EVENT_TYPES else "works"
    return settings, notes


# ------------------------------------------------------------------------------ parse


def parse(fetched: Fetched, source: Source) -> Batch:
    settings, notes = _settings(source)
    doc = load_json(fetched.body, "GeoJSON")
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise ParseError("Document GeoJSON attendu : une FeatureCollection avec des « features ».")
    _check_crs(doc)
    now = fetch_time(fetched)
    batch = Batch(complete_snapshot=True, errors=notes)
    for index, feature in enumerate(doc["features"]):
        props = as_dict(as_dict(feature).get("properties"))
        if not _selected(props, as_dict(settings.get("filter"))):
            continue
        try:
            batch.road_events.append(_event(feature, props, settings, source, now))
        except BadItem as exc:
            reject(batch, f"élément {index + 1} : {exc}")
    dedupe_ids(batch.road_events)
    return batch


def _check_crs(doc: dict[str, Any]) -> None:
    """GeoJSON is WGS84 (RFC 7946); refuse the old `crs` member naming another system."""
    name = as_text(as_dict(as_dict(doc.get("crs")).get("properties")).get("name"))
    if name and not re.search(r"CRS84|4326", name):
        raise ParseError(
            f"Projection non prise en charge ({name[:60]}) : exporter le GeoJSON en WGS84 "
            "(EPSG:4326)."
        )


def _selected(props: dict[str, Any], rules: dict[str, Any]) -> bool:
    for key, wanted in rules.items():
        allowed = {as_text(w) for w in (wanted if isinstance(wanted, list) else [wanted])}
        if as_text(props.get(key)) not in allowed:
            return False
    return True


def _values(feature: dict[str, Any], props: dict[str, Any], settings: dict[str, Any],
            field: str) -> list[str]:
    """Non-empty text values of a field, from its mapping or the usual property names."""
    names = settings["mapping"].get(field)
    if names is None:
        lowered = {k.lower(): k for k in props if isinstance(k, str)}
        names = [lowered[c] for c in DEFAULT_CANDIDATES[field] if c in lowered][:1]
        names = [n for n in names if not PERSONAL.search(n)]
    out = []
    for name in names:
        value = as_text(feature.get("id")) if name == "@id" else as_text(props.get(name))
        if value:
            out.append(value)
    return out


def _event(feature: Any, props: dict[str, Any], settings: dict[str, Any], source: Source,
           now: datetime) -> RoadEvent:
    if not isinstance(feature, dict):
        raise BadItem("pas un Feature GeoJSON")

    def first(field: str) -> str | None:
        values = _values(feature, props, settings, field)
        return values[0] if values else None

    def joined(field: str) -> str | None:
        values = [normalise_pr(v) for v in _values(feature, props, settings, field)]
        return _JOINED[field].join(dict.fromkeys(v for v in values if v)) or None

    zone = settings["zone"]
    native = (":".join(_values(feature, props, settings, "id")) or as_text(feature.get("id"))
              or content_hash(props, feature.get("geometry")))
    description = joined("description")
    road = normalise_pr(first("road"))
    road = (extract_road(road) or road) if road else extract_road(description)
    commune = normalise_text(first("commune"))
    if not commune and settings.get("commune_from_parentheses") and description:
        match = _COMMUNE.search(description)
        commune = match.group(1).strip() if match else None
    extra = {name: props[name] for name in settings["extra"]
             if as_text(props.get(name)) is not None}
    event = RoadEvent(
        id=f"{KIND}:{source.name}:{native}",
        source=source.name,
        kind=KIND,
        road=road,
        description=description,
        event_type=_event_type(_values(feature, props, settings, "event_type"), description,
                               settings),
        direction=normalise_direction(first("direction")),
        starts_at=_time(first("starts_at"), zone, end=False),
        ends_at=_time(first("ends_at"), zone, end=True),
        geometry=clean_geometry(feature.get("geometry")),
        commune=commune,
        detour=joined("detour"),
        extra=extra,
    )
    return finish(event, now)


def _event_type(values: list[str], description: str | None, settings: dict[str, Any]) -> str:
    table = settings["event_type_map"]
    folded = {str(k).casefold(): v for k, v in table.items()}
    for value in values:
        found = table.get(value) or folded.get(value.casefold()) or guess_event_type(value)
        if found:
            return found
    return guess_event_type(description) or settings["default_event_type"]


def _time(value: str | None, zone: ZoneInfo, end: bool) -> str | None:
    """ISO UTC from ISO 8601, French "jj/mm/aaaa [hh:mm]", or epoch seconds/milliseconds.

    Times without offset are in `zone`. A bare end date means the end of that day.
    """
    if value is None:
        return None
    text = value.strip()
    match = _FR_DATE.match(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
        text = f"{year}-{int(month):02d}-{int(day):02d}"
        if hour is not None:
            text += f"T{int(hour):02d}:{minute}:{second or '00'}"
    if re.fullmatch(r"-?\d{9,14}(\.\d+)?", text):
        number = float(text)
        return parse_time(number / 1000 if abs(number) > 1e11 else number)
    date_only = re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None
    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    if date_only and end:
        parsed += timedelta(days=1)
    try:
        return iso(parsed.astimezone(UTC))
    except (OverflowError, ValueError):
        return None
