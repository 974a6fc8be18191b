"""Every text input of every page, as the role with the widest access (admin), tried with SQL
and full-text-search syntax: no exception, a clear message where the text cannot be used,
and nothing in the database changes beyond what the form legitimately stores (verbatim).
The inputs are discovered from the pages themselves, so a new field is covered at once."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from tests.conftest import add_role_users
from tests.security_seed import seed
from tests.test_pages_smoke import open_page
from vigie.access import PAGE_ROLES
from vigie.store import Store
from vigie.ui.safe import clean

HOSTILE = ["'; DROP TABLE posts; --", '" OR 1=1 --', "NEAR(", '"unterminated', "*",
           "AND OR NOT", "col:val", "^", "text:crue*", "a\x00b", "%_\\", "x" * 10_000]
FORM_PAYLOADS = ["'; DROP TABLE posts; -- \" OR 1=1 NEAR( ^ col:val *",
                 "a\x00b \"unterminated", "y" * 10_000]
# Written by every action (or, for card_holds, by opening triage) whatever the input: not
# part of the comparison.
JOURNALS = {"audit", "log", "login_attempts", "settings", "card_holds"}
TRACEBACK_WORDS = ("Traceback", "OperationalError", "sqlite3.", "fts5:", "Exception")


@pytest.fixture
def world(db_path, monkeypatch) -> Store:
    monkeypatch.setenv("VIGIE_DB", str(db_path))
    store = Store(db_path)
    add_role_users(store)
    seed(store)
    yield store
    store.close()


def digests(store: Store) -> dict[str, tuple[int, str]]:
    """Row count and content hash of every table (FTS shadow tables included)."""
    out = {}
    for (name,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        rows = store.conn.execute(f'SELECT * FROM "{name}"').fetchall()
        digest = hashlib.sha256(repr(sorted(repr(tuple(r)) for r in rows)).encode()).hexdigest()
        out[name] = (len(rows), digest)
    return out


def changed(before: dict, after: dict, keep: set[str] = frozenset()) -> set[str]:
    """Tables whose content changed, journals left out unless in `keep`."""
    return {t for t in before.keys() | after.keys()
            if before.get(t) != after.get(t) and (t not in JOURNALS or t in keep)
            and not t.startswith(("posts_fts", "claims_fts", "sqlite_"))}


def stored_verbatim(store: Store, payload: str, widgets: list[Any]) -> bool:
    """The payload is in some table as typed: cut at a field's `max_chars` (all a person can
    type there) and, at most, without control or direction characters (vigie.ui.safe.clean,
    what Vigie strips from text it keeps). SQL and FTS syntax must survive intact."""
    limits = {w.proto.max_chars for w in widgets if w.proto.max_chars} or {len(payload)}
    wanted = {text[:n] for text in (payload, clean(payload)) for n in limits}
    for (name,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in store.conn.execute(f'SELECT * FROM "{name}"'):
            if any(isinstance(v, str) and any(w in v for w in wanted) for v in row):
                return True
    return False


def messages(at) -> str:
    return " ".join(str(e.value) for e in [*at.error, *at.warning, *at.info, *at.success,
                                           *at.exception])


def fields(at) -> list[Any]:
    return [*at.text_input, *at.text_area]


def form_of(widget) -> str:
    return widget.proto.form_id or ""


def shown_problems(at, where: str) -> list[tuple]:
    problems = []
    if at.exception:
        problems.append((where, "exception", [e.value[:200] for e in at.exception]))
    if any(w in messages(at) for w in TRACEBACK_WORDS):
        problems.append((where, "internal error shown", messages(at)[:300]))
    return problems


PAGES = [p for p in PAGE_ROLES if p != "public"]


@pytest.mark.parametrize("path", PAGES)
def test_search_and_filter_inputs_take_any_text_and_change_nothing(world, path) -> None:
    at = open_page(path, "admin")
    keys = [w.key for w in fields(at) if not form_of(w) and w.key]
    problems = []
    for key in keys:
        at = open_page(path, "admin")
        for payload in HOSTILE:
            before = digests(world)
            widget = next((w for w in fields(at) if w.key == key), None)
            if widget is None:
                at = open_page(path, "admin")
                widget = next(w for w in fields(at) if w.key == key)
            widget.set_value(payload).run()
            problems += shown_problems(at, f"{key}={payload[:20]!r}")
            if touched := changed(before, digests(world)):
                problems.append((key, payload[:20], "changed", touched))
    assert problems == []


def test_a_full_text_query_that_cannot_be_used_gets_a_clear_message(world) -> None:
    at = open_page("timeline", "admin")
    at.text_input(key="tl_search").set_value('"unterminated').run()
    assert not at.exception and at.error
    assert "recherche" in at.error[0].value.lower()
    assert not any(w in at.error[0].value for w in TRACEBACK_WORDS)


# Tables a form may write (besides the journals), by the start of its form id.
FORM_TABLES = {
    "tq_claim_form": {"claims", "claim_posts", "posts"},
    "tq_person_form": {"people", "posts"},
    "pp_": {"people"},
    "road_add": {"road_events"},
    "shelter_add": {"shelters"},
    "msg_edit": {"messages"},
    "log_new": {"log"},
    "src_add": {"sources"},
    "open-incident": {"incidents"},
    "usr_": {"users"},
}


def allowed_tables(form: str) -> set[str]:
    return next((t for prefix, t in FORM_TABLES.items() if form.startswith(prefix)), set())


@pytest.mark.parametrize("path", PAGES)
def test_forms_store_hostile_text_verbatim_or_refuse_it_clearly(world, path) -> None:
    at = open_page(path, "admin")
    forms = sorted({form_of(w) for w in fields(at) if form_of(w)})
    problems = []
    for form in forms:
        at = open_page(path, "admin")
        for payload in FORM_PAYLOADS:
            mine = [w for w in fields(at) if form_of(w) == form]
            if not mine:  # the last submission changed the page: start again
                at = open_page(path, "admin")
                mine = [w for w in fields(at) if form_of(w) == form]
            submit = [b for b in at.button if b.proto.form_id == form]
            if not mine or not submit:
                continue
            before = digests(world)
            for widget in mine:
                widget.set_value(payload)
            submit[0].click().run()
            where = f"{form}={payload[:20]!r}"
            problems += shown_problems(at, where)
            allowed = allowed_tables(form)
            after = digests(world)
            touched = changed(before, after, allowed)
            if touched - allowed:
                problems.append((where, "changed other tables", touched - allowed))
            if any(before[t][0] > n for t, (n, _h) in after.items() if t in before):
                problems.append((where, "rows disappeared"))
            if touched and not stored_verbatim(world, payload, mine):
                problems.append((where, "stored, but not verbatim"))
            if not touched and not (at.error or at.warning):
                problems.append((where, "nothing stored and no message"))
    assert problems == []
