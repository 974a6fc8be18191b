"""Bluesky (AT Protocol) post search: `app.bsky.feed.searchPosts`.

Source options:

    url = "https://public.api.bsky.app"   # AppView base, or a full .../xrpc/... URL
    query = "inondation Dijon"             # required
    lang = "fr"                            # optional filter
    limit = 50                             # page size (the API caps it at 100)
    token_secret = "bluesky_token"         # name of the secret holding a bearer token

The runner puts the secret's value in `source.options["token"]`. Servers that
require a token answer 401/403; `auth_hint` gives the health message to show.

Responses accepted: `{"posts": [postView...], "cursor": ...}` (searchPosts),
`{"feed": [feedViewPost...]}` (author feeds, timelines) and a bare list of
either shape. A `feedViewPost` (`{post, reply?, reason?}`) whose reason is a
repost resolves to the original post, with the reposter in
`extra.reposted_by`.

Link facets carry BYTE offsets into the UTF-8 text: truncated link text
("laviedesidees.fr/L-HCERES-et-...") is replaced by the full URI, slicing
bytes, never `str` indices (which drift after the first accent or emoji).

Cursor: the newest post time seen goes to `Batch.state["since"]` and back to
the API's `since` parameter. When a page is full and a `since` bound exists,
the response's `cursor` is followed (the runner caps how far); pages reached by
cursor never move `since` backwards.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from collectors.base import Batch, Fetched, ParseError, Request, Source
from collectors.common import (
    api_error,
    base_of,
    clip,
    load_json,
    note_error,
    primary_language,
    query_of,
    safe_time,
)
from collectors.htmltext import tidy
from vigie.models import Post, content_hash

KIND = "bluesky"
DEFAULT_BASE = "https://public.api.bsky.app"
SEARCH_PATH = "/xrpc/app.bsky.feed.searchPosts"
DEFAULT_LIMIT = 25  # the API's own default page size
MAX_LIMIT = 100
LINK_FACET = "app.bsky.richtext.facet#link"
REPOST_REASON = "app.bsky.feed.defs#reasonRepost"


def build_request(source: Source, state: dict) -> Request:
    """searchPosts for the source's query, newest first, from the last `since` on."""
    options = source.options
    query = str(options.get("query") or options.get("q") or "").strip()
    if not query:
        raise ValueError("source Bluesky sans `query` : précisez les mots à rechercher")
    base = str(options.get("url") or source.url or DEFAULT_BASE).rstrip("/")
    url = base if "/xrpc/" in base else base + SEARCH_PATH
    params: dict[str, Any] = {"q": query, "sort": "latest", "limit": _limit(options.get("limit"))}
    if options.get("lang"):
        params["lang"] = str(options["lang"])
    if state.get("since"):
        params["since"] = str(state["since"])
    return Request(url=url, params=params, headers=_auth_headers(source))


def auth_hint(status: int, source: Source | None = None) -> str | None:
    """The French health message for a refusal that a token would fix, else None."""
    if status not in (401, 403):
        return None
    secret = "bluesky_token"
    if source is not None and source.options.get("token_secret"):
        secret = str(source.options["token_secret"])
    return (
        f"Le serveur Bluesky exige un jeton : ajoutez `{secret}` dans .streamlit/secrets.toml "
        f'et `token_secret = "{secret}"` dans la source.'
    )


def parse(fetched: Fetched, source: Source) -> Batch:
    payload = load_json(fetched.body, "Bluesky")
    cursor = None
    if isinstance(payload, dict):
        items = payload.get("posts")
        if items is None:
            items = payload.get("feed")
        cursor = payload.get("cursor")
        if not isinstance(items, list):
            message = api_error(payload)
            if message:
                raise ParseError(f"le serveur Bluesky a répondu : {message}")
            raise ParseError("réponse Bluesky inattendue : ni `posts` ni `feed`")
    elif isinstance(payload, list):
        items = payload
    else:
        raise ParseError("réponse Bluesky inattendue : une liste de posts était attendue")

    batch = Batch()
    by_id: dict[str, Post] = {}
    newest: str | None = None
    for index, item in enumerate(items):
        try:
            post = item_to_post(item, source)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            post = None
            note_error(batch, f"post {index + 1} ignoré : {exc}")
        if post is None:
            batch.rejected += 1
            continue
        sort_at = post.extra.get("sort_at")
        if sort_at and (newest is None or sort_at > newest):
            newest = sort_at
        known = by_id.get(post.id)
        if known is None:
            by_id[post.id] = post
        else:
            for who in post.extra.get("reposted_by", []):
                boosters = known.extra.setdefault("reposted_by", [])
                if who not in boosters:
                    boosters.append(who)
    batch.posts = list(by_id.values())

    query = query_of(fetched.url)
    asked_since = (query.get("since") or [None])[0]
    if "cursor" not in query:
        best = max((t for t in (newest, asked_since) if t), default=None)
        if best:
            batch.state["since"] = best
    if (
        isinstance(cursor, str)
        and cursor
        and asked_since
        and len(items) >= _limit((query.get("limit") or [DEFAULT_LIMIT])[0])
    ):
        params = {k: v if len(v) > 1 else v[0] for k, v in query.items()}
        params["cursor"] = cursor
        batch.follow.append(
            Request(url=base_of(fetched.url), params=params, headers=_auth_headers(source))
        )
    return batch


def item_to_post(item: Any, source: Source) -> Post | None:
    """A postView or a feedViewPost as a Post; None when it is not a post."""
    if not isinstance(item, dict):
        return None
    view, reason, reply = item, None, None
    if isinstance(item.get("post"), dict):
        view, reason, reply = item["post"], item.get("reason"), item.get("reply")
    uri = view.get("uri")
    record = view.get("record")
    if not isinstance(uri, str) or not uri.startswith("at://") or not isinstance(record, dict):
        return None
    raw_text = record.get("text")
    if not isinstance(raw_text, str):
        return None

    author = view.get("author") if isinstance(view.get("author"), dict) else {}
    handle = author.get("handle") if isinstance(author.get("handle"), str) else None
    did = author.get("did") if isinstance(author.get("did"), str) else _did_of(uri)
    if handle == "handle.invalid":
        handle = None
    text = tidy(expand_links(raw_text, record.get("facets")))
    media = _media(view.get("embed"))
    alt_texts = [m["alt"] for m in media if m.get("alt")]
    if not text and not alt_texts and not media:
        return None
    text = "\n\n".join(part for part in (text, *alt_texts) if part)

    created_at = safe_time(record.get("createdAt"))
    indexed_at = safe_time(view.get("indexedAt"))
    extra: dict[str, Any] = {"uri": uri, "cid": view.get("cid"), "did": did}
    # The API's `since` filters on "sortAt", the earlier of createdAt and indexedAt.
    extra["sort_at"] = min((t for t in (created_at, indexed_at) if t), default=None)
    if indexed_at:
        extra["indexed_at"] = indexed_at
    if isinstance(reason, dict) and reason.get("$type") == REPOST_REASON:
        by = reason.get("by") if isinstance(reason.get("by"), dict) else {}
        who = by.get("handle") or by.get("did")
        if isinstance(who, str):
            extra["reposted_by"] = [who]
    if isinstance(reply, dict) and isinstance(reply.get("parent"), dict):
        extra["reply_to"] = reply["parent"].get("uri")
    elif isinstance(record.get("reply"), dict) and isinstance(record["reply"].get("parent"), dict):
        extra["reply_to"] = record["reply"]["parent"].get("uri")
    if media:
        extra["media"] = media
    links = _embed_links(view.get("embed"))
    if links:
        extra["links"] = links
    quoted = _quoted_uri(view.get("embed"))
    if quoted:
        extra["quoted_uri"] = quoted
    labels = [lab.get("val") for lab in view.get("labels") or [] if isinstance(lab, dict)]
    if any(labels):
        extra["labels"] = [lab for lab in labels if lab]
    for key in ("replyCount", "repostCount", "likeCount", "quoteCount"):
        if isinstance(view.get(key), int):
            extra[key] = view[key]

    langs = record.get("langs") if isinstance(record.get("langs"), list) else []
    return Post(
        id=f"{KIND}:{uri}",
        source=source.name,
        kind=KIND,
        text=clip(text),
        author=handle or did,
        url=post_url(uri, handle),
        lang=primary_language(langs[0]) if langs else None,
        created_at=created_at or indexed_at,
        origin_url=post_url(uri, handle),
        raw_hash=content_hash(uri, view.get("cid")),
        extra=extra,
    )


def expand_links(text: str, facets: Any) -> str:
    """Replace the (often truncated) text of link facets by their full URI.

    Facet offsets count UTF-8 bytes. A facet whose offsets are out of range,
    overlap another or cut a character in two is ignored.
    """
    if not isinstance(facets, list) or not facets:
        return text
    data = text.encode("utf-8")
    spans: list[tuple[int, int, str]] = []
    for facet in facets:
        span = _link_span(facet, data)
        if span:
            spans.append(span)
    spans.sort()
    out, pos = [], 0
    for start, end, uri in spans:
        if start < pos:
            continue  # overlapping facets: keep the first
        out.append(data[pos:start])
        anchor = data[start:end].decode("utf-8")
        out.append(_replacement(anchor, uri).encode("utf-8"))
        pos = end
    out.append(data[pos:])
    return b"".join(out).decode("utf-8")


def post_url(uri: str, handle: str | None) -> str | None:
    """https://bsky.app/profile/<handle or did>/post/<rkey> for an app.bsky.feed.post URI."""
    parts = uri[len("at://") :].split("/") if uri.startswith("at://") else []
    if len(parts) != 3 or parts[1] != "app.bsky.feed.post" or not parts[2]:
        return None
    return f"https://bsky.app/profile/{handle or parts[0]}/post/{parts[2]}"


# -- helpers -------------------------------------------------------------------------


def _auth_headers(source: Source) -> dict[str, str]:
    token = source.options.get("token")
    return {"Authorization": f"Bearer {token}"} if isinstance(token, str) and token else {}


def _limit(value: Any) -> int:
    try:
        limit = int(value)
    except (TypeError, ValueError):
        return DEFAULT_LIMIT
    return max(1, min(MAX_LIMIT, limit))


def _did_of(uri: str) -> str | None:
    head = uri[len("at://") :].split("/", 1)[0]
    return head or None


def _link_span(facet: Any, data: bytes) -> tuple[int, int, str] | None:
    if not isinstance(facet, dict):
        return None
    index, features = facet.get("index"), facet.get("features")
    if not isinstance(index, dict) or not isinstance(features, list):
        return None
    uri = next(
        (
            f.get("uri")
            for f in features
            if isinstance(f, dict)
            and f.get("$type") == LINK_FACET
            and isinstance(f.get("uri"), str)
        ),
        None,
    )
    start, end = index.get("byteStart"), index.get("byteEnd")
    if uri is None or not isinstance(start, int) or not isinstance(end, int):
        return None
    if not (0 <= start < end <= len(data)):
        return None
    if _continuation(data, start) or (end < len(data) and _continuation(data, end)):
        return None  # would cut a multi-byte character
    return start, end, uri


def _continuation(data: bytes, i: int) -> bool:
    return 0x80 <= data[i] <= 0xBF


def _replacement(anchor: str, uri: str) -> str:
    try:
        scheme = urlsplit(uri).scheme
    except ValueError:  # e.g. a netloc that does not survive NFKC normalisation
        return anchor
    if scheme not in ("http", "https"):
        return anchor
    looks_like_url = anchor and not any(c.isspace() for c in anchor) and "." in anchor
    if looks_like_url or anchor.endswith(("...", "…")):
        return uri
    return f"{anchor} ({uri})"


def _media(embed: Any) -> list[dict[str, Any]]:
    """Images and videos of an embed view (including recordWithMedia)."""
    if not isinstance(embed, dict):
        return []
    kind = embed.get("$type", "")
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        return _media(embed.get("media"))
    media: list[dict[str, Any]] = []
    if kind.startswith("app.bsky.embed.images"):
        for image in embed.get("images") or []:
            if isinstance(image, dict) and (image.get("fullsize") or image.get("thumb")):
                alt = tidy(image.get("alt") or "") if isinstance(image.get("alt"), str) else ""
                url = image.get("fullsize") or image.get("thumb")
                media.append({"type": "image", "url": url, "alt": alt or None})
    elif kind.startswith("app.bsky.embed.video") and embed.get("playlist"):
        alt = tidy(embed.get("alt") or "") if isinstance(embed.get("alt"), str) else ""
        media.append({"type": "video", "url": embed.get("playlist"), "alt": alt or None})
    return media


def _embed_links(embed: Any) -> list[str]:
    if not isinstance(embed, dict):
        return []
    if embed.get("$type", "").startswith("app.bsky.embed.recordWithMedia"):
        return _embed_links(embed.get("media"))
    external = embed.get("external")
    if isinstance(external, dict) and isinstance(external.get("uri"), str):
        return [external["uri"]]
    return []


def _quoted_uri(embed: Any) -> str | None:
    if not isinstance(embed, dict):
        return None
    record = embed.get("record")
    if isinstance(record, dict) and isinstance(record.get("record"), dict):
        record = record["record"]  # recordWithMedia wraps the record view once more
    if isinstance(record, dict) and isinstance(record.get("uri"), str):
        return record["uri"]
    return None
