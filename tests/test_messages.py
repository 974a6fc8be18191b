"""Messages to the public: templates, the EXERCICE prefix, the draft -> approved -> sent
workflow with its roles, stale edits, and the per-network length counters."""

from __future__ import annotations

import pytest

from vigie import messages
from vigie.auth import User
from vigie.message_templates import TEMPLATES
from vigie.store import StaleEdit, Store
from vigie.textlength import bluesky_length, counts, mastodon_length, sms_parts, x_length

VOLUNTEER = User("volunteer", "volunteer")
COORDINATOR = User("coordinator", "coordinator")
VIEWER = User("viewer", "viewer")
VALUES = {"commune": "Plombières-lès-Dijon", "heure": "14 h 05", "radio": "ici Bourgogne"}


@pytest.fixture
def store(fresh_store: Store) -> Store:
    fresh_store.create_incident("Crue (exercice)", exercise=True, scenario="t")
    return fresh_store


@pytest.fixture
def real_store(fresh_store: Store) -> Store:
    fresh_store.create_incident("Crue réelle", exercise=False)
    return fresh_store


def add_claim(store: Store, status: str = "false") -> int:
    return store.db["claims"].insert({
        "title": "Le barrage va céder", "status": status, "created_at": store.now(),
        "public_message": "Le barrage est surveillé en continu, il ne présente aucun risque.",
        "verdict_at": store.now(), "incident_id": store.active_incident()["id"]}).last_pk


# -- templates ---------------------------------------------------------------------------


def test_every_hazard_has_french_safety_instructions_with_emergency_numbers() -> None:
    for hazard in ("flood", "storm", "heatwave", "wildfire", "industrial"):
        bodies = [t.body for t in TEMPLATES if t.hazard == hazard]
        assert bodies, hazard
        assert any("112" in b for b in bodies), hazard
    flood = " ".join(t.body for t in TEMPLATES if t.hazard == "flood")
    assert "Ne vous engagez pas sur une route inondée" in flood
    assert "Montez dans les étages" in flood and "radio" in flood


def test_placeholders_are_filled_and_unknown_ones_stay_visible() -> None:
    text = "Route {route} coupée à {commune} depuis {heure}."
    filled = messages.fill(text, {"commune": "Genlis", "heure": "", "route": "D905"})
    assert filled == "Route D905 coupée à Genlis depuis {heure}."
    assert messages.unfilled(filled) == ["heure"]


def test_a_road_event_fills_road_commune_and_detour() -> None:
    road = {"road": "D31", "commune": "Fauverney", "detour": "par la D905"}
    values = messages.auto_values(road=road)
    assert (values["route"], values["commune"], values["deviation"]) == (
        "D31", "Fauverney", "par la D905")
    assert values["heure"].count("h") == 1


# -- EXERCICE ----------------------------------------------------------------------------


def test_exercise_prefix_is_added_once() -> None:
    once = messages.with_exercise_prefix("Montez dans les étages.", True)
    assert once.startswith("EXERCICE")
    assert messages.with_exercise_prefix(once, True) == once
    assert messages.with_exercise_prefix("Montez.", False) == "Montez."


def test_a_draft_written_during_an_exercise_starts_with_exercice(store: Store) -> None:
    mid = messages.draft(store, VOLUNTEER, "flood_short", VALUES)
    m = store.get_message(mid)
    assert m["body"].startswith("EXERCICE") and m["title"].startswith("EXERCICE")
    assert m["exercise"] is True


def test_an_edit_cannot_remove_the_exercise_prefix(store: Store) -> None:
    mid = messages.draft(store, VOLUNTEER, "flood_short", VALUES)
    edited = messages.edit(store, VOLUNTEER, mid, 1, title="Inondation",
                           body="Montez dans les étages.")
    assert edited["body"] == "EXERCICE — Montez dans les étages."
    assert edited["title"] == "EXERCICE — Inondation"


def test_a_real_incident_message_has_no_prefix(real_store: Store) -> None:
    mid = messages.draft(real_store, VOLUNTEER, "flood_short", VALUES)
    assert not real_store.get_message(mid)["body"].startswith("EXERCICE")


def test_an_exercise_started_after_the_draft_prefixes_it_at_approval(
        real_store: Store) -> None:
    mid = messages.draft(real_store, VOLUNTEER, "flood_short", VALUES)
    real_store.create_incident("Exercice", exercise=True)
    approved = messages.approve(real_store, COORDINATOR, mid, 1)
    assert approved["body"].startswith("EXERCICE") and approved["exercise"] == 1


# -- workflow ------------------------------------------------------------------------------


def test_a_volunteer_drafts_but_cannot_approve_or_send(store: Store) -> None:
    with pytest.raises(PermissionError):
        messages.draft(store, VIEWER, "flood_short", VALUES)
    mid = messages.draft(store, VOLUNTEER, "flood_short", VALUES)
    with pytest.raises(PermissionError):
        messages.approve(store, VOLUNTEER, mid, 1)
    approved = messages.approve(store, COORDINATOR, mid, 1)
    with pytest.raises(PermissionError):
        messages.record_send(store, VOLUNTEER, mid, approved["version"], channel="X")
    assert store.get_message(mid)["status"] == "approved"


def test_a_message_with_empty_placeholders_cannot_be_approved(store: Store) -> None:
    mid = messages.draft(store, VOLUNTEER, "flood_road_closed", {"commune": "Genlis"})
    with pytest.raises(messages.MessageError) as refused:
        messages.approve(store, COORDINATOR, mid, 1)
    assert refused.value.key == "placeholders" and "route" in refused.value.params["names"]


def test_a_stale_edit_is_refused_with_who_and_when(store: Store) -> None:
    mid = messages.draft(store, VOLUNTEER, "flood_short", VALUES)
    messages.edit(store, COORDINATOR, mid, 1, title="Titre A", body="Texte A")
    with pytest.raises(StaleEdit) as stale:
        messages.edit(store, VOLUNTEER, mid, 1, title="Titre B", body="Texte B")
    assert stale.value.by == "coordinator" and stale.value.at
    assert store.get_message(mid)["body"].endswith("Texte A")


def test_editing_an_approved_message_makes_it_a_draft_again(store: Store) -> None:
    mid = messages.draft(store, VOLUNTEER, "flood_short", VALUES)
    approved = messages.approve(store, COORDINATOR, mid, 1)
    edited = messages.edit(store, VOLUNTEER, mid, approved["version"], title="T", body="B")
    assert edited["status"] == "draft" and edited["approved_by"] is None


def test_sends_are_recorded_per_channel_logged_and_audited(store: Store) -> None:
    mid = messages.draft(store, VOLUNTEER, "flood_short", VALUES)
    row = messages.approve(store, COORDINATOR, mid, 1)
    row = messages.record_send(store, COORDINATOR, mid, row["version"], channel="X",
                               sent_at="2026-11-25T14:05:00Z", note="https://x.com/...")
    row = messages.record_send(store, COORDINATOR, mid, row["version"], channel="SMS")
    assert row["status"] == "sent" and row["channel"] == "X, SMS"
    assert row["sent_at"] == "2026-11-25T14:05:00Z"
    assert [s["channel"] for s in store.message_sends(mid)] == ["X", "SMS"]
    actions = [a["action"] for a in store.audit_entries(entity="messages", entity_id=mid)]
    assert actions.count("send") == 2 and "approve" in actions and "create" in actions
    log = " ".join(e["text"] for e in store.log_entries())
    assert "approuvé" in log and "diffusé sur X" in log and "diffusé sur SMS" in log


def test_a_sent_message_is_never_edited(store: Store) -> None:
    mid = messages.draft(store, VOLUNTEER, "flood_short", VALUES)
    row = messages.approve(store, COORDINATOR, mid, 1)
    row = messages.record_send(store, COORDINATOR, mid, row["version"], channel="Facebook")
    with pytest.raises(messages.MessageError) as refused:
        messages.edit(store, COORDINATOR, mid, row["version"], title="x", body="y")
    assert refused.value.key == "sent_locked"


def test_a_send_in_the_future_or_on_an_unknown_channel_is_refused(store: Store) -> None:
    mid = messages.draft(store, VOLUNTEER, "flood_short", VALUES)
    row = messages.approve(store, COORDINATOR, mid, 1)
    for kwargs, key in (({"channel": "X", "sent_at": "2999-01-01T00:00:00Z"}, "future_send"),
                        ({"channel": "Pigeon"}, "bad_channel")):
        with pytest.raises(messages.MessageError) as refused:
            messages.record_send(store, COORDINATOR, mid, row["version"], **kwargs)
        assert refused.value.key == key


def test_a_debunk_starts_from_a_false_or_misleading_claim(store: Store) -> None:
    with pytest.raises(messages.MessageError):
        messages.draft(store, VOLUNTEER, "debunk_false", {})
    pending = add_claim(store, status="investigating")
    with pytest.raises(messages.MessageError):
        messages.draft(store, VOLUNTEER, "debunk_false", {}, claim_id=pending)
    claim_id = add_claim(store, status="false")
    claim = store.get_claim_row(claim_id)
    values = messages.auto_values(claim=claim)
    mid = messages.draft(store, VOLUNTEER, messages.template_for_claim(claim).id, values,
                         claim_id=claim_id)
    body = store.get_message(mid)["body"]
    assert "FAUX" in body and "Le barrage va céder" in body and "surveillé en continu" in body
    assert store.debunkable_claims()[0]["id"] == claim_id


# -- length counters -------------------------------------------------------------------------


def test_x_counts_a_link_as_23_and_emoji_as_2() -> None:
    url = "https://www.prefectures-regions.gouv.fr/bourgogne-franche-comte/tres/long/chemin"
    assert x_length(f"Infos : {url}") == len("Infos : ") + 23
    assert x_length("🌊") == 2 and x_length("👨‍👩‍👧") == 2
    assert x_length("é’") == 2


def test_mastodon_counts_a_mention_without_its_instance() -> None:
    assert mastodon_length("@visov@mastodon.social merci") == len("@visov merci")


def test_bluesky_counts_graphemes() -> None:
    assert bluesky_length("e\u0301") == 1
    assert bluesky_length("🇫🇷 ok") == 4


def test_sms_switches_to_unicode_for_french_accents_outside_gsm() -> None:
    assert sms_parts("Evacuez vers le gymnase") == (1, "gsm7", 23)
    assert sms_parts("é" * 160)[:2] == (1, "gsm7")
    assert sms_parts("é" * 161)[:2] == (2, "gsm7")
    assert sms_parts("Fenêtres fermées")[1] == "ucs2"
    assert sms_parts("ê" * 71)[0] == 2
    assert sms_parts("€" * 80) == (1, "gsm7", 160)


def test_counters_flag_the_networks_a_text_is_too_long_for() -> None:
    text = "a" * 290
    over = {c.network for c in counts(text) if not c.ok}
    assert over == {"X", "SMS"}
