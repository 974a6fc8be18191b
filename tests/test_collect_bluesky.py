"""Bluesky collector: real post views (médialab's twitwi test data), shapes, facets, cursor."""

from __future__ import annotations

import json

import pytest

from collectors import bluesky
from collectors.base import Fetched, ParseError, Source
from tests.collect_helpers import FIXTURES, check_batch, load_expected

CASES = load_expected("bluesky")
SOURCE = Source(name="bsky", kind="bluesky", options={"query": "crue"})
POSTS = FIXTURES / "bluesky" / "bluesky-posts.json"


@pytest.mark.parametrize("name", sorted(CASES))
def test_bluesky_fixture(name: str) -> None:
    spec = CASES[name]
    fetched = Fetched(body=(FIXTURES / "bluesky" / name).read_bytes(), url=spec.get("url", ""))
    if "parse_error" in spec:
        with pytest.raises(ParseError, match=spec["parse_error"]):
            bluesky.parse(fetched, SOURCE)
        return
    check_batch(bluesky.parse(fetched, SOURCE), spec, name)


def _items() -> list[dict]:
    return json.loads(POSTS.read_bytes())


def test_both_shapes_give_the_same_post() -> None:
    wrapped = next(x for x in _items() if "post" in x and "reason" not in x and "reply" not in x)
    plain = bluesky.parse(Fetched(body=json.dumps([wrapped["post"]]).encode()), SOURCE).posts
    boxed = bluesky.parse(Fetched(body=json.dumps({"feed": [wrapped]}).encode()), SOURCE).posts
    assert [p.id for p in plain] == [p.id for p in boxed] == [f"bluesky:{wrapped['post']['uri']}"]
    assert plain[0].text == boxed[0].text


def test_facets_are_byte_offsets_even_after_accents() -> None:
    text = "Évacuation à Dijon : infos sur cote-dor.gouv.fr/crue... et bsky.app/profile/x"
    data = text.encode()
    first = data.index(b"cote-dor")
    second = data.index(b"bsky.app")
    facets = [
        {
            "index": {"byteStart": first, "byteEnd": first + len(b"cote-dor.gouv.fr/crue...")},
            "features": [
                {"$type": bluesky.LINK_FACET, "uri": "https://www.cote-dor.gouv.fr/crue-2024"}
            ],
        },
        {
            "index": {"byteStart": second, "byteEnd": len(data)},
            "features": [{"$type": bluesky.LINK_FACET, "uri": "https://bsky.app/profile/x.fr"}],
        },
    ]
    assert bluesky.expand_links(text, facets) == (
        "Évacuation à Dijon : infos sur https://www.cote-dor.gouv.fr/crue-2024"
        " et https://bsky.app/profile/x.fr"
    )
    # With str offsets the accents would shift the replacement by two characters.
    assert text[first : first + 8] != "cote-dor"


def test_plain_words_keep_their_text_and_gain_the_uri() -> None:
    text = "Voir le communiqué ici"
    start = len("Voir le communiqué ".encode())
    facets = [
        {
            "index": {"byteStart": start, "byteEnd": start + 3},
            "features": [{"$type": bluesky.LINK_FACET, "uri": "https://exemple.invalid/c"}],
        }
    ]
    assert (
        bluesky.expand_links(text, facets) == "Voir le communiqué ici (https://exemple.invalid/c)"
    )


@pytest.mark.parametrize(
    "index",
    [
        {"byteStart": -1, "byteEnd": 3},
        {"byteStart": 3, "byteEnd": 2},
        {"byteStart": 0, "byteEnd": 999},
        {"byteStart": 1, "byteEnd": 4},  # inside the two bytes of "É"
        {"byteStart": "0", "byteEnd": 4},
    ],
)
def test_bad_facets_are_ignored(index: dict) -> None:
    text = "Évacuation"
    facets = [{"index": index, "features": [{"$type": bluesky.LINK_FACET, "uri": "https://x.fr"}]}]
    assert bluesky.expand_links(text, facets) == text


def test_build_request_with_token_and_cursor_state() -> None:
    source = Source(
        name="b",
        kind="bluesky",
        url="https://bsky.example/",
        options={"query": "inondation", "lang": "fr", "limit": 500, "token": "secret-token"},
    )
    request = bluesky.build_request(source, {"since": "2025-03-31T15:08:11Z"})
    assert request.url == "https://bsky.example/xrpc/app.bsky.feed.searchPosts"
    assert request.params == {
        "q": "inondation",
        "sort": "latest",
        "limit": 100,
        "lang": "fr",
        "since": "2025-03-31T15:08:11Z",
    }
    assert request.headers == {"Authorization": "Bearer secret-token"}


def test_build_request_without_token_sends_no_authorization() -> None:
    request = bluesky.build_request(SOURCE, {})
    assert request.url == "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts"
    assert request.headers == {}
    with pytest.raises(ValueError, match="query"):
        bluesky.build_request(Source(name="b", kind="bluesky"), {})


def test_followed_page_keeps_the_token_and_never_moves_since_back() -> None:
    source = Source(name="b", kind="bluesky", options={"query": "csv", "token": "t0k"})
    body = (FIXTURES / "bluesky" / "vigie" / "search_page.json").read_bytes()
    first_url = (
        "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts"
        "?q=csv&limit=25&since=2025-01-01T00:00:00Z"
    )
    batch = bluesky.parse(Fetched(body=body, url=first_url), source)
    (follow,) = batch.follow
    assert follow.params["cursor"] == "25" and follow.params["since"] == "2025-01-01T00:00:00Z"
    assert follow.headers == {"Authorization": "Bearer t0k"}
    later = bluesky.parse(Fetched(body=body, url=first_url + "&cursor=25"), source)
    assert "since" not in later.state


def test_first_run_does_not_dig_into_history() -> None:
    body = (FIXTURES / "bluesky" / "vigie" / "search_page.json").read_bytes()
    url = "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts?q=csv&limit=25"
    assert bluesky.parse(Fetched(body=body, url=url), SOURCE).follow == []


def test_auth_hint_names_the_secret() -> None:
    assert "bluesky_token" in bluesky.auth_hint(401)
    assert "jeton" in bluesky.auth_hint(403)
    custom = Source(name="b", kind="bluesky", options={"token_secret": "bsky_cellule"})
    assert "bsky_cellule" in bluesky.auth_hint(401, custom)
    assert bluesky.auth_hint(500) is None and bluesky.auth_hint(200) is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"error":"AuthMissing","message":"Authentication Required"}', "Authentication"),
        (b'{"cursor": "x"}', "ni `posts` ni `feed`"),
        (b"42", "liste de posts"),
        (b"not json", "JSON invalide"),
        (b"", "vide"),
    ],
)
def test_unusable_responses_are_parse_errors(body: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        bluesky.parse(Fetched(body=body), SOURCE)
