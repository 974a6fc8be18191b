"""Triage card holds: two volunteers at the top of the queue take different cards."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.test_volunteers_pages import app_db, open_page  # noqa: F401 (fixture)
from vigie import card_holds
from vigie.acting import Refused
from vigie.auth import User
from vigie.models import utc_now

CARDS = [{"ckey": k} for k in ("a", "b", "c", "d")]


def test_a_free_current_card_stays_active() -> None:
    assert card_holds.choose_active(CARDS, 1, {"a"}, None) == 1


def test_a_card_held_by_another_moves_to_the_next_free_one() -> None:
    assert card_holds.choose_active(CARDS, 0, {"a", "b"}, None) == 2


def test_when_only_earlier_cards_are_free_the_nearest_one_is_taken() -> None:
    assert card_holds.choose_active(CARDS, 3, {"c", "d"}, None) == 1


def test_a_card_chosen_on_purpose_stays_active_even_if_held() -> None:
    assert card_holds.choose_active(CARDS, 0, {"a"}, "a") == 0


def test_when_everything_is_held_the_card_stays() -> None:
    assert card_holds.choose_active(CARDS, 2, {"a", "b", "c", "d"}, None) == 2


def test_a_hold_belongs_to_its_holder_until_it_expires(fresh_store) -> None:
    now = utc_now()
    alice, bob = User("alice", "volunteer"), User("bob", "volunteer")
    assert card_holds.hold(fresh_store, alice, "k", now) == "alice"
    assert card_holds.hold(fresh_store, bob, "k", now + timedelta(seconds=10)) == "alice"
    assert card_holds.holders(fresh_store, ["k", "z"], "bob", now) == {"k": "alice"}
    assert card_holds.holders(fresh_store, ["k"], "alice", now) == {}
    later = now + timedelta(seconds=card_holds.HOLD_SECONDS + 1)
    assert card_holds.holders(fresh_store, ["k"], "bob", later) == {}
    assert card_holds.hold(fresh_store, bob, "k", later) == "bob"


def test_a_viewer_cannot_hold_a_card(fresh_store) -> None:
    with pytest.raises(Refused):
        card_holds.hold(fresh_store, User("v", "viewer"), "k", utc_now())


def test_two_volunteers_opening_triage_get_different_cards(app_db) -> None:  # noqa: F811
    app_db.add_user("bob", "!no-login", "volunteer")
    first = open_page("triage", "volunteer")
    second = open_page("triage", "bob")
    mine = first.session_state["tq_shown"][first.session_state["tq_active"]]["ckey"]
    theirs = second.session_state["tq_shown"][second.session_state["tq_active"]]["ckey"]
    assert mine != theirs
    assert any(r"en cours \: volunteer" in c.value for c in second.caption)
    assert not any("en cours" in c.value for c in first.caption)
