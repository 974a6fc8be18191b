"""Mastodon collector: recorded API responses, boosts, cursor and Link pagination."""

from __future__ import annotations

import json

import pytest

from collectors import mastodon
from collectors.base import Fetched, ParseError, Source
from tests.collect_helpers import FIXTURES, check_batch, load_expected

CASES = load_expected("mastodon")
DEFAULT_URL = "http://localhost:3000/api/v1/timelines/tag/hoot"
SOURCE = Source(name="masto", kind="mastodon", options={"instance": "http://localhost:3000"})
HOOT = (
    FIXTURES / "mastodon" / "extracted" / "test_hashtag_tl__02__GET_api_v1_timelines_tag_hoot.json"
)


@pytest.mark.parametrize("name", sorted(CASES))
def test_mastodon_fixture(name: str) -> None:
    spec = CASES[name]
    fetched = Fetched(
        body=(FIXTURES / "mastodon" / name).read_bytes(),
        url=spec.get("url", DEFAULT_URL),
        headers=spec.get("headers", {}),
    )
    if "parse_error" in spec:
        with pytest.raises(ParseError, match=spec["parse_error"]):
            mastodon.parse(fetched, SOURCE)
        return
    batch = mastodon.parse(fetched, SOURCE)
    check_batch(batch, spec, name)
    assert all(p.kind == "mastodon" and p.source == "masto" for p in batch.posts)


@pytest.mark.parametrize("body", [b"", b"{", b"<html>502 Bad Gateway</html>", b"\xff\xfe\x00"])
def test_unreadable_json_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError, match="Mastodon"):
        mastodon.parse(Fetched(body=body, url=DEFAULT_URL), SOURCE)


def test_api_error_object_is_reported() -> None:
    body = json.dumps({"error": "This method requires an authenticated user"}).encode()
    with pytest.raises(ParseError, match="authenticated user"):
        mastodon.parse(Fetched(body=body, url=DEFAULT_URL), SOURCE)


def test_build_request_for_hashtags_uses_one_call_and_the_cursor() -> None:
    source = Source(
        name="m",
        kind="mastodon",
        url="mastodon.example",
        options={"hashtags": ["#crue21", "inondation"], "local": True, "limit": 100},
    )
    request = mastodon.build_request(source, {"since_id": "117020593741189701"})
    assert request.url == "https://mastodon.example/api/v1/timelines/tag/crue21"
    assert request.params == {
        "limit": 40,
        "local": "true",
        "since_id": "117020593741189701",
        "any[]": ["inondation"],
    }


def test_build_request_without_tags_reads_the_public_timeline() -> None:
    source = Source(name="m", kind="mastodon", options={"instance": "https://mastodon.example/"})
    request = mastodon.build_request(source, {})
    assert request.url == "https://mastodon.example/api/v1/timelines/public"
    assert request.params == {"limit": 40}


def test_build_request_keeps_a_full_url_and_its_query() -> None:
    url = "https://mastodon.example/api/v1/timelines/tag/crue?only_media=true"
    request = mastodon.build_request(Source(name="m", kind="mastodon", options={"url": url}), {})
    assert request.url == "https://mastodon.example/api/v1/timelines/tag/crue"
    assert request.params["only_media"] == "true"


def _page(count: int) -> bytes:
    """`count` copies of the recorded status with increasing ids."""
    status = json.loads(HOOT.read_bytes())[0]
    page = []
    for i in range(count):
        item = dict(status, id=str(117020593741189701 + i))
        page.append(item)
    return json.dumps(page[::-1]).encode()


LINKS = (
    '<https://mastodon.example/api/v1/timelines/tag/hoot?max_id=117020593741189701>; rel="next", '
    '<https://mastodon.example/api/v1/timelines/tag/hoot?min_id=117020593741189703>; rel="prev"'
)


def test_full_page_after_a_cursor_follows_next_down_to_the_cursor() -> None:
    url = "https://mastodon.example/api/v1/timelines/tag/hoot?since_id=100&limit=3"
    batch = mastodon.parse(Fetched(body=_page(3), url=url, headers={"link": LINKS}), SOURCE)
    assert batch.state == {"since_id": "117020593741189703"}
    assert len(batch.follow) == 1
    follow = batch.follow[0]
    assert follow.url.endswith("?max_id=117020593741189701")
    assert follow.params == {"since_id": "100"}


def test_a_page_below_the_limit_or_without_cursor_follows_nothing() -> None:
    short = "https://mastodon.example/api/v1/timelines/tag/hoot?since_id=100&limit=5"
    assert (
        mastodon.parse(Fetched(body=_page(3), url=short, headers={"link": LINKS}), SOURCE).follow
        == []
    )
    first_run = "https://mastodon.example/api/v1/timelines/tag/hoot?limit=3"
    batch = mastodon.parse(Fetched(body=_page(3), url=first_run, headers={"link": LINKS}), SOURCE)
    assert batch.follow == []


def test_an_older_page_never_moves_the_cursor_back() -> None:
    url = "https://mastodon.example/api/v1/timelines/tag/hoot?max_id=900&since_id=100&limit=3"
    batch = mastodon.parse(Fetched(body=_page(3), url=url, headers={"link": LINKS}), SOURCE)
    assert "since_id" not in batch.state
    assert len(batch.follow) == 1  # still full: keep walking down to since_id


def test_an_empty_page_keeps_the_cursor_it_was_asked_with() -> None:
    url = "https://mastodon.example/api/v1/timelines/tag/hoot?since_id=117020593741189701"
    batch = mastodon.parse(Fetched(body=b"[]", url=url), SOURCE)
    assert batch.state == {"since_id": "117020593741189701"}
    assert batch.posts == [] and batch.follow == []


def test_min_id_paging_follows_prev() -> None:
    url = "https://mastodon.example/api/v1/timelines/tag/hoot?min_id=100&limit=3"
    batch = mastodon.parse(Fetched(body=_page(3), url=url, headers={"link": LINKS}), SOURCE)
    assert [r.url for r in batch.follow] == [
        "https://mastodon.example/api/v1/timelines/tag/hoot?min_id=117020593741189703"
    ]


def test_links_to_another_host_are_not_followed() -> None:
    url = "https://mastodon.example/api/v1/timelines/tag/hoot?since_id=100&limit=3"
    links = '<https://evil.example/steal?max_id=1>; rel="next"'
    assert (
        mastodon.parse(Fetched(body=_page(3), url=url, headers={"link": links}), SOURCE).follow
        == []
    )


def test_ids_compare_as_numbers_not_strings() -> None:
    status = json.loads(HOOT.read_bytes())[0]
    body = json.dumps([dict(status, id="99"), dict(status, id="100")]).encode()
    batch = mastodon.parse(Fetched(body=body, url=DEFAULT_URL), SOURCE)
    assert batch.state["since_id"] == "100"


def test_link_header_parsing() -> None:
    assert mastodon.parse_link_header(LINKS) == {
        "next": "https://mastodon.example/api/v1/timelines/tag/hoot?max_id=117020593741189701",
        "prev": "https://mastodon.example/api/v1/timelines/tag/hoot?min_id=117020593741189703",
    }
    assert mastodon.parse_link_header("") == {}
