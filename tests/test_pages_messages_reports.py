"""The Messages and Reports pages, driven through Streamlit's AppTest on the replayed
exercise: a volunteer drafts, a coordinator approves and records a send, a stale edit is
refused with who and when, and the Reports page hands out the same files as the CLI."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, add_role_users
from tests.report_world import build_world
from vigie import messages
from vigie.auth import User
from vigie.store import Store


@pytest.fixture(scope="module")
def world_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pages") / "vigie.db"
    store = build_world(path)
    add_role_users(store)
    store.close()
    return path


@pytest.fixture
def store(world_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    copy = tmp_path / "vigie.db"
    shutil.copy(world_path, copy)
    monkeypatch.setenv("VIGIE_DB", str(copy))
    store = Store(copy)
    yield store
    store.close()


def open_page(page: str, role: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["vigie_user"] = role
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.success, *at.error,
                                          *at.info, *at.warning])


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def downloads(at: AppTest) -> list:
    return list(at.get("download_button"))


# -- Messages ------------------------------------------------------------------------------


def test_a_volunteer_drafts_a_message_that_says_exercice(store: Store) -> None:
    at = open_page("messages", "volunteer")
    assert at.title[0].value == "Messages à la population"
    at.button(key="msg_create").click().run()
    assert not at.exception
    assert "Brouillon n°1 créé" in " ".join(s.value for s in at.success)
    draft = store.get_message(1)
    assert draft["status"] == "draft" and draft["body"].startswith("EXERCICE")
    assert "Approuver" not in buttons(at)  # a volunteer cannot approve


def test_the_preview_counts_lengths_per_network(store: Store) -> None:
    at = open_page("messages", "volunteer")
    counters = " ".join(c.value for c in at.caption)
    for network in ("X", "Mastodon", "Bluesky", "SMS", "Facebook"):
        assert network in counters


def test_a_debunk_is_drafted_from_a_judged_claim(store: Store) -> None:
    at = open_page("messages", "volunteer")
    at.segmented_control(key="msg_kind").set_value("debunk").run()
    assert not at.exception
    claim = at.selectbox(key="msg_claim").value
    assert claim["status"] in ("false", "misleading")
    at.button(key="msg_create").click().run()
    message = store.list_messages()[0]
    assert message["kind"] == "debunk" and message["claim_id"] == claim["id"]
    assert claim["title"] in message["body"]


def test_a_coordinator_approves_and_records_a_send(store: Store) -> None:
    user = User("volunteer", "volunteer")
    mid = messages.draft(store, user, "flood_short", {"commune": "Genlis"})
    at = open_page("messages", "coordinator")
    at.button(key=f"msg_approve_{mid}").click().run()
    assert not at.exception
    assert store.get_message(mid)["status"] == "approved"
    at.segmented_control(key="msg_filter").set_value("approved").run()
    send_form_submit = next(b for b in at.button if b.label == "Enregistrer la diffusion")
    send_form_submit.click().run()
    assert not at.exception
    sent = store.get_message(mid)
    assert sent["status"] == "sent" and sent["channel"] == "X"
    assert [s["channel"] for s in store.message_sends(mid)] == ["X"]


def test_a_stale_edit_on_the_page_names_who_changed_it(store: Store) -> None:
    volunteer = User("volunteer", "volunteer")
    mid = messages.draft(store, volunteer, "flood_short", {"commune": "Genlis"})
    at = open_page("messages", "volunteer")
    # someone else saves first, while this page still shows version 1
    messages.edit(store, User("coordinator", "coordinator"), mid, 1, title="Autre titre",
                  body="Autre texte")
    at.text_area[0].set_value("Ma version")
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "modifié par coordinator" in errors
    assert store.get_message(mid)["body"].endswith("Autre texte")


def test_approved_messages_offer_their_cap_file(store: Store) -> None:
    mid = messages.draft(store, User("volunteer", "volunteer"), "flood_short",
                         {"commune": "Genlis"})
    messages.approve(store, User("coordinator", "coordinator"), mid, 1)
    at = open_page("messages", "coordinator")
    at.segmented_control(key="msg_filter").set_value("approved").run()
    labels = [d.proto.label for d in downloads(at)]
    assert "Télécharger en CAP 1.2" in labels


# -- Reports -------------------------------------------------------------------------------


def test_the_reports_page_makes_the_sitrep_pdf(store: Store) -> None:
    at = open_page("reports", "coordinator")
    assert at.title[0].value == "Rapports et exports"
    at.button(key="rep_make_sitrep").click().run()
    assert not at.exception, [e.value for e in at.exception]
    ready = at.session_state["rep_sitrep_ready"]
    assert ready["data"].startswith(b"%PDF-") and ready["name"].startswith("EXERCICE-")
    assert any(d.proto.label == "Télécharger" for d in downloads(at))
    assert store.audit_entries(entity="sitrep")[0]["actor"] == "coordinator"


def test_the_reports_page_exports_pseudonymised_posts(store: Store) -> None:
    at = open_page("reports", "coordinator")
    at.selectbox(key="rep_format").set_value("csv")
    at.button(key="rep_make_export").click().run()
    assert not at.exception, [e.value for e in at.exception]
    ready = at.session_state["rep_export_ready"]
    rows = list(csv.DictReader(io.StringIO(ready["data"].decode("utf-8-sig"))))
    assert ready["name"].startswith("vigie-EXERCICE-posts-") and ready["name"].endswith(".csv")
    assert rows and all(r["auteur"].startswith("anon-") for r in rows)
    assert len(rows) == store.count_export_posts(None, "9999")


def test_authors_names_need_the_checkbox_and_are_audited(store: Store) -> None:
    at = open_page("reports", "coordinator")
    at.selectbox(key="rep_format").set_value("csv")
    at.checkbox(key="rep_with_authors").check()
    at.button(key="rep_make_export").click().run()
    text = at.session_state["rep_export_ready"]["data"].decode("utf-8-sig")
    assert "'@Prefet21" in text
    entry = store.audit_entries(entity="posts")[0]
    assert entry["action"] == "export" and entry["after"]["with_authors"] is True


def test_the_reports_page_offers_cap_and_claimreview(store: Store) -> None:
    mid = messages.draft(store, User("volunteer", "volunteer"), "flood_short",
                         {"commune": "Genlis"})
    messages.approve(store, User("coordinator", "coordinator"), mid, 1)
    at = open_page("reports", "coordinator")
    labels = [d.proto.label for d in downloads(at)]
    assert "Télécharger en CAP 1.2" in labels and "Télécharger la ClaimReview" in labels


@pytest.mark.parametrize("role", ["viewer", "volunteer"])
def test_reports_are_refused_below_coordinator(store: Store, role: str) -> None:
    at = open_page("reports", role)
    assert "ne permet pas" in texts(at)
    assert not downloads(at) and "rep_make_export" not in [b.key for b in at.button]
