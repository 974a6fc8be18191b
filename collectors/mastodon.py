"""Mastodon public timelines: a hashtag timeline or an instance's public timeline.

No account is needed for public tags on most instances. Source options:

    instance = "https://mastodon.social"   # or `url`: a full timeline URL, used as is
    hashtags = ["inondation", "crue21"]     # or `tag = "inondation"`; none: public timeline
    local = false                            # only this instance's posts
    limit = 40                               # page size (Mastodon caps it at 40)

Several hashtags go in one request (`/timelines/tag/first?any[]=second`).

Ids: `mastodon:<instance host>:<status id>`, where the host is the instance that
was queried (status ids are local to it). A boost resolves to the original
status, so a post and its boosts make one row; who boosted it goes to
`extra.reposted_by`, and the original's ActivityPub URI to `extra.uri`.

Cursor: `since_id` (the newest timeline id seen) is kept in `Batch.state` and
sent back by `build_request`. When a page is full, more posts may sit between
it and the previous cursor: `parse` then asks the runner to follow the `Link`
header (`rel="next"`, carrying `since_id` so the walk stops at the old cursor;
or `rel="prev"` when paging forward with `min_id`). Pages reached by `max_id`
never move the cursor backwards. Parsing relies on `Fetched.url` carrying the
request's query string (as `requests`' `Response.url` does).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from collectors.base import Batch, Fetched, ParseError, Request, Source
from collectors.common import (
    api_error,
    base_of,
    clip,
    host_of,
    load_json,
    note_error,
    primary_language,
    query_of,
    safe_time,
)
from collectors.htmltext import html_to_text, tidy
from vigie.models import Post, content_hash

KIND = "mastodon"
DEFAULT_LIMIT = 20  # Mastodon's own default page size
MAX_LIMIT = 40
_LINK_RE = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";,]+)"?')


def build_request(source: Source, state: dict) -> Request:
    """The timeline request for this source, from `since_id` on."""
    options = source.options
    params: dict[str, Any] = {"limit": _limit(options.get("limit"))}
    if options.get("local"):
        params["local"] = "true"
    if state.get("since_id"):
        params["since_id"] = str(state["since_id"])

    full = str(options.get("url") or "")
    if not full and "/api/v1/timelines/" in source.url:
        full = source.url
    if full:
        # A full timeline URL is used as is; its own query wins over the defaults.
        for key, values in query_of(full).items():
            params[key] = values if len(values) > 1 else values[0]
        return Request(url=base_of(full), params=params)

    base = str(options.get("instance") or source.url or "").rstrip("/")
    if not base:
        raise ValueError("source Mastodon sans `instance` ni `url`")
    if "://" not in base:
        base = "https://" + base
    tags = _tags(options)
    if not tags:
        return Request(url=f"{base}/api/v1/timelines/public", params=params)
    if len(tags) > 1:
        params["any[]"] = tags[1:]
    return Request(url=f"{base}/api/v1/timelines/tag/{quote(tags[0], safe='')}", params=params)


def parse(fetched: Fetched, source: Source) -> Batch:
    payload = load_json(fetched.body, "Mastodon")
    if not isinstance(payload, list):
        message = api_error(payload)
        if message:
            raise ParseError(f"le serveur Mastodon a répondu : {message}")
        raise ParseError("réponse Mastodon inattendue : une liste de statuts était attendue")

    host = host_of(fetched.url) or _source_host(source) or "inconnu"
    query = query_of(fetched.url)
    batch = Batch()
    by_id: dict[str, Post] = {}
    timeline_ids: list[str] = []
    for index, item in enumerate(payload):
        if _is_status(item):
            timeline_ids.append(str(item["id"]))
        try:
            post = status_to_post(item, source, host)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            post = None
            note_error(batch, f"statut {index + 1} ignoré : {exc}")
        if post is None:
            batch.rejected += 1
            continue
        known = by_id.get(post.id)
        if known is None:
            by_id[post.id] = post
        else:  # the same original boosted twice, or seen both boosted and plain
            for who in post.extra.get("reposted_by", []):
                boosters = known.extra.setdefault("reposted_by", [])
                if who not in boosters:
                    boosters.append(who)
    batch.posts = list(by_id.values())

    newest = _max_id([*timeline_ids, *query.get("since_id", [])[:1]])
    if newest and "max_id" not in query:
        batch.state["since_id"] = newest
    batch.follow = _follow(fetched, query, len(payload))
    return batch


def status_to_post(item: Any, source: Source, host: str) -> Post | None:
    """One Status (or boost) as a Post; None when it is not a usable status."""
    if not isinstance(item, dict):
        return None
    booster = None
    status = item
    if isinstance(item.get("reblog"), dict):
        booster = _acct(item.get("account"), host)
        status = item["reblog"]
    native = status.get("id")
    if not isinstance(native, (str, int)) or "content" not in status:
        return None

    spoiler = tidy(str(status.get("spoiler_text") or ""))
    body = html_to_text(str(status.get("content") or ""))
    media = _media(status.get("media_attachments"))
    alt_texts = [m["description"] for m in media if m.get("description")]
    text = "\n\n".join(part for part in (spoiler, body, *alt_texts) if part)
    if not text and not media:
        return None

    url = status.get("url") or status.get("uri")
    extra: dict[str, Any] = {"uri": status.get("uri"), "instance": host}
    if booster:
        extra["reposted_by"] = [booster]
    if spoiler:
        extra["content_warning"] = spoiler
    tags = [t.get("name") for t in status.get("tags") or [] if isinstance(t, dict)]
    if any(tags):
        extra["hashtags"] = [t for t in tags if t]
    if media:
        extra["media"] = media
    if status.get("in_reply_to_id"):
        extra["in_reply_to_id"] = str(status["in_reply_to_id"])
    card = status.get("card")
    if isinstance(card, dict) and card.get("url"):
        extra["card_url"] = card["url"]
    for key in ("replies_count", "reblogs_count", "favourites_count"):
        if isinstance(status.get(key), int):
            extra[key] = status[key]
    if status.get("sensitive"):
        extra["sensitive"] = True

    return Post(
        id=f"{KIND}:{host}:{native}",
        source=source.name,
        kind=KIND,
        text=clip(text),
        author=_acct(status.get("account"), host),
        url=url if isinstance(url, str) else None,
        lang=primary_language(status.get("language")),
        created_at=safe_time(status.get("created_at")),
        origin_url=status.get("uri") if isinstance(status.get("uri"), str) else None,
        raw_hash=content_hash(status.get("uri"), status.get("content"), status.get("edited_at")),
        extra=extra,
    )


# -- helpers -------------------------------------------------------------------------


def _is_status(item: Any) -> bool:
    """A timeline entry (status or boost), as opposed to a notification or an edit."""
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), (str, int))
        and ("content" in item or isinstance(item.get("reblog"), dict))
    )


def _limit(value: Any) -> int:
    try:
        limit = int(value)
    except (TypeError, ValueError):
        return MAX_LIMIT
    return max(1, min(MAX_LIMIT, limit))


def _tags(options: dict[str, Any]) -> list[str]:
    raw = options.get("hashtags") or options.get("tag") or []
    if isinstance(raw, str):
        raw = raw.replace(",", " ").split()
    tags = [str(t).strip().lstrip("#") for t in raw]
    return [t for t in tags if t]


def _source_host(source: Source) -> str | None:
    for candidate in (source.options.get("url"), source.options.get("instance"), source.url):
        if isinstance(candidate, str) and candidate:
            host = host_of(candidate if "://" in candidate else "https://" + candidate)
            if host:
                return host
    return None


def _acct(account: Any, host: str) -> str | None:
    """user@instance: a local account's `acct` has no domain, so add the instance's."""
    if not isinstance(account, dict):
        return None
    acct = account.get("acct") or account.get("username")
    if not isinstance(acct, str) or not acct:
        return None
    return acct if "@" in acct else f"{acct}@{host}"


def _media(attachments: Any) -> list[dict[str, Any]]:
    media = []
    for attachment in attachments or []:
        if isinstance(attachment, dict) and attachment.get("url"):
            media.append(
                {
                    "type": attachment.get("type"),
                    "url": attachment.get("url"),
                    "description": tidy(str(attachment.get("description") or "")) or None,
                }
            )
    return media


def _id_key(value: str) -> tuple[int, str]:
    """Mastodon ids are numeric strings (snowflake-like): compare them as numbers."""
    return (len(value), value) if value.isdigit() else (0, value)


def _max_id(ids: list[str]) -> str | None:
    numeric = [i for i in ids if i.isdigit()]
    return max(numeric, key=_id_key) if numeric else None


def parse_link_header(value: str) -> dict[str, str]:
    """`<url>; rel="next", <url>; rel="prev"` -> {"next": url, "prev": url}."""
    links: dict[str, str] = {}
    for url, rels in _LINK_RE.findall(value or ""):
        for rel in rels.split():
            links.setdefault(rel.lower(), url)
    return links


def _follow(fetched: Fetched, query: dict[str, list[str]], count: int) -> list[Request]:
    """Next page to fetch when this one was full and a gap may remain."""
    if count == 0:
        return []
    page_size = _limit(query.get("limit", [DEFAULT_LIMIT])[0])
    if count < page_size:
        return []
    headers = {str(k).lower(): str(v) for k, v in (fetched.headers or {}).items()}
    links = parse_link_header(headers.get("link", ""))
    here = urlsplit(fetched.url).netloc if fetched.url else None

    def same_instance(url: str) -> bool:
        return bool(here) and urlsplit(url).netloc == here

    if "min_id" in query and "prev" in links and same_instance(links["prev"]):
        return [Request(url=links["prev"])]
    since = query.get("since_id", [None])[0]
    if since and "next" in links and same_instance(links["next"]):
        params: dict[str, Any] = {}
        if "since_id" not in query_of(links["next"]):
            params["since_id"] = since
        return [Request(url=links["next"], params=params)]
    return []
