"""Helpers shared by the road-event parsers (wzdx, datex2, cifs, geojson).

Safe document loading (defusedxml with DTDs forbidden, JSON with a clear error),
namespace-agnostic XML navigation, and the last touches every road event gets: a
representative point from its geometry and a status computed at fetch time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLSyntaxError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from collectors.base import Batch, Fetched, ParseError
from vigie.geometry import representative_point
from vigie.models import RoadEvent, utc_now
from vigie.roads import status_at

MAX_ERRORS = 20
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


class BadItem(ValueError):
    """One item of a feed cannot be used; the parser skips and counts it."""


# ------------------------------------------------------------------------------ loading


def parse_xml(body: bytes, what: str) -> Element:
    """Parse XML with DTDs, entities and external references forbidden.

    A DOCTYPE is never needed by the road formats; refusing it outright closes the
    door to entity expansion ("billion laughs") and XXE.
    """
    if not body or not body.strip():
        raise ParseError(f"Document {what} vide.")
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ParseError(
            f"Document {what} refusé : il déclare une DTD ou des entités XML "
            f"(interdit, risque d'attaque) — {type(exc).__name__}."
        ) from None
    except (XMLSyntaxError, ValueError, LookupError) as exc:
        raise ParseError(f"Document {what} illisible (XML mal formé) : {exc}") from None


def load_json(body: bytes, what: str) -> Any:
    """Decode JSON (UTF-8/16/32, with or without BOM) or raise a readable ParseError."""
    if not body or not body.strip():
        raise ParseError(f"Document {what} vide.")
    try:
        text = body.decode(json.detect_encoding(body))
        return json.loads(text.lstrip("\ufeff"))
    except (UnicodeError, ValueError) as exc:
        raise ParseError(f"Document {what} illisible (JSON mal formé) : {exc}") from None
    except RecursionError:
        raise ParseError(f"Document {what} illisible (JSON trop imbriqué).") from None


def looks_like_xml(body: bytes) -> bool:
    """True when the first meaningful character is "<" (after a BOM and whitespace)."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode().lstrip()
    return head.startswith(b"<")


def fetch_time(fetched: Fetched) -> datetime:
    """When the document was fetched: the HTTP Date header, else now.

    Using the header keeps `parse` a function of its input, and lets tests pin time.
    """
    value = fetched.headers.get("date") if isinstance(fetched.headers, dict) else None
    if isinstance(value, str):
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None and when.tzinfo is not None:
            return when
    return utc_now()


# -------------------------------------------------------------------------- XML access


def local(tag: Any) -> str:
    """Local name of an element tag, without its {namespace}."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def xsi_type(el: Element) -> str:
    """Local part of xsi:type ("loc:LinearLocation" -> "LinearLocation")."""
    return el.get(f"{XSI}type", "").rsplit(":", 1)[-1].strip()


def children(el: Element | None, name: str) -> list[Element]:
    return [] if el is None else [c for c in el if local(c.tag) == name]


def child(el: Element | None, name: str) -> Element | None:
    found = children(el, name)
    return found[0] if found else None


def path(el: Element | None, *names: str) -> Element | None:
    """Follow direct children by local name: path(rec, "validity", "validityStatus")."""
    for name in names:
        el = child(el, name)
    return el


def descendants(el: Element | None, name: str) -> Iterator[Element]:
    if el is None:
        return iter(())
    return (d for d in el.iter() if local(d.tag) == name and d is not el)


def text(el: Element | None) -> str | None:
    """Stripped text of an element, None when missing or blank."""
    if el is None or el.text is None:
        return None
    value = el.text.strip()
    return value or None


def path_text(el: Element | None, *names: str) -> str | None:
    return text(path(el, *names))


def multilingual(el: Element | None, lang: str = "fr") -> str | None:
    """Text of a DATEX II multilingual string (…/values/value[@lang]), preferring `lang`."""
    if el is None:
        return None
    values = [v for v in descendants(el, "value") if text(v)]
    if not values:
        return text(el)
    for v in values:
        if (v.get("lang") or "").lower().startswith(lang.lower()):
            return text(v)
    return text(values[0])


# ------------------------------------------------------------------------ JSON access


def as_text(value: Any) -> str | None:
    """A JSON scalar as stripped text (numbers included), None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# ------------------------------------------------------------------------ finishing


def finish(event: RoadEvent, now: datetime) -> RoadEvent:
    """Give an event its representative point and its status at `now`.

    An event with neither a place (geometry, road) nor a description says nothing
    usable and is refused as a bad item.
    """
    if event.geometry and (event.lat is None or event.lon is None):
        point = representative_point(event.geometry)
        if point:
            event.lat, event.lon = point
    if not (event.geometry or event.road or event.description):
        raise BadItem("événement sans lieu ni description")
    event.status = status_at(event, now)
    return event


def reject(batch: Batch, message: str) -> None:
    """Count a skipped item and keep the first few reasons for the health page."""
    batch.rejected += 1
    if len(batch.errors) < MAX_ERRORS:
        batch.errors.append(message)


def dedupe_ids(events: list[RoadEvent]) -> None:
    """Make ids unique within one batch ("x", "x#2", ...) without reordering."""
    seen: dict[str, int] = {}
    for event in events:
        count = seen.get(event.id, 0) + 1
        seen[event.id] = count
        if count > 1:
            event.id = f"{event.id}#{count}"
