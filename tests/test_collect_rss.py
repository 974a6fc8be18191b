"""RSS/Atom collector: feedparser's corpus, real CAP index feeds and a French feed.

feedparser's files carry an `Expect:` header about feedparser's own result;
here only what matters to Vigie is checked (entries kept or rejected, a
malformed feed read with a warning, headers kept for conditional GET). As in
feedparser's harness, files with "http" in their name are served with their
`Header:` lines and a default Content-Type of text/xml.
"""

from __future__ import annotations

import re

import pytest

from collectors import rss
from collectors.base import Fetched, ParseError, Source
from tests.collect_helpers import FIXTURES, check_batch, load_expected

CASES = load_expected("rss")
HEADER_RE = re.compile(r"^Header:\s+([^:]+):(.*)$", re.MULTILINE)
OPEN_ENTRY_RE = re.compile(rb"<(item|entry)(\s[^>]*)?>")
SOURCE = Source(name="flux-test", kind="rss", url="https://exemple.invalid/flux.xml")


def _as_text(data: bytes) -> str:
    """Decode just enough to read the header comment (UTF-16/32 files included)."""
    for prefixes, encoding in (
        ((b"\x00\x00\xfe\xff", b"\x00\x00\x00<"), "utf-32-be"),
        ((b"\xff\xfe\x00\x00", b"<\x00\x00\x00"), "utf-32-le"),
        ((b"\xfe\xff", b"\x00<"), "utf-16-be"),
        ((b"\xff\xfe", b"<\x00"), "utf-16-le"),
    ):
        if data.startswith(prefixes):
            return data.decode(encoding, "ignore")
    return data.decode("utf-8", "ignore")


def fetched_for(name: str, spec: dict) -> Fetched:
    data = (FIXTURES / "rss" / name).read_bytes()
    if "inject" in spec:
        # Give a text-less corpus entry a title so that the collector keeps it and the
        # field under test (date, author, geotag...) can be checked.
        data = OPEN_ENTRY_RE.sub(lambda m: m.group(0) + spec["inject"].encode(), data, count=1)
    headers: dict[str, str] = {}
    if "http" in name.rsplit("/", 1)[-1] or "/http/" in name:
        text = _as_text(data)
        headers = {k.strip().lower(): v.strip() for k, v in HEADER_RE.findall(text)}
        headers.setdefault("content-type", "text/xml")
    headers.update(spec.get("headers", {}))
    return Fetched(body=data, url=SOURCE.url, headers=headers)


@pytest.mark.parametrize("name", sorted(CASES))
def test_feed_fixture(name: str) -> None:
    spec = CASES[name]
    fetched = fetched_for(name, spec)
    if "parse_error" in spec:
        with pytest.raises(ParseError, match=spec["parse_error"]):
            rss.parse(fetched, SOURCE)
        return
    batch = rss.parse(fetched, SOURCE)
    check_batch(batch, spec, name)
    for post in batch.posts:
        assert post.id.startswith("rss:") and post.kind == "rss" and post.source == SOURCE.name
        assert post.text.strip(), name


def test_build_request_sends_validators_back() -> None:
    state = {"etag": '"abc"', "modified": "Mon, 03 Apr 2023 01:02:03 GMT"}
    request = rss.build_request(SOURCE, state)
    assert request.url == SOURCE.url
    assert request.headers == {
        "If-None-Match": '"abc"',
        "If-Modified-Since": "Mon, 03 Apr 2023 01:02:03 GMT",
    }
    assert rss.build_request(SOURCE, {}).headers == {}


def test_state_round_trips_into_the_next_request() -> None:
    body = (FIXTURES / "rss" / "vigie" / "crue_ouche_fr.xml").read_bytes()
    headers = {"etag": 'W/"v42"', "last-modified": "Tue, 01 Oct 2024 08:00:00 GMT"}
    batch = rss.parse(Fetched(body=body, headers=headers), SOURCE)
    request = rss.build_request(SOURCE, batch.state)
    assert request.headers["If-None-Match"] == 'W/"v42"'
    assert request.headers["If-Modified-Since"] == "Tue, 01 Oct 2024 08:00:00 GMT"


def test_id_without_guid_is_stable_and_depends_on_link_and_title() -> None:
    body = (FIXTURES / "rss" / "vigie" / "crue_ouche_fr.xml").read_bytes()
    first = rss.parse(Fetched(body=body), SOURCE).posts[1]
    again = rss.parse(Fetched(body=body), SOURCE).posts[1]
    changed = rss.parse(Fetched(body=body.replace(b"/actu/2", b"/actu/22")), SOURCE).posts[1]
    assert first.id == again.id
    assert first.id != changed.id


def test_a_path_in_the_body_is_never_opened(tmp_path) -> None:
    secret = tmp_path / "feed.xml"
    secret.write_bytes(b"<rss version='2.0'><channel><item><title>s</title></item></channel></rss>")
    # feedparser opens a *string* that names a file; the collector must hand it a stream.
    with pytest.raises(ParseError):
        rss.parse(Fetched(body=str(secret).encode()), SOURCE)


def test_many_bad_entries_are_counted_but_listed_briefly() -> None:
    items = "".join(f"<item><guid>g{i}</guid></item>" for i in range(60))
    body = f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()
    batch = rss.parse(Fetched(body=body), SOURCE)
    assert batch.rejected == 60 and batch.posts == []
    assert len(batch.errors) == 21 and "autres erreurs" in batch.errors[-1]


def _feed(guid: str, title: str) -> bytes:
    return (f"<rss version='2.0'><channel><title>t</title><item><guid>{guid}</guid>"
            f"<title>{title}</title></item></channel></rss>").encode()


def test_short_guids_of_two_feeds_never_collide() -> None:
    one = Source(name="mairie", kind="rss", url="https://mairie.invalid/rss")
    two = Source(name="prefecture", kind="rss", url="https://prefecture.invalid/rss")
    first = rss.parse(Fetched(body=_feed("1", "Gymnase ouvert"), url=one.url), one).posts[0]
    second = rss.parse(Fetched(body=_feed("1", "Route coupée"), url=two.url), two).posts[0]
    again = rss.parse(Fetched(body=_feed("1", "Gymnase ouvert"), url=one.url), one).posts[0]
    assert first.id != second.id
    assert first.id == again.id  # the same item of the same feed is still recognised


def test_a_globally_unique_guid_is_shared_across_feeds() -> None:
    guid = "https://www.cote-dor.gouv.fr/actualites/crue-2026"
    one = Source(name="a", kind="rss", url="https://a.invalid/rss")
    two = Source(name="b", kind="rss", url="https://b.invalid/rss")
    ids = {rss.parse(Fetched(body=_feed(guid, "Crue"), url=s.url), s).posts[0].id
           for s in (one, two)}
    assert ids == {f"rss:{guid}"}


def test_an_unusable_published_date_falls_back_to_the_update_date_without_warning() -> None:
    import time
    import warnings

    import feedparser

    source = Source(name="flux", kind="rss", url="https://exemple.invalid/flux.xml")
    beyond = time.struct_time((10000, 1, 1, 0, 0, 0, 0, 1, 0))  # no datetime has it
    updated = time.struct_time((2026, 11, 25, 10, 0, 0, 2, 329, 0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        alone = feedparser.FeedParserDict(title="Crue", id="a", published_parsed=beyond)
        both = feedparser.FeedParserDict(title="Crue", id="b", published_parsed=beyond,
                                         updated_parsed=updated)
        assert rss.entry_to_post(alone, source, {}, None).created_at is None
        assert rss.entry_to_post(both, source, {}, None).created_at == "2026-11-25T10:00:00Z"
