"""RSS 0.9x/1.0/2.0 and Atom feeds (news sites, official accounts, Mastodon tag feeds).

feedparser does the hard part (encodings, ill-formed XML, dates, GeoRSS); this
module maps its entries to `Post`s. The body is handed to feedparser as a
stream, never as a string: feedparser opens a string that looks like a path or
a URL, and a parser must read nothing but the bytes it was given.

Conditional GET: `parse` keeps the response's ETag and Last-Modified in
`Batch.state`; `build_request` sends them back as If-None-Match and
If-Modified-Since, so an unchanged feed costs a 304 and no parsing.

What is refused and what is kept:
- an empty body, or a document with no feed structure (an HTML page, JSON, a
  random file): `ParseError`;
- a feed that feedparser flags as ill-formed ("bozo") but that still reads:
  kept, with a warning in `Batch.errors`;
- an entry with no text at all (no title, summary or content): skipped and
  counted in `Batch.rejected`.
"""

from __future__ import annotations

import contextlib
import io
import time
from calendar import timegm
from datetime import UTC, datetime
from typing import Any

import feedparser

from collectors.base import Batch, Fetched, ParseError, Request, Source
from collectors.common import clip, coordinates, note_error, primary_language
from collectors.htmltext import html_to_text, tidy
from vigie.models import Post, content_hash, iso

KIND = "rss"


def build_request(source: Source, state: dict) -> Request:
    """GET the feed, conditional on the validators kept from the last response."""
    headers: dict[str, str] = {}
    if state.get("etag"):
        headers["If-None-Match"] = str(state["etag"])
    if state.get("modified"):
        headers["If-Modified-Since"] = str(state["modified"])
    return Request(url=source.url, headers=headers)


def parse(fetched: Fetched, source: Source) -> Batch:
    if not fetched.body or not fetched.body.strip():
        raise ParseError("flux vide : le serveur n'a renvoyé aucun contenu")
    headers = _response_headers(fetched)
    # Without a Content-Type (a local file, a bare test body) feedparser must see no
    # headers at all, else it flags the feed "bozo" for that reason alone.
    given = headers if "content-type" in headers else {}
    try:
        result = feedparser.parse(io.BytesIO(fetched.body), response_headers=given)
    except Exception as exc:  # feedparser's own bugs must not crash the runner
        raise ParseError(f"flux illisible : {type(exc).__name__}: {exc}") from None

    entries = result.get("entries") or []
    if not result.get("version") and not entries:
        raise ParseError(
            "ce document n'est pas un flux RSS ou Atom (aucune structure de flux trouvée)"
        )

    batch = Batch(state=_validators(headers))
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        note_error(batch, f"flux mal formé, lu quand même : {_describe(exc)}")

    feed = result.get("feed") or {}
    feed_lang = primary_language(feed.get("language") or headers.get("content-language"))
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        try:
            post = entry_to_post(entry, source, feed, feed_lang)
        except Exception as exc:  # one odd entry never sinks the feed
            batch.rejected += 1
            note_error(batch, f"entrée {index + 1} ignorée : {_describe(exc)}")
            continue
        if post is None:
            batch.rejected += 1
            note_error(batch, f"entrée {index + 1} ignorée : ni titre ni texte")
            continue
        if post.id in seen:
            continue
        seen.add(post.id)
        batch.posts.append(post)
    return batch


def entry_to_post(entry: Any, source: Source, feed: Any, feed_lang: str | None) -> Post | None:
    """One feedparser entry as a Post, or None when it carries no text."""
    title = _text_of(entry.get("title"), entry.get("title_detail"))
    body = _body_of(entry)
    if body and title and (body.startswith(title) or title == body):
        text = body
    elif title and body and title.startswith(body.rstrip("…. ")):
        text = title
    else:
        text = "\n\n".join(part for part in (title, body) if part)
    if not text:
        return None

    raw_link = _str(entry.get("link"))
    native = _str(entry.get("id")) or content_hash(raw_link, title)
    # An Atom id such as "tag:..." (which feedparser may copy to link) is not a page.
    link = raw_link if raw_link.lower().startswith(("http://", "https://")) else ""
    # dict.get: feedparser's own `get("updated_parsed")` falls back to the published date
    # with a DeprecationWarning when the entry has no update date.
    created_at = _when(entry.get("published_parsed")) or _when(dict.get(entry, "updated_parsed"))

    lat = lon = None
    extra: dict[str, Any] = {}
    where = _point(entry)
    if where is not None:
        lat, lon = where
    elif isinstance(entry.get("where"), dict) and entry["where"].get("type"):
        # An odd shape is dropped; the post itself is still worth reading.
        with contextlib.suppress(TypeError, ValueError):
            extra["geometry"] = _geometry(entry["where"])

    feed_title = _str(feed.get("title"))
    if feed_title:
        extra["feed_title"] = feed_title
    tags = [t.get("term") for t in entry.get("tags") or [] if isinstance(t, dict) and t.get("term")]
    if tags:
        extra["tags"] = tags
    enclosures = [e.get("href") for e in entry.get("enclosures") or [] if e.get("href")]
    if enclosures:
        extra["media"] = enclosures

    lang = primary_language(_detail_lang(entry)) or feed_lang
    return Post(
        id=post_id(native, source),
        source=source.name,
        kind=KIND,
        text=clip(text),
        author=_author(entry),
        url=link or None,
        lang=lang,
        created_at=created_at,
        lat=lat,
        lon=lon,
        precision="exact" if lat is not None else "unknown",
        origin_url=link or None,
        raw_hash=content_hash(native, title, body, link, created_at),
        extra=extra,
    )


# -- pieces of an entry ------------------------------------------------------------

GLOBAL_ID_PREFIXES = ("http://", "https://", "urn:", "tag:")


def post_id(native: str, source: Source) -> str:
    """`rss:<id>` for an id that is unique by construction (a URL, a URN, an Atom tag:),
    shared by every feed that carries the item; a short id ("1", "42") is only unique
    within its feed, so it is scoped by the feed's URL — otherwise two feeds' item "1"
    would collide and the second would be dropped as already stored."""
    if native.lower().startswith(GLOBAL_ID_PREFIXES):
        return f"{KIND}:{native}"
    return f"{KIND}:{content_hash(source.url)[:12]}:{native}"



def _response_headers(fetched: Fetched) -> dict[str, str]:
    headers = {str(k).lower(): str(v) for k, v in (fetched.headers or {}).items()}
    if fetched.content_type and "content-type" not in headers:
        headers["content-type"] = fetched.content_type
    if fetched.url and "content-location" not in headers:
        # Lets feedparser resolve relative links against the feed's own URL.
        headers["content-location"] = fetched.url
    return headers


def _validators(headers: dict[str, str]) -> dict[str, str]:
    state: dict[str, str] = {}
    if headers.get("etag"):
        state["etag"] = headers["etag"]
    if headers.get("last-modified"):
        state["modified"] = headers["last-modified"]
    return state


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _text_of(value: Any, detail: Any) -> str:
    if not isinstance(value, str):
        return ""
    kind = detail.get("type") if isinstance(detail, dict) else None
    if kind == "text/plain":
        return tidy(value)
    return html_to_text(value)


def _body_of(entry: Any) -> str:
    summary = _text_of(entry.get("summary"), entry.get("summary_detail"))
    if summary:
        return summary
    for content in entry.get("content") or []:
        if isinstance(content, dict):
            text = _text_of(content.get("value"), content)
            if text:
                return text
    return ""


def _detail_lang(entry: Any) -> str | None:
    for key in ("title_detail", "summary_detail"):
        detail = entry.get(key)
        if isinstance(detail, dict) and detail.get("language"):
            return detail["language"]
    return None


def _author(entry: Any) -> str | None:
    detail = entry.get("author_detail")
    if isinstance(detail, dict) and _str(detail.get("name")):
        return _str(detail.get("name"))
    return _str(entry.get("author")) or None


def _when(parsed: Any) -> str | None:
    """feedparser's *_parsed values are UTC struct_times."""
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return iso(datetime.fromtimestamp(timegm(parsed), UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _point(entry: Any) -> tuple[float, float] | None:
    """A geotag: GeoRSS/GML point (feedparser's `where`) or W3C Basic Geo lat/long."""
    where = entry.get("where")
    if isinstance(where, dict) and where.get("type") == "Point" and _wgs84(where):
        coords = where.get("coordinates") or ()
        if len(coords) >= 2:
            return coordinates(coords[1], coords[0])  # GeoJSON order: lon, lat
    lat = entry.get("geo_lat")
    lon = entry.get("geo_long") or entry.get("geo_lon")
    if lat is not None and lon is not None:
        return coordinates(lat, lon)
    point = entry.get("geo_point")  # <geo:Point> with child lat/long, flattened
    if isinstance(point, str) and len(point.split()) == 2:
        return coordinates(*point.split())
    return None


def _wgs84(where: dict) -> bool:
    """GeoRSS is WGS84 unless a GML srsName says otherwise (e.g. a UTM zone)."""
    srs = str(where.get("srsName") or "").upper()
    return not srs or srs.endswith(("4326", "4979")) or "CRS84" in srs


def _geometry(where: dict) -> dict[str, Any]:
    """feedparser's `where` (tuples) as a plain GeoJSON geometry (lists).

    A GeoRSS box becomes its rectangle polygon; a geometry in another
    reference system keeps its srsName so that nobody reads it as lon/lat.
    """

    def listify(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [listify(v) for v in value]
        return value

    kind, coords = where.get("type"), listify(where.get("coordinates"))
    if kind == "Box" and isinstance(coords, list) and len(coords) == 2:
        (x1, y1), (x2, y2) = coords
        kind, coords = "Polygon", [[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]]
    geometry: dict[str, Any] = {"type": kind, "coordinates": coords}
    if not _wgs84(where):
        geometry["srsName"] = where.get("srsName")
    return geometry


def _describe(exc: Any) -> str:
    if exc is None:
        return "erreur inconnue"
    text = str(exc) or type(exc).__name__
    return text[:300]
