"""Script-run timings (vigie/metrics.py) and /api/metrics: percentiles per page and fragment,
only for the machine itself or an admin, and nothing personal in them."""

from __future__ import annotations

import json
import time

import pytest
from starlette.requests import Request
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, add_role_users
from vigie import auth, metrics, web
from vigie.store import Store


@pytest.fixture(autouse=True)
def empty_metrics():
    metrics.clear()
    yield
    metrics.clear()


@pytest.fixture
def web_db(db_path, monkeypatch):
    monkeypatch.setenv("VIGIE_DB", str(db_path))
    store = Store(db_path)
    add_role_users(store)
    yield store
    store.close()


def call(client: str = "127.0.0.1", headers: dict[str, str] | None = None,
         query: str = "") -> tuple[int, dict]:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    request = Request({"type": "http", "method": "GET", "path": "/api/metrics",
                       "query_string": query.encode(), "headers": raw,
                       "client": (client, 50000), "server": ("127.0.0.1", 8501),
                       "scheme": "http"})
    response = web.metrics_report(request)
    return response.status_code, json.loads(response.body)


def cookie(store: Store, username: str) -> dict[str, str]:
    return {"cookie": f"{auth.COOKIE_NAME}={auth.make_session_token(store, username)}"}


def test_percentiles_are_observed_values_by_nearest_rank() -> None:
    for ms in range(1, 101):  # 1..100 ms, shuffled order must not matter
        metrics.record("page:timeline", ((ms * 37) % 100 + 1) / 1000)
    metrics.record("fragment:wall.top", 0.004)
    report = metrics.summary()
    timeline = report["runs"]["page:timeline"]
    assert timeline == {"count": 100, "p50_ms": 50.0, "p95_ms": 95.0, "p99_ms": 99.0,
                        "max_ms": 100.0}
    assert report["runs"]["fragment:wall.top"]["p95_ms"] == 4.0
    assert report["all"]["count"] == 101


def test_since_keeps_only_later_runs_and_the_buffer_is_bounded() -> None:
    metrics.record("page:map", 0.5, at=1000.0)
    metrics.record("page:map", 0.1, at=2000.0)
    assert metrics.summary(since=1500.0)["runs"]["page:map"]["count"] == 1
    for _ in range(metrics.SIZE + 10):
        metrics.record("page:log", 0.01)
    assert metrics.summary()["runs"]["page:log"]["count"] == metrics.SIZE


def test_loopback_client_gets_percentiles(web_db) -> None:
    metrics.record("fragment:wall.urgent", 0.020)
    status, body = call(query=f"since={time.time() - 60}")
    assert status == 200
    assert body["runs"]["fragment:wall.urgent"]["p95_ms"] == 20.0


@pytest.mark.parametrize("headers", [{"X-Forwarded-For": "203.0.113.7"},
                                     {"X-Real-IP": "203.0.113.7"},
                                     {"Forwarded": "for=203.0.113.7"}])
def test_request_relayed_by_a_local_proxy_is_refused_without_admin(web_db, headers) -> None:
    status, body = call(headers=headers)
    assert status == 403 and "runs" not in body


def test_remote_anonymous_and_non_admins_are_refused(web_db) -> None:
    metrics.record("page:situation", 0.1)
    assert call(client="203.0.113.7")[0] == 403
    assert call(client="203.0.113.7", headers={"cookie": "vigie_session=forged.sig"})[0] == 403
    for role in ("viewer", "volunteer", "coordinator"):
        assert call(client="203.0.113.7", headers=cookie(web_db, role))[0] == 403, role


def test_remote_admin_session_is_allowed(web_db) -> None:
    metrics.record("page:situation", 0.1)
    status, body = call(client="203.0.113.7", headers=cookie(web_db, "admin"))
    assert status == 200 and body["runs"]["page:situation"]["count"] == 1


def test_malformed_since_is_a_clear_error(web_db) -> None:
    status, body = call(query="since=yesterday")
    assert status == 400 and "since" in body["error"]


def test_page_runs_are_recorded_without_anything_personal(web_db) -> None:
    """A real script run of the wall, by a named user, with a distinctive incident on it:
    the report holds the page's name and numbers, never the user or what the page showed."""
    web_db.create_incident("Zorglub-inondation", exercise=True, scenario="test")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["vigie_user"] = "volunteer"
    at.run()
    assert not at.exception
    assert "Zorglub" in json.dumps([e.value for e in at.markdown])  # the page did show it
    status, body = call()
    assert status == 200
    assert body["runs"]["page:home"]["count"] == 1
    text = json.dumps(body)
    assert "volunteer" not in text and "Zorglub" not in text
    assert set(body) == {"since", "now", "kept_per_name", "runs", "all"}
    for name, stats in body["runs"].items():
        assert name.split(":")[0] in ("page", "fragment")
        assert set(stats) <= {"count", "p50_ms", "p95_ms", "p99_ms", "max_ms"}
