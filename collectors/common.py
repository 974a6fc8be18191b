"""Small helpers shared by the social parsers (rss, mastodon, bluesky, file import)."""

from __future__ import annotations

import json
import math
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from collectors.base import Batch, ParseError
from vigie.models import parse_time

# A post's text is bounded: a feed that stuffs a whole article into one item
# should not bloat the store or the triage screen.
MAX_TEXT = 20_000

_LANG_RE = re.compile(r"[a-z]{2,3}")


def primary_language(tag: object) -> str | None:
    """'fr-FR' -> 'fr'. None for anything that is not a language tag.

    Vigie compares languages across sources (filters, enrichment), so every
    kind stores the primary subtag only.
    """
    if not isinstance(tag, str):
        return None
    head = tag.strip().replace("_", "-").split("-")[0].lower()
    return head if _LANG_RE.fullmatch(head) else None


def coordinates(lat: Any, lon: Any) -> tuple[float, float] | None:
    """(lat, lon) as floats when both are valid WGS84 numbers, else None."""
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError, OverflowError):
        return None
    if not (math.isfinite(la) and math.isfinite(lo)):
        return None
    if not (-90.0 <= la <= 90.0 and -180.0 <= lo <= 180.0):
        return None
    return la, lo


def clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def query_of(url: str) -> dict[str, list[str]]:
    """Query parameters of a URL (the runner's Fetched.url carries the request's)."""
    try:
        return parse_qs(urlsplit(url).query, keep_blank_values=True)
    except ValueError:
        return {}


def base_of(url: str) -> str:
    """The URL without its query string or fragment."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme else parts.path


def host_of(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host or None


def load_json(body: bytes, what: str) -> Any:
    """Decode a JSON API response or raise a ParseError naming the service."""
    if not body or not body.strip():
        raise ParseError(f"réponse {what} vide")
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"réponse {what} illisible (JSON invalide) : {exc}") from None


def api_error(payload: Any) -> str | None:
    """The message of an API error object ({"error": ...} or {"message": ...})."""
    if isinstance(payload, dict):
        for key in ("error_description", "message", "error"):
            value = payload.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def safe_time(value: Any) -> str | None:
    """vigie.models.parse_time, but None instead of OverflowError at the ends of time.

    parse_time("9999-12-31T23:59:59-05:00") overflows when converted to UTC; a
    hostile or broken feed must not crash a parser with it.
    """
    try:
        return parse_time(value)
    except (OverflowError, ValueError):
        return None


MAX_ERRORS = 20


def note_error(batch: Batch, message: str) -> None:
    """Record a problem in `batch.errors`, keeping the list short enough to show.

    A feed with a thousand broken items must not flood the health panel: past
    MAX_ERRORS messages, one line says that more were left out.
    """
    if len(batch.errors) < MAX_ERRORS:
        batch.errors.append(message)
    elif len(batch.errors) == MAX_ERRORS:
        batch.errors.append("… autres erreurs non listées (voir le compte des éléments rejetés)")
