"""CAP alerts (1.0, 1.1, 1.2): single documents, Atom/RSS indexes and EDXL-DE wrappers.

Every document is parsed by `collectors.xmlsafe` (defusedxml): a DTD, an
entity or an external reference refuses the whole document with
"document XML refusé : entités/DTD interdites", before anything is read or
fetched.

What a document may be, and what `parse` returns:
- an `<alert>`: one `Alert`;
- an Atom feed or RSS channel indexing alerts. Each entry either embeds a full
  `<alert>` (in `<content>`), or carries CAP fields inline (`cap:event`,
  `cap:severity`... like the US NWS index), or links to a full CAP document.
  Embedded and inline alerts are returned directly; links become
  `Batch.follow` requests (at most option `max_documents`, default 20; the
  runner fetches them and calls `parse` on each). Option `fetch_full = true`
  follows the link even when the entry has inline fields;
- an EDXL-DE distribution: the CAP alerts embedded in its content objects. One
  without any embedded alert (only non-XML or remote content) is a ParseError.

Invalid alerts, decided the way a crisis cell needs them (Vigie is not a CAP
validator: an official warning with a flaw is still shown):
- no `identifier`, or no `info` block on an Alert/Update (nothing to show):
  the alert is skipped and counted in `Batch.rejected`; a Cancel/Ack/Error
  without info is kept (it points at the alerts it cancels via references);
- non-conforming but readable (missing scope, identifier with spaces or
  commas, unknown urgency/severity/certainty): kept, with the reason in
  `Batch.errors` and `Alert.extra["warnings"]`; unknown enumerated values
  become "Unknown";
- an index entry with neither alert, CAP fields nor link: skipped and counted;
- a document that is not XML, is hostile, or is none of the above: ParseError.

Top-level fields come from the French `info` block when there is one (a
bilingual Canadian alert shows in French), else the first; every block is kept
in `Alert.infos`. Polygons and circles become one GeoJSON geometry in lon/lat
order; circle centres and radii are kept in `extra["circles"]`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from collectors import capgeo
from collectors.base import Batch, Fetched, ParseError, Request, Source
from collectors.common import host_of, note_error, safe_time
from collectors.htmltext import html_to_text, tidy
from collectors.rss import build_request as _conditional_get
from collectors.xmlsafe import local, namespace, parse_xml
from vigie.models import Alert, AlertInfo, content_hash, iso

CAP_NAMESPACES = {
    "urn:oasis:names:tc:emergency:cap:1.2": "1.2",
    "urn:oasis:names:tc:emergency:cap:1.1": "1.1",
    "http://www.incident.com/cap/1.0": "1.0",
}
ATOM = "http://www.w3.org/2005/Atom"
DEFAULT_MAX_DOCUMENTS = 20
MAX_ID_LENGTH = 200

URGENCY = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITY = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTY = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
STATUS = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPE = ("Alert", "Update", "Cancel", "Ack", "Error")
_TAG_LIKE_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


class InvalidAlert(ValueError):
    """One alert that cannot be used; the rest of the document still is."""


def build_request(source: Source, state: dict) -> Request:
    """Conditional GET of the document or index (ETag / Last-Modified kept in state)."""
    return _conditional_get(source, state)


def parse(fetched: Fetched, source: Source) -> Batch:
    headers = {str(k).lower(): str(v) for k, v in (fetched.headers or {}).items()}
    content_type = headers.get("content-type") or fetched.content_type or ""
    match = _CHARSET_RE.search(content_type)
    root = parse_xml(fetched.body, match.group(1) if match else None)

    batch = Batch()
    if headers.get("etag"):
        batch.state["etag"] = headers["etag"]
    if headers.get("last-modified"):
        batch.state["modified"] = headers["last-modified"]

    name, ns = local(root.tag), namespace(root.tag)
    if name == "alert" and (ns in CAP_NAMESPACES or not ns):
        _add_alert(batch, root, source, fetched.url or None)
    elif name == "EDXLDistribution":
        _parse_edxl(batch, root, source, fetched.url or None)
    elif name == "feed" and ns == ATOM:
        _parse_index(batch, _atom_entries(root), source, fetched.url)
    elif name == "rss" or name == "RDF":
        _parse_index(batch, _rss_items(root), source, fetched.url)
    else:
        raise ParseError(
            f"document non reconnu (<{name}>) : ni alerte CAP, ni index Atom/RSS d'alertes, "
            "ni enveloppe EDXL-DE"
        )
    return batch


# -- one <alert> ---------------------------------------------------------------------


def alert_from_element(el: ET.Element, source: Source, url: str | None) -> Alert:
    """An <alert> element as an Alert; InvalidAlert when it cannot be used."""
    ns = namespace(el.tag)
    warnings: list[str] = []
    identifier = _text(el, ns, "identifier")
    if not identifier:
        raise InvalidAlert("alerte CAP sans identifiant")
    if re.search(r"[\s,<&]", identifier):
        warnings.append("identifiant non conforme (espace, virgule, < ou &)")
        identifier = re.sub(r"\s+", " ", identifier)
    sender = _text(el, ns, "sender") or host_of(url or "") or "inconnu"
    msg_type = _enum(_text(el, ns, "msgType"), MSG_TYPE, "msgType", warnings, keep_unknown=True)
    status = _enum(_text(el, ns, "status"), STATUS, "status", warnings, keep_unknown=True)
    if not _text(el, ns, "scope"):
        warnings.append("scope manquant")

    infos_raw = [_info(info, ns, warnings) for info in _children(el, ns, "info")]
    if not infos_raw and msg_type not in ("Cancel", "Ack", "Error"):
        raise InvalidAlert(f"alerte {identifier} sans bloc info : rien à afficher")

    chosen = next((i for i in infos_raw if i["lang"].lower().startswith("fr")), None)
    chosen = chosen or (infos_raw[0] if infos_raw else {})
    geometry, circles = _geometry([chosen, *infos_raw])

    extra: dict[str, Any] = {"identifier": identifier, "cap_version": CAP_NAMESPACES.get(ns)}
    for key in ("scope", "note", "source", "incidents", "restriction", "addresses"):
        value = _text(el, ns, key)
        if value:
            extra[key] = value
    references = _references(_text(el, ns, "references"))
    if references:
        extra["references"] = references
        extra["references_ids"] = [_alert_id(r["sender"], r["identifier"]) for r in references]
    elif _child(el, ns, "references") is not None:
        warnings.append("references vide")
    for key in (
        "category",
        "response_type",
        "web",
        "effective",
        "onset",
        "sender_name",
        "contact",
        "audience",
        "parameters",
        "event_codes",
        "geocodes",
    ):
        if chosen.get(key):
            extra[key] = chosen[key]
    if circles:
        extra["circles"] = circles
    if warnings:
        extra["warnings"] = warnings

    web = chosen.get("web")
    link = url if url and url.startswith(("http://", "https://")) else web
    return Alert(
        id=_alert_id(sender, identifier),
        source=source.name,
        sender=sender,
        event=chosen.get("event"),
        severity=chosen.get("severity"),
        urgency=chosen.get("urgency"),
        certainty=chosen.get("certainty"),
        headline=chosen.get("headline"),
        description=chosen.get("description"),
        instruction=chosen.get("instruction"),
        area=chosen.get("area"),
        sent=safe_time(_text(el, ns, "sent")),
        expires=chosen.get("expires") or _latest(i.get("expires") for i in infos_raw),
        status=status,
        msg_type=msg_type,
        geometry=geometry,
        infos=[
            AlertInfo(
                lang=i["lang"],
                event=i.get("event"),
                headline=i.get("headline"),
                description=i.get("description"),
                instruction=i.get("instruction"),
                severity=i.get("severity"),
                urgency=i.get("urgency"),
                certainty=i.get("certainty"),
                area=i.get("area"),
            )
            for i in infos_raw
        ],
        url=link,
        extra=extra,
    )


def _info(el: ET.Element, ns: str, warnings: list[str]) -> dict[str, Any]:
    info: dict[str, Any] = {
        # CAP's default language is en-US when <language> is absent.
        "lang": _text(el, ns, "language") or "en-US",
        "event": _text(el, ns, "event"),
        "headline": _prose(_text(el, ns, "headline")),
        "description": _prose(_text(el, ns, "description")),
        "instruction": _prose(_text(el, ns, "instruction")),
        "urgency": _enum(_text(el, ns, "urgency"), URGENCY, "urgency", warnings),
        "severity": _enum(_text(el, ns, "severity"), SEVERITY, "severity", warnings),
        "certainty": _enum(
            _certainty(_text(el, ns, "certainty")), CERTAINTY, "certainty", warnings
        ),
        "category": [c for c in (_clean(x.text) for x in _children(el, ns, "category")) if c],
        "response_type": [
            r for r in (_clean(x.text) for x in _children(el, ns, "responseType")) if r
        ],
        "audience": _text(el, ns, "audience"),
        "web": _text(el, ns, "web"),
        "contact": _text(el, ns, "contact"),
        "sender_name": _text(el, ns, "senderName"),
        "effective": safe_time(_text(el, ns, "effective")),
        "onset": safe_time(_text(el, ns, "onset")),
        "expires": safe_time(_text(el, ns, "expires")),
        "parameters": _pairs(el, ns, "parameter"),
        "event_codes": _pairs(el, ns, "eventCode"),
    }
    areas = _children(el, ns, "area")
    descs = [d for d in (_text(a, ns, "areaDesc") for a in areas) if d]
    info["area"] = "; ".join(descs) or None
    info["polygons"] = [p.text or "" for a in areas for p in _children(a, ns, "polygon")]
    info["circle_texts"] = [c.text or "" for a in areas for c in _children(a, ns, "circle")]
    info["geocodes"] = [g for a in areas for g in _pairs(a, ns, "geocode", as_list=True)]
    return info


def _geometry(infos: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, list[dict]]:
    """Shapes of the first info block that has any (language blocks repeat the areas)."""
    for info in infos:
        rings, points, circles = [], [], []
        for text in info.get("polygons", []):
            ring = capgeo.polygon_ring(text)
            if ring:
                rings.append(ring)
        for text in info.get("circle_texts", []):
            circle = capgeo.parse_circle(text)
            if circle is None:
                continue
            lat, lon, radius = circle
            circles.append({"lat": lat, "lon": lon, "radius_km": radius})
            if radius > 0:
                rings.append(capgeo.circle_ring(lat, lon, radius))
            else:
                points.append([lon, lat])
        geometry = capgeo.combine(rings, points)
        if geometry:
            return geometry, circles
    return None, []


def _add_alert(batch: Batch, el: ET.Element, source: Source, url: str | None) -> None:
    try:
        alert = alert_from_element(el, source, url)
    except InvalidAlert as exc:
        batch.rejected += 1
        note_error(batch, str(exc))
        return
    for warning in alert.extra.get("warnings", []):
        note_error(batch, f"alerte {alert.extra['identifier']} : {warning}")
    if all(a.id != alert.id for a in batch.alerts):
        batch.alerts.append(alert)


# -- EDXL-DE ---------------------------------------------------------------------------


def _parse_edxl(batch: Batch, root: ET.Element, source: Source, url: str | None) -> None:
    found = 0
    for content in (el for el in root.iter() if local(el.tag) == "contentObject"):
        alerts = [el for el in content.iter() if _is_cap_alert(el)]
        if alerts:
            found += len(alerts)
            for alert in alerts:
                _add_alert(batch, alert, source, url)
        elif any(local(el.tag) == "embeddedXMLContent" for el in content.iter()):
            batch.rejected += 1
            note_error(batch, "objet EDXL-DE sans alerte CAP intégrée (contenu vide)")
        else:
            note_error(batch, "objet EDXL-DE non XML ignoré (contenu distant ou binaire)")
    if not found and not batch.rejected:
        raise ParseError("enveloppe EDXL-DE sans alerte CAP intégrée : format non pris en charge")


# -- Atom / RSS indexes ----------------------------------------------------------------


def _atom_entries(root: ET.Element) -> list[dict[str, Any]]:
    feed_author = _atom_author(root)
    entries = []
    for entry in root.findall(f"{{{ATOM}}}entry"):
        links = entry.findall(f"{{{ATOM}}}link")
        typed = [lk for lk in links if "cap" in (lk.get("type") or "").lower()]
        plain = [lk for lk in links if (lk.get("rel") or "alternate") == "alternate"]
        chosen = (typed or plain or [None])[0]
        entries.append(
            {
                "element": entry,
                "id": _clean(_find_text(entry, f"{{{ATOM}}}id")),
                "title": _clean(_find_text(entry, f"{{{ATOM}}}title")),
                "summary": _clean(_find_text(entry, f"{{{ATOM}}}summary")),
                "link": chosen.get("href") if chosen is not None else None,
                "link_is_cap": bool(typed),
                "published": safe_time(
                    _find_text(entry, f"{{{ATOM}}}published")
                    or _find_text(entry, f"{{{ATOM}}}updated")
                ),
                "author": _atom_author(entry) or feed_author,
                "lang": entry.get("{http://www.w3.org/XML/1998/namespace}lang")
                or root.get("{http://www.w3.org/XML/1998/namespace}lang"),
            }
        )
    return entries


def _rss_items(root: ET.Element) -> list[dict[str, Any]]:
    items = []
    for item in (el for el in root.iter() if local(el.tag) == "item"):
        link = _clean(_local_text(item, "link"))
        enclosures = [
            e for e in item if local(e.tag) == "enclosure" and "cap" in (e.get("type") or "")
        ]
        if enclosures and enclosures[0].get("url"):
            link = enclosures[0].get("url")
        items.append(
            {
                "element": item,
                "id": _clean(_local_text(item, "guid")) or link,
                "title": _clean(_local_text(item, "title")),
                "summary": _clean(_local_text(item, "description")),
                "link": link,
                "link_is_cap": bool(enclosures),
                "published": _rfc822(_local_text(item, "pubDate")),
                "author": _clean(_local_text(item, "author")),
                "lang": None,
            }
        )
    return items


def _parse_index(batch: Batch, entries: list[dict], source: Source, base_url: str) -> None:
    limit = _max_documents(source)
    fetch_full = bool(source.options.get("fetch_full"))
    wanted: list[str] = []
    for entry in entries:
        element = entry["element"]
        embedded = next((el for el in element.iter() if _is_cap_alert(el)), None)
        link = urljoin(base_url, entry["link"]) if entry.get("link") else None
        if link and not link.startswith(("http://", "https://")):
            link = None
        if embedded is not None:
            _add_alert(batch, embedded, source, link)
        elif _inline_cap(element) and not (fetch_full and link):
            try:
                alert = _alert_from_entry(entry, source, link)
            except InvalidAlert as exc:
                batch.rejected += 1
                note_error(batch, str(exc))
                continue
            if all(a.id != alert.id for a in batch.alerts):
                batch.alerts.append(alert)
        elif link:
            if link not in wanted:
                wanted.append(link)
        else:
            batch.rejected += 1
            note_error(
                batch, f"entrée d'index {entry.get('id') or '(sans id)'} sans alerte CAP ni lien"
            )
    batch.follow = [Request(url=u) for u in wanted[:limit]]
    if len(wanted) > limit:
        note_error(
            batch, f"{len(wanted) - limit} documents CAP non suivis (max_documents = {limit})"
        )


def _alert_from_entry(entry: dict[str, Any], source: Source, link: str | None) -> Alert:
    """An Alert from an index entry carrying CAP fields inline (NWS style)."""
    el = entry["element"]
    identifier = entry.get("id") or link
    if not identifier:
        raise InvalidAlert("entrée d'index CAP sans identifiant ni lien")
    warnings: list[str] = []

    def cap(name: str) -> str | None:
        found = next((c for c in el if local(c.tag) == name and _is_cap_ns(c.tag)), None)
        return _clean(found.text) if found is not None else None

    sender = entry.get("author") or host_of(link or "") or "inconnu"
    polygons = [c.text or "" for c in el if local(c.tag) == "polygon" and _is_cap_ns(c.tag)]
    circles_text = [c.text or "" for c in el if local(c.tag) == "circle" and _is_cap_ns(c.tag)]
    geometry, circles = _geometry([{"polygons": polygons, "circle_texts": circles_text}])
    lang = cap("language") or entry.get("lang") or "und"
    info = AlertInfo(
        lang=lang,
        event=cap("event") or entry.get("title"),
        headline=entry.get("title"),
        description=_prose(entry.get("summary")),
        severity=_enum(cap("severity"), SEVERITY, "severity", warnings),
        urgency=_enum(cap("urgency"), URGENCY, "urgency", warnings),
        certainty=_enum(_certainty(cap("certainty")), CERTAINTY, "certainty", warnings),
        area=cap("areaDesc"),
    )
    extra: dict[str, Any] = {"identifier": identifier, "inline": True}
    for key in ("effective", "onset"):
        if cap(key):
            extra[key] = safe_time(cap(key))
    if cap("category"):
        extra["category"] = [cap("category")]
    geocodes = [
        g for c in el if local(c.tag) == "geocode" and _is_cap_ns(c.tag) for g in _pairs_of(c)
    ]
    if geocodes:
        extra["geocodes"] = geocodes
    if circles:
        extra["circles"] = circles
    if warnings:
        extra["warnings"] = warnings
    return Alert(
        id=_alert_id(sender, identifier),
        source=source.name,
        sender=sender,
        event=info.event,
        severity=info.severity,
        urgency=info.urgency,
        certainty=info.certainty,
        headline=info.headline,
        description=info.description,
        instruction=None,
        area=info.area,
        sent=entry.get("published"),
        expires=safe_time(cap("expires")),
        status=_enum(cap("status"), STATUS, "status", warnings, keep_unknown=True),
        msg_type=_enum(cap("msgType"), MSG_TYPE, "msgType", warnings, keep_unknown=True),
        geometry=geometry,
        infos=[info],
        url=link,
        extra=extra,
    )


# -- small helpers ---------------------------------------------------------------------


def _is_cap_ns(tag: object) -> bool:
    return namespace(tag) in CAP_NAMESPACES


def _is_cap_alert(el: ET.Element) -> bool:
    return local(el.tag) == "alert" and _is_cap_ns(el.tag)


def _inline_cap(entry: ET.Element) -> bool:
    return any(_is_cap_ns(child.tag) for child in entry)


def _max_documents(source: Source) -> int:
    try:
        return max(0, int(source.options.get("max_documents", DEFAULT_MAX_DOCUMENTS)))
    except (TypeError, ValueError):
        return DEFAULT_MAX_DOCUMENTS


def _alert_id(sender: str, identifier: str) -> str:
    raw = f"cap:{sender}:{identifier}"
    return raw if len(raw) <= MAX_ID_LENGTH else "cap:" + content_hash(sender, identifier)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


def _qualified(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}" if ns else name


def _child(el: ET.Element, ns: str, name: str) -> ET.Element | None:
    return el.find(_qualified(ns, name))


def _children(el: ET.Element, ns: str, name: str) -> list[ET.Element]:
    return el.findall(_qualified(ns, name))


def _text(el: ET.Element, ns: str, name: str) -> str | None:
    child = _child(el, ns, name)
    return _clean(child.text) if child is not None else None


def _find_text(el: ET.Element, path: str) -> str | None:
    child = el.find(path)
    return child.text if child is not None else None


def _local_text(el: ET.Element, name: str) -> str | None:
    child = next((c for c in el if local(c.tag) == name), None)
    return child.text if child is not None else None


def _atom_author(el: ET.Element) -> str | None:
    return _clean(_find_text(el, f"{{{ATOM}}}author/{{{ATOM}}}name"))


def _pairs(el: ET.Element, ns: str, name: str, as_list: bool = False) -> Any:
    """<parameter><valueName/><value/></parameter> blocks as a dict (or list of pairs)."""
    pairs: list[dict[str, str]] = []
    for block in _children(el, ns, name):
        pairs.extend(_pairs_of(block))
    if as_list:
        return pairs
    merged: dict[str, str] = {}
    for pair in pairs:
        merged.setdefault(pair["name"], pair["value"])
    return merged


def _pairs_of(block: ET.Element) -> list[dict[str, str]]:
    name = _clean(_local_text(block, "valueName"))
    value = _clean(_local_text(block, "value"))
    return [{"name": name, "value": value}] if name and value else []


def _prose(text: str | None) -> str | None:
    """Alert prose is plain text, but some senders put escaped HTML (<br />) in it."""
    if not text:
        return None
    cleaned = html_to_text(text) if _TAG_LIKE_RE.search(text) else tidy(text)
    return cleaned or None


def _certainty(value: str | None) -> str | None:
    # CAP 1.0's "Very Likely" became "Likely" in 1.1.
    return "Likely" if value and value.lower() == "very likely" else value


def _enum(
    value: str | None,
    allowed: tuple[str, ...],
    field_name: str,
    warnings: list[str],
    keep_unknown: bool = False,
) -> str | None:
    if not value:
        return None
    for choice in allowed:
        if value.lower() == choice.lower():
            return choice
    warnings.append(f"valeur {field_name} inconnue : {value[:40]}")
    return value if keep_unknown else "Unknown"


def _references(text: str | None) -> list[dict[str, str | None]]:
    """'sender,identifier,sent sender,identifier,sent' -> a list of dicts."""
    refs = []
    for token in (text or "").split():
        parts = token.split(",")
        if len(parts) >= 2 and parts[0] and parts[1]:
            refs.append(
                {
                    "sender": parts[0],
                    "identifier": parts[1],
                    "sent": safe_time(",".join(parts[2:])) if len(parts) > 2 else None,
                }
            )
    return refs


def _latest(values: Any) -> str | None:
    present = [v for v in values if v]
    return max(present) if present else None


def _rfc822(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return iso(parsedate_to_datetime(text.strip()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return safe_time(text)
