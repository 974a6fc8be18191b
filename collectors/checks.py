"""Kind-specific checks of a source definition, on top of `config.validate_source`.

The Admin page runs them before saving, so a typo ("hashtag" for "hashtags", a
Bluesky source without a query, a token pasted into the options) is refused with a
French sentence instead of failing at the next run. Pure: no network, no store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from collectors.base import ParseError, Source
from collectors.config import ConfigError, validate_source
from collectors.registry import KINDS
from vigie.roads import EVENT_TYPES

MIN_EVERY_ONLINE = 10.0   # seconds: be gentle with other people's servers
# Options every kind accepts (the runner reads them).
COMMON_OPTIONS = {"max_follow"}
KIND_OPTIONS: dict[str, set[str]] = {
    "replay": {"speed", "target_minutes"},
    "rss": set(),
    "mastodon": {"instance", "hashtags", "tag", "local", "limit"},
    "bluesky": {"query", "q", "lang", "limit", "token_secret"},
    "cap": {"max_documents", "fetch_full", "document_ttl"},
    "file": {"format", "mapping"},
    "wzdx": set(),
    "datex2": {"lang"},
    "cifs": set(),
    "geojson": {"mapping", "event_type_map", "default_event_type", "filter", "extra",
                "timezone", "preset"},
}
FILE_FIELDS = {"id", "text", "author", "created_at", "url", "lat", "lon", "lang"}
_SECRET_WORDS = ("token", "password", "passwd", "secret", "apikey", "api_key")


def check_source(raw: dict[str, Any], *, check_paths: bool = True) -> tuple[Source | None,
                                                                           list[str]]:
    """(the Source, []) when `raw` (a flat `[[source]]` table) is usable, else (None, the
    reasons in French). `check_paths`: a local path must name an existing file."""
    errors = _common(raw, check_paths)
    if errors:
        return None, errors
    try:
        src = validate_source(raw)
    except ConfigError as exc:  # the last word stays with the file's own validation
        return None, [f"Définition refusée : {exc}"]
    errors = _options(src)
    if not errors:
        errors = _kind_reads(src)
    return (None, errors) if errors else (src, [])


def _common(raw: dict[str, Any], check_paths: bool) -> list[str]:
    errors = []
    kind = raw.get("kind")
    if kind not in KINDS:
        return [f"Type de source inconnu : {kind!r} (connus : {', '.join(sorted(KINDS))})"]
    if not str(raw.get("name") or "").strip():
        errors.append("Nom obligatoire")
    url = raw.get("url") or ""
    if not isinstance(url, str):
        return [*errors, "L'adresse doit être un texte"]
    url = url.strip()
    if not url and KINDS[kind].needs_url:
        errors.append(f"Adresse obligatoire pour une source de type {kind}")
    elif url:
        errors.extend(_url(url, check_paths))
    every = raw.get("every", 60)
    if isinstance(every, bool) or not isinstance(every, (int, float)) or every <= 0:
        errors.append("La période (every) doit être un nombre de secondes positif")
    elif url.startswith(("http://", "https://")) and every < MIN_EVERY_ONLINE:
        errors.append(f"Période trop courte pour une source en ligne : au moins "
                      f"{MIN_EVERY_ONLINE:g} s (ménager le serveur)")
    return errors


def _url(url: str, check_paths: bool) -> list[str]:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return [] if parts.hostname else [f"Adresse sans nom de serveur : {url}"]
    if parts.scheme == "file":
        path = Path(url2pathname(parts.path))
    elif "://" in url:
        return [f"Adresse non prise en charge : {url} (http, https, file:// ou chemin local)"]
    else:
        path = Path(url)
    if check_paths and not path.is_file():
        return [f"Fichier introuvable sur le serveur : {path}"]
    return []


def _options(src: Source) -> list[str]:
    errors = []
    allowed = KIND_OPTIONS.get(src.kind, set()) | COMMON_OPTIONS
    for key in src.options:
        lowered = key.lower()
        if key != "token_secret" and any(word in lowered for word in _SECRET_WORDS):
            errors.append(f"« {key} » : un jeton ou un mot de passe ne va jamais dans la "
                          "définition d'une source ; mettez-le dans .streamlit/secrets.toml et "
                          "indiquez son nom avec token_secret")
        elif key not in allowed:
            known = ", ".join(sorted(allowed)) or "aucune"
            errors.append(f"Option inconnue pour le type {src.kind} : « {key} » "
                          f"(options possibles : {known})")
    if errors:
        return errors
    check = _KIND_CHECKS.get(src.kind)
    return (check(src.options) if check else []) + _int_in(src.options, "max_follow", 0, 100)


def _kind_reads(src: Source) -> list[str]:
    """The kind's own reading of its options: building its request, its settings."""
    module = KINDS[src.kind].load()
    build = getattr(module, "build_request", None)
    try:
        if build is not None:
            build(src, {})
        settings = getattr(module, "_settings", None)
        if settings is not None:
            settings(src)
    except (ValueError, ParseError) as exc:
        return [str(exc)]
    return []


# -- per kind --------------------------------------------------------------------------


def _int_in(options: dict[str, Any], key: str, low: int, high: int | None = None) -> list[str]:
    if key not in options:
        return []
    value = options[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (
            high is not None and value > high):
        bound = f"entre {low} et {high}" if high is not None else f"au moins {low}"
        return [f"« {key} » doit être un nombre entier {bound}"]
    return []


def _bool(options: dict[str, Any], key: str) -> list[str]:
    if key in options and not isinstance(options[key], bool):
        return [f"« {key} » doit valoir true ou false"]
    return []


def _text(options: dict[str, Any], key: str, required: bool = False) -> list[str]:
    value = options.get(key)
    if value is None:
        return [f"« {key} » est obligatoire"] if required else []
    if not isinstance(value, str) or (required and not value.strip()):
        return [f"« {key} » doit être un texte non vide"]
    return []


def _replay(options: dict[str, Any]) -> list[str]:
    errors = []
    speed = options.get("speed", "auto")
    if speed != "auto" and (isinstance(speed, bool) or not isinstance(speed, (int, float))
                            or speed <= 0):
        errors.append("« speed » : \"auto\" ou un nombre positif (secondes de scénario par "
                      "seconde réelle)")
    minutes = options.get("target_minutes", 30)
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or minutes <= 0:
        errors.append("« target_minutes » doit être un nombre de minutes positif")
    return errors


def _mastodon(options: dict[str, Any]) -> list[str]:
    errors = _int_in(options, "limit", 1, 40) + _bool(options, "local")
    errors += _text(options, "instance") + _text(options, "tag")
    tags = options.get("hashtags")
    if tags is not None and not (isinstance(tags, str) or (
            isinstance(tags, list) and tags and all(isinstance(t, str) and t.strip()
                                                    for t in tags))):
        errors.append("« hashtags » : une liste de mots-dièse, par exemple [\"crue21\"]")
    return errors


def _bluesky(options: dict[str, Any]) -> list[str]:
    errors = _int_in(options, "limit", 1, 100) + _text(options, "lang")
    errors += _text(options, "token_secret")
    if not str(options.get("query") or options.get("q") or "").strip():
        errors.append("« query » est obligatoire : les mots à rechercher")
    return errors


def _cap(options: dict[str, Any]) -> list[str]:
    errors = _int_in(options, "max_documents", 0, 200) + _bool(options, "fetch_full")
    ttl = options.get("document_ttl")
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, (int, float))
                            or ttl < 0):
        errors.append("« document_ttl » doit être un nombre de secondes (0 : toujours relire)")
    return errors


def _file(options: dict[str, Any]) -> list[str]:
    errors = []
    if options.get("format") not in (None, "csv", "jsonl"):
        errors.append("« format » : \"csv\" ou \"jsonl\"")
    mapping = options.get("mapping")
    if mapping is not None:
        if not isinstance(mapping, dict) or not all(
                isinstance(v, str) and v for v in mapping.values()):
            errors.append("« mapping » : champ Vigie = \"colonne\", par exemple "
                          "{ text = \"Message\" }")
        else:
            unknown = sorted(set(mapping) - FILE_FIELDS)
            if unknown:
                errors.append(f"« mapping » : champ(s) inconnu(s) {', '.join(unknown)} "
                              f"(connus : {', '.join(sorted(FILE_FIELDS))})")
    return errors


def _datex2(options: dict[str, Any]) -> list[str]:
    return _text(options, "lang")


def _geojson(options: dict[str, Any]) -> list[str]:
    errors = []
    for key in ("mapping", "event_type_map", "filter"):
        if key in options and not isinstance(options[key], dict):
            errors.append(f"« {key} » doit être une table, par exemple {{ id = \"ident\" }}")
    if "extra" in options and not (isinstance(options["extra"], list) and all(
            isinstance(v, str) for v in options["extra"])):
        errors.append("« extra » : une liste de noms de propriétés")
    kind = options.get("default_event_type")
    if kind is not None and kind not in EVENT_TYPES:
        errors.append(f"« default_event_type » : un de {', '.join(EVENT_TYPES)}")
    return errors + _text(options, "timezone") + _text(options, "preset")


_KIND_CHECKS = {
    "replay": _replay,
    "mastodon": _mastodon,
    "bluesky": _bluesky,
    "cap": _cap,
    "file": _file,
    "datex2": _datex2,
    "geojson": _geojson,
}

