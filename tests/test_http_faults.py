"""How the shared fetcher behaves when servers, networks and files misbehave.

Every network test talks to the local fault server (127.0.0.1 only). Sleeps go
through an injected recorder, so retry waits are asserted, not waited for; the
time bounds are computed from the timeouts each test configures.
"""

from __future__ import annotations

import json
import os
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectors.base import Fetched, Request
from collectors.http import (
    CODES,
    MIB,
    USER_AGENT,
    Fetcher,
    FetchError,
    decode_text,
    describe,
    parse_retry_after,
)

FIXTURES = Path(__file__).parent / "fixtures" / "http"
SLACK = 1.5  # seconds of scheduling slack on top of a computed bound (shared 2-core machine)


def make_fetcher(**options) -> tuple[Fetcher, list[float]]:
    """A fetcher that records its sleeps instead of sleeping, ignoring proxy variables."""
    sleeps: list[float] = []
    settings = {
        "trust_env": False,
        "sleep": sleeps.append,
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "deadline": 10.0,
        "attempts": 3,
    }
    settings.update(options)
    return Fetcher(**settings), sleeps


def fail(fetcher: Fetcher, url: str, **headers: str) -> tuple[FetchError, float]:
    """Fetch `url`, expecting a FetchError; return it with the elapsed seconds."""
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(Request(url, headers=headers))
    return caught.value, time.monotonic() - started


@pytest.fixture
def key() -> str:
    """A counter key of this test's own on the shared fault server."""
    return uuid.uuid4().hex


# -- success paths ------------------------------------------------------------------------


def test_ok_returns_body_lowercased_headers_and_final_url(fault_server, key):
    fetcher, sleeps = make_fetcher()
    fetched = fetcher.fetch(Request(fault_server.url(f"/ok?key={key}")))
    assert fetched.status == 200
    assert fetched.body.startswith(b"<?xml") and "à Dijon".encode() in fetched.body
    assert fetched.headers["content-type"] == fetched.content_type
    assert fetched.content_type.startswith("application/rss+xml")
    assert all(name == name.lower() for name in fetched.headers)
    assert fetched.url == fault_server.url(f"/ok?key={key}")
    assert fault_server.count(key) == 1 and sleeps == []


def test_user_agent_names_vigie_and_params_are_sent(fault_server):
    fetcher, _ = make_fetcher()
    fetched = fetcher.fetch(Request(fault_server.url("/headers"), params={"tag": "crue"},
                                    headers={"Accept": "application/json"}))
    echoed = json.loads(fetched.body)
    assert echoed["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("Vigie/") and "github.com/vigie-msgu/vigie" in USER_AGENT
    assert echoed["accept"] == "application/json"
    assert fetched.url.endswith("/headers?tag=crue")


def test_gzip_body_is_decompressed(fault_server):
    fetcher, _ = make_fetcher()
    fetched = fetcher.fetch(Request(fault_server.url("/gzip")))
    assert fetched.headers["content-encoding"] == "gzip"
    assert fetched.body.startswith(b"<?xml") and b"</rss>" in fetched.body


@pytest.mark.parametrize("path", ["/malformed.xml", "/malformed.json"])
def test_malformed_documents_are_handed_over_untouched(fault_server, path):
    fetcher, _ = make_fetcher()
    fetched = fetcher.fetch(Request(fault_server.url(path)))
    assert fetched.status == 200 and fetched.body  # parsers, not the fetcher, judge them
    assert fetched.body.startswith((b"<rss>", b'{"statuses"'))


# -- retries and Retry-After --------------------------------------------------------------


def test_server_error_is_retried_with_bounded_jittered_backoff(fault_server, key):
    fetcher, sleeps = make_fetcher(attempts=3, backoff_base=1.0)
    error, _ = fail(fetcher, fault_server.url(f"/status/500?key={key}"))
    assert (error.code, error.status) == ("server_error", 500)
    assert fault_server.count(key) == 3 and error.attempts == 3
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 1.0 and 0 <= sleeps[1] <= 2.0  # full jitter within 1, 2 s


def test_backoff_doubles_up_to_its_cap(fault_server, key):
    fetcher, sleeps = make_fetcher(attempts=5, backoff_base=1.0, backoff_cap=3.0,
                                   max_total_sleep=100, rng=lambda: 1.0)
    error, _ = fail(fetcher, fault_server.url(f"/status/502?key={key}"))
    assert error.code == "server_error"
    assert sleeps == [1.0, 2.0, 3.0, 3.0]
    assert fault_server.count(key) == 5


def test_total_sleep_is_bounded(fault_server, key):
    fetcher, sleeps = make_fetcher(attempts=10, backoff_base=10.0, backoff_cap=100.0,
                                   max_total_sleep=15.0, rng=lambda: 1.0)
    error, _ = fail(fetcher, fault_server.url(f"/status/504?key={key}"))
    assert error.code == "server_error"
    assert sum(sleeps) <= 15.0
    assert fault_server.count(key) == len(sleeps) + 1 < 10


@pytest.mark.parametrize(
    ("status", "code"),
    [(400, "http_error"), (401, "http_error"), (404, "http_error"), (501, "server_error")],
)
def test_permanent_errors_are_not_retried(fault_server, key, status, code):
    fetcher, sleeps = make_fetcher()
    error, _ = fail(fetcher, fault_server.url(f"/status/{status}?key={key}"))
    assert (error.code, error.status) == (code, status)
    assert fault_server.count(key) == 1 and sleeps == []


@pytest.mark.parametrize(("status", "code"), [(429, "rate_limited"), (503, "unavailable")])
def test_retry_after_seconds_is_honoured(fault_server, key, status, code):
    fetcher, sleeps = make_fetcher(attempts=3)
    error, _ = fail(fetcher, fault_server.url(f"/status/{status}?retry_after=2&key={key}"))
    assert (error.code, error.status, error.retry_after) == (code, status, 2.0)
    assert sleeps == [2.0, 2.0]
    assert fault_server.count(key) == 3


def test_retry_after_http_date_is_honoured(fault_server, key):
    fetcher, sleeps = make_fetcher(attempts=2)
    error, _ = fail(fetcher, fault_server.url(f"/status/503?retry_after_date=5&key={key}"))
    assert error.code == "unavailable"
    assert len(sleeps) == 1 and 3.0 <= sleeps[0] <= 5.0  # HTTP-dates have 1 s resolution


@pytest.mark.parametrize(("status", "code"), [(429, "rate_limited"), (503, "unavailable")])
def test_retry_after_beyond_the_cap_is_reported_not_waited(fault_server, key, status, code):
    fetcher, sleeps = make_fetcher(attempts=3, max_retry_after=30)
    error, elapsed = fail(fetcher, fault_server.url(f"/status/{status}?retry_after=120&key={key}"))
    assert (error.code, error.retry_after) == (code, 120.0)
    assert sleeps == [] and fault_server.count(key) == 1 and elapsed < SLACK
    assert "attendre 120 s" in describe(error)


def test_retry_after_larger_than_the_sleep_budget_stops_retrying(fault_server, key):
    fetcher, sleeps = make_fetcher(attempts=5, max_retry_after=60, max_total_sleep=10)
    error, _ = fail(fetcher, fault_server.url(f"/status/429?retry_after=4&key={key}"))
    assert sleeps == [4.0, 4.0]  # a third wait would pass the 10 s budget
    assert error.retry_after == 4.0 and fault_server.count(key) == 3


def test_flaky_endpoint_succeeds_on_retry(fault_server, key):
    fetcher, sleeps = make_fetcher(attempts=3)
    fetched = fetcher.fetch(Request(fault_server.url(f"/flaky?fail=2&key={key}")))
    assert fetched.status == 200 and b"<rss" in fetched.body
    assert fault_server.count(key) == 3 and len(sleeps) == 2
    counted = fetcher.fetch(Request(fault_server.url(f"/count?key={key}")))
    assert json.loads(counted.body) == {"key": key, "count": 3}  # /count is not counted


def test_flaky_endpoint_gives_up_after_the_attempt_limit(fault_server, key):
    fetcher, sleeps = make_fetcher(attempts=3)
    error, _ = fail(fetcher, fault_server.url(f"/flaky?fail=10&key={key}"))
    assert error.code == "unavailable" and error.attempts == 3
    assert fault_server.count(key) == 3 and len(sleeps) == 2


# -- time bounds --------------------------------------------------------------------------


def test_slow_headers_hit_the_read_timeout(fault_server, key):
    fetcher, sleeps = make_fetcher(read_timeout=0.5, attempts=2, deadline=10)
    error, elapsed = fail(fetcher, fault_server.url(f"/slow-headers?delay=5&key={key}"))
    assert error.code == "timeout" and error.limit == 0.5
    assert fault_server.count(key) == 2 and len(sleeps) == 1
    assert elapsed < 2 * 0.5 + SLACK
    assert describe(error) == "Le serveur ne répond pas (délai dépassé après 0,5 s)"


@pytest.mark.parametrize("chunked", ["0", "1"])
def test_drip_server_is_cut_at_the_total_deadline(fault_server, key, chunked):
    # The read timeout alone never fires: a byte arrives every 0.5 s.
    fetcher, sleeps = make_fetcher(read_timeout=5, deadline=1.5, attempts=3)
    error, elapsed = fail(fetcher, fault_server.url(f"/drip?seconds=20&chunked={chunked}"))
    assert error.code == "deadline"
    assert 1.5 <= elapsed < 1.5 + SLACK
    assert sleeps == []  # no time is left for another attempt
    assert describe(error) == "Téléchargement trop long (plus de 1,5 s) : interrompu"


@pytest.mark.parametrize(
    "path", ["/slow-headers?delay=8", "/stall?seconds=8", "/stall?drip=1.5&seconds=8"]
)
def test_a_stall_near_the_deadline_ends_at_the_deadline(fault_server, path):
    # The read timeout (5 s) is longer than the deadline (2 s), and the last stall
    # starts when less than the read timeout is left: the deadline still wins.
    fetcher, sleeps = make_fetcher(read_timeout=5, deadline=2.0)
    error, elapsed = fail(fetcher, fault_server.url(path))
    assert error.code == "deadline" and sleeps == []
    assert elapsed < 2.0 + SLACK


def test_connection_refused(refused_url):
    fetcher, sleeps = make_fetcher(connect_timeout=2, attempts=2)
    error, elapsed = fail(fetcher, refused_url)
    assert error.code == "refused"
    assert len(sleeps) == 1  # a stopped server may come back: retried once
    assert elapsed < 2 * 2 + SLACK


def test_unknown_host(unknown_host_url):
    fetcher, sleeps = make_fetcher(connect_timeout=2)
    error, elapsed = fail(fetcher, unknown_host_url)
    assert error.code in ("dns", "network")
    assert sleeps == [] and elapsed < 2 + SLACK
    assert describe(error) == "Nom de serveur inconnu : vérifiez l'adresse"


def test_tls_handshake_failure(fault_server):
    # The fault server speaks plain HTTP: a TLS handshake against it must fail cleanly.
    fetcher, sleeps = make_fetcher()
    error, _ = fail(fetcher, fault_server.url("/ok").replace("http://", "https://"))
    assert error.code == "tls" and sleeps == []


@pytest.mark.parametrize("chunked", ["0", "1"])
def test_truncated_body_is_an_error_and_is_retried(fault_server, key, chunked):
    fetcher, sleeps = make_fetcher(attempts=2)
    error, _ = fail(fetcher, fault_server.url(f"/truncated?chunked={chunked}&key={key}"))
    assert error.code == "truncated"
    assert fault_server.count(key) == 2 and len(sleeps) == 1


# -- size caps ----------------------------------------------------------------------------


def test_huge_stream_is_stopped_at_the_cap_without_memory_blowup(fault_server, key):
    fetcher, _ = make_fetcher(max_bytes=1 * MIB)
    tracemalloc.start()
    try:
        error, elapsed = fail(fetcher, fault_server.url(f"/huge?mb=50&key={key}"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "too_large" and error.limit == MIB
    assert peak < 4 * MIB
    assert elapsed < 10
    assert fault_server.wait_finished(key)  # the server noticed we hung up...
    assert fault_server.sent[key] < 25 * MIB  # ...long before its 50 MB were sent


def test_content_length_above_the_cap_is_rejected_before_reading(fault_server, key):
    fetcher, _ = make_fetcher(max_bytes=1 * MIB)
    error, elapsed = fail(fetcher, fault_server.url(f"/huge?mb=50&length=1&key={key}"))
    assert error.code == "too_large" and "Content-Length" in error.detail
    assert elapsed < SLACK


def test_default_cap_is_10_mib(fault_server):
    fetcher = Fetcher(trust_env=False, sleep=lambda s: None)
    assert len(fetcher.fetch(Request(fault_server.url("/huge?mb=9"))).body) == 9 * MIB
    error, _ = fail(fetcher, fault_server.url("/huge?mb=11"))
    assert error.code == "too_large" and error.limit == 10 * MIB
    assert describe(error) == "Réponse trop volumineuse (plus de 10 Mo) : téléchargement interrompu"


def test_compressed_body_is_capped_after_decompression(fault_server):
    fetcher, _ = make_fetcher(max_bytes=1 * MIB)
    tracemalloc.start()
    try:
        error, _ = fail(fetcher, fault_server.url("/gzip-bomb?mb=50"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "too_large"
    assert peak < 4 * MIB


# -- redirects ----------------------------------------------------------------------------


def test_redirect_loop_is_an_error(fault_server, key):
    fetcher, sleeps = make_fetcher(max_redirects=20)
    error, elapsed = fail(fetcher, fault_server.url(f"/redirect-loop?key={key}"))
    assert error.code == "redirect_loop" and sleeps == []
    assert fault_server.count(key) < 5 and elapsed < SLACK  # seen as a loop, not a long chain


def test_redirect_chain_within_the_limit_is_followed(fault_server, key):
    fetcher, _ = make_fetcher(max_redirects=5)
    fetched = fetcher.fetch(Request(fault_server.url(f"/redirect-chain?n=5&key={key}")))
    assert fetched.status == 200 and fetched.body == b"end of chain\n"
    assert "n=0" in fetched.url and fault_server.count(key) == 6


def test_too_many_redirects_is_an_error(fault_server, key):
    fetcher, _ = make_fetcher(max_redirects=5)
    error, _ = fail(fetcher, fault_server.url(f"/redirect-chain?n=6&key={key}"))
    assert error.code == "redirect_loop"
    assert fault_server.count(key) == 6  # the sixth redirect is not followed


def test_redirect_to_a_local_file_is_refused(fault_server):
    fetcher, _ = make_fetcher()
    error, _ = fail(fetcher, fault_server.url("/redirect?to=file:///etc/passwd"))
    assert error.code == "bad_url"


def test_credentials_do_not_follow_a_redirect_to_another_host(fault_server):
    fetcher, _ = make_fetcher()
    other_host = f"http://localhost:{fault_server.port}/headers"
    for target, kept in ((other_host, False), ("/headers", True)):
        url = fault_server.url(f"/redirect?to={target}")
        fetched = fetcher.fetch(Request(url, headers={"Authorization": "Bearer secret"}))
        assert ("authorization" in json.loads(fetched.body)) is kept


# -- conditional GET ----------------------------------------------------------------------


def test_not_modified_returns_304_with_empty_body(fault_server, key):
    fetcher, _ = make_fetcher()
    first = fetcher.fetch(Request(fault_server.url(f"/etag?key={key}")))
    assert first.status == 200 and first.body
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = fetcher.fetch(Request(fault_server.url(f"/etag?key={key}"),
                                  headers={"If-None-Match": etag}))
    assert (again.status, again.body, again.headers["etag"]) == (304, b"", etag)
    by_date = fetcher.fetch(Request(fault_server.url(f"/etag?key={key}"),
                                    headers={"If-Modified-Since": modified}))
    assert (by_date.status, by_date.body) == (304, b"")
    changed = fetcher.fetch(Request(fault_server.url(f"/etag?key={key}"),
                                    headers={"If-None-Match": '"v0"'}))
    assert changed.status == 200 and changed.body == first.body
    assert fault_server.count(key) == 4


# -- bad addresses and local files --------------------------------------------------------


@pytest.mark.parametrize("url", ["", "ftp://example.invalid/feed", "http://", "http://[::1",
                                 "file://elsewhere.invalid/etc/passwd", "localhost:8080/feed"])
def test_unusable_addresses_are_bad_url(url):
    fetcher, _ = make_fetcher()
    error, elapsed = fail(fetcher, url)
    assert error.code == "bad_url" and elapsed < SLACK


def test_local_file_by_path_relative_path_and_file_url(tmp_path):
    feed = tmp_path / "scenario" / "feed.xml"
    feed.parent.mkdir()
    feed.write_bytes(b"<rss/>")
    fetcher, _ = make_fetcher(base_dir=tmp_path)
    for url in (str(feed), "scenario/feed.xml", feed.as_uri()):
        fetched = fetcher.fetch(Request(url))
        assert (fetched.status, fetched.body) == (200, b"<rss/>")
        assert fetched.url == feed.as_uri()
        assert fetched.content_type in ("application/xml", "text/xml")


def test_local_file_size_cap(tmp_path):
    data = tmp_path / "posts.jsonl"
    data.write_bytes(b"x" * 101)
    fetcher, _ = make_fetcher(max_bytes=101)
    assert len(fetcher.fetch(Request(str(data))).body) == 101
    fetcher, _ = make_fetcher(max_bytes=100)
    error, _ = fail(fetcher, str(data))
    assert error.code == "too_large" and error.limit == 100


def test_missing_directory_or_special_local_paths_are_bad_url(tmp_path):
    fetcher, _ = make_fetcher()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # opening it would block forever: it must be refused, not read
    for path in (tmp_path / "absent.xml", tmp_path, fifo):
        error, elapsed = fail(fetcher, str(path))
        assert error.code == "bad_url" and elapsed < SLACK


# -- decoding -----------------------------------------------------------------------------


def test_invalid_utf8_is_replaced_and_flagged(fault_server):
    fetcher, _ = make_fetcher()
    text = decode_text(fetcher.fetch(Request(fault_server.url("/invalid-utf8"))))
    assert text.replaced and text.encoding == "utf-8"
    assert text.startswith("Route coup\ufffd") and text.endswith("entre Dijon et Beaune")


def test_valid_utf8_is_not_flagged(fault_server):
    fetcher, _ = make_fetcher()
    text = decode_text(fetcher.fetch(Request(fault_server.url("/ok"))))
    assert not text.replaced and "l'Ouche à Dijon" in text
    assert (text.sniffed, text.type_mismatch) == ("xml", False)


def test_wrong_content_type_is_exposed_but_does_not_break_parsing(fault_server):
    fetcher, _ = make_fetcher()
    fetched = fetcher.fetch(Request(fault_server.url("/wrong-type")))
    text = decode_text(fetched)
    assert (text.media_type, text.sniffed, text.type_mismatch) == ("image/png", "json", True)
    assert json.loads(text)["items"][0]["text"] == "Pont fermé"


def test_html_page_served_as_a_feed_is_a_mismatch(fault_server):
    fetcher, _ = make_fetcher()
    text = decode_text(fetcher.fetch(Request(fault_server.url("/captive"))))
    assert (text.sniffed, text.type_mismatch) == ("html", True)


def test_xml_declaration_gives_the_charset_when_the_server_does_not():
    body = (FIXTURES / "earthquake-iso8859-1.cap").read_bytes()
    text = decode_text(Fetched(body, content_type="application/xml"))
    assert text.encoding == "iso8859-1" and not text.replaced
    assert "Usulután" in text
    wrong = decode_text(Fetched(body, content_type="application/xml; charset=utf-8"))
    assert wrong.replaced and "Usulután" not in wrong  # the declared charset wins, and is flagged


@pytest.mark.parametrize(
    ("body", "content_type", "expected", "encoding"),
    [
        ("Évacuation".encode("utf-16"), "", "Évacuation", "utf-16-le"),
        (b"\xef\xbb\xbf{\"a\": 1}", "application/json", '{"a": 1}', "utf-8"),
        ("Crue à Dijon".encode("cp1252"), "text/plain; charset=windows-1252", "Crue à Dijon",
         "cp1252"),
        ("Crue à Dijon".encode(), 'text/plain; charset="x-unknown"', "Crue à Dijon", "utf-8"),
        ("Crue à Dijon".encode(), "text/plain; charset=base64", "Crue à Dijon", "utf-8"),
    ],
)
def test_charset_sources(body, content_type, expected, encoding):
    text = decode_text(Fetched(body, content_type=content_type))
    assert (str(text), text.encoding, text.replaced) == (expected, encoding, False)


@given(st.binary(max_size=300),
       st.sampled_from(["", "text/plain; charset=utf-8", "application/json", "image/png",
                        "text/xml; charset=iso-8859-1", "text/plain; charset=nonsense"]))
def test_decode_text_never_raises(body, content_type):
    text = decode_text(Fetched(body, content_type=content_type))
    assert isinstance(text, str) and isinstance(text.type_mismatch, bool)
    if content_type == "" and not body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            assert str(text) == body.decode("utf-8") and not text.replaced
        except UnicodeDecodeError:
            assert text.replaced


# -- messages and helpers -----------------------------------------------------------------


def test_describe_has_a_french_and_an_english_sentence_for_every_code():
    french, english = set(), set()
    for code in CODES:
        error = FetchError(code, "detail", retry_after=30, status=500, limit=20)
        fr, en = describe(error), describe(error, lang="en")
        assert fr and en and fr != en and "?" not in fr + en
        french.add(fr)
        english.add(en)
    assert len(french) == len(english) == len(CODES)


def test_describe_examples():
    def fr(*args, **kwargs):
        return describe(FetchError(*args, **kwargs))

    assert fr("timeout", "x", limit=20.0) == "Le serveur ne répond pas (délai dépassé après 20 s)"
    assert fr("rate_limited", "x", retry_after=120) == (
        "Trop de requêtes : le serveur demande d'attendre 120 s")
    assert fr("rate_limited", "x") == (
        "Trop de requêtes : le serveur limite les accès, nouvel essai plus tard")
    assert fr("http_error", "x", status=404).startswith("Adresse introuvable (HTTP 404)")
    assert fr("http_error", "x", status=418) == "Le serveur a refusé la demande (erreur HTTP 418)"
    assert describe(FetchError("too_large", "x", limit=10 * MIB), lang="en") == (
        "Response too large (over 10 MB): download stopped")
    assert describe(RuntimeError("boom")) == "Erreur inattendue pendant la récupération des données"


def test_unknown_error_code_is_refused():
    with pytest.raises(ValueError):
        FetchError("oops", "x")


def test_parse_retry_after():
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    later = (now + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    earlier = (now - timedelta(hours=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 7 ") == 7.0
    assert parse_retry_after(later, now=now) == 90.0
    assert parse_retry_after(earlier, now=now) == 0.0
    for junk in (None, "", "-5", "soon", "nan", "inf"):
        assert parse_retry_after(junk) is None
