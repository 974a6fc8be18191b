"""Manual road events, shelters and post flags in the store: audited, logged, refused
when stale, and never touched by a feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vigie.models import RoadEvent, iso
from vigie.road_events import (
    RoadFilter,
    live_status,
    manual_description,
    manual_geometry,
    paris_to_utc,
    parse_point,
    select,
    with_live_status,
)
from vigie.store import StaleEdit, StoreError

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def manual(store, **fields) -> str:
    values = {"road": "D905", "event_type": "closure", "commune": "Genlis", "status": "active",
              "description": "D905 fermée (Genlis)", "extra": {"from": "Genlis"}}
    values.update(fields)
    return store.add_manual_road_event(values, "alice", incident_id=None,
                                       log_text="Fermeture ajoutée à la main : D905 (Genlis)")


def test_a_manual_event_is_stored_audited_and_logged(fresh_store) -> None:
    event_id = manual(fresh_store)
    event = fresh_store.road_event(event_id)
    assert event["manual"] == 1 and event["source"] == "manuel" and event["updated_by"] == "alice"
    assert event["extra"] == {"from": "Genlis"}
    audit = fresh_store.audit_entries(entity="road_events", entity_id=event_id)
    assert [a["action"] for a in audit] == ["road_event.create"]
    log = fresh_store.log_entries()
    assert log[0]["author"] == "alice" and log[0]["entity_id"] == event_id
    assert "D905" in log[0]["text"]


def test_an_edit_based_on_an_old_version_is_refused_with_who_and_when(fresh_store) -> None:
    event_id = manual(fresh_store)
    fresh_store.edit_manual_road_event(event_id, 1, {"detour": "par la D10"}, "bob",
                                       action="road_event.edit", log_text="modifiée")
    with pytest.raises(StaleEdit) as caught:
        fresh_store.edit_manual_road_event(event_id, 1, {"detour": "par la D25"}, "carol",
                                           action="road_event.edit", log_text="modifiée")
    assert caught.value.by == "bob" and caught.value.at
    assert fresh_store.road_event(event_id)["detour"] == "par la D10"
    assert len(fresh_store.log_entries()) == 2  # creation and bob's edit, not carol's


def test_reopening_ends_the_event_and_writes_the_main_courante(fresh_store) -> None:
    event_id = manual(fresh_store)
    fresh_store.edit_manual_road_event(event_id, 1, {"status": "ended", "ends_at": iso(NOW)},
                                       "bob", action="road_event.reopen",
                                       log_text="Route rouverte (saisie manuelle) : D905")
    event = fresh_store.road_event(event_id)
    assert event["status"] == "ended" and event["version"] == 2
    assert fresh_store.log_entries()[0]["text"].startswith("Route rouverte")
    assert fresh_store.audit_entries(entity_id=event_id)[0]["action"] == "road_event.reopen"


def test_feed_events_are_not_edited_by_hand(fresh_store) -> None:
    fresh_store.upsert_road_events([(RoadEvent(id="f:1", source="f", kind="wzdx"), "active")],
                                   None)
    with pytest.raises(StoreError):
        fresh_store.edit_manual_road_event("f:1", 1, {"detour": "x"}, "bob",
                                           action="road_event.edit", log_text="x")


def test_a_person_cannot_set_columns_outside_the_manual_fields(fresh_store) -> None:
    with pytest.raises(StoreError):
        manual(fresh_store, manual=0)


def test_a_feed_never_updates_nor_ends_a_manual_event(fresh_store) -> None:
    event_id = manual(fresh_store)
    impostor = RoadEvent(id=event_id, source="manuel", kind="wzdx", road="D1",
                         description="changed by a feed")
    assert fresh_store.upsert_road_events([(impostor, "active")], None) == 0
    assert fresh_store.end_missing_road_events("manuel", set()) == 0
    event = fresh_store.road_event(event_id)
    assert event["road"] == "D905" and event["status"] == "active"


# --------------------------------------------------------------------- shelters


def test_shelters_are_added_edited_and_published_with_audit(fresh_store) -> None:
    shelter_id = fresh_store.add_shelter(
        {"name": "Gymnase", "commune": "Genlis", "lat": 47.24, "lon": 5.22, "status": "open",
         "published": 0}, "alice", incident_id=None, log_text="Lieu d'accueil ajouté")
    assert fresh_store.public_shelters() == []
    fresh_store.edit_shelter(shelter_id, 1, {"published": 1}, "bob", log_text="publié")
    assert [s["name"] for s in fresh_store.public_shelters()] == ["Gymnase"]
    with pytest.raises(StaleEdit):
        fresh_store.edit_shelter(shelter_id, 1, {"published": 0}, "carol", log_text="x")
    actions = [a["action"] for a in fresh_store.audit_entries(entity="shelters")]
    assert actions == ["shelter.edit", "shelter.create"]
    assert [e["author"] for e in fresh_store.log_entries()] == ["bob", "alice"]


# ------------------------------------------------------------------------ flags


def test_flags_are_kept_once_and_checked_with_a_version(fresh_store) -> None:
    from vigie.models import Post
    from vigie.store.posts import post_row

    fresh_store.insert_post_rows([post_row(
        Post(id="x:1", source="x", kind="rss", text="D905 rouverte", author="@a"),
        collected_at=iso(NOW), collector="x", fetched_at=None, incident_id=None)])
    flag = {"post_id": "x:1", "kind": "road_contradiction", "road": "D905",
            "post_says": "open", "feed_says": "closed", "detail": {"elsewhere": []}}
    assert fresh_store.add_post_flags([flag, flag]) == 1
    [stored] = fresh_store.flagged_posts()
    assert stored["post"]["author"] == "@a" and stored["detail"] == {"elsewhere": []}
    assert fresh_store.post_flags(["x:1", "x:2"]).keys() == {"x:1"}
    fresh_store.set_flag_status(stored["id"], 1, "checked", "bob")
    assert fresh_store.flagged_posts() == [] and fresh_store.count_flagged_posts() == 0
    with pytest.raises(StaleEdit):
        fresh_store.set_flag_status(stored["id"], 1, "checked", "carol")


# ------------------------------------------------------------------ pure helpers


def test_live_status_moves_with_the_clock_and_respects_an_ending() -> None:
    planned = {"status": "planned", "starts_at": iso(NOW + timedelta(hours=1))}
    assert live_status(planned, NOW) == "planned"
    assert live_status(planned, NOW + timedelta(hours=2)) == "active"
    ended = {"status": "ended", "ends_at": iso(NOW + timedelta(hours=5)),
             "updated_at": iso(NOW - timedelta(minutes=5))}
    assert live_status(ended, NOW) == "ended"  # ended by its feed before its planned end


def test_the_filter_keeps_in_effect_first() -> None:
    events = with_live_status([
        {"id": "a", "road": "D905", "commune": "Genlis", "event_type": "closure",
         "source": "s", "status": "ended", "updated_at": "2026-11-25T14:00:00Z"},
        {"id": "b", "road": "D905", "commune": "Velars", "event_type": "detour",
         "source": "manuel", "status": "active", "updated_at": "2026-11-25T10:00:00Z"},
        {"id": "c", "road": "D970", "commune": "Bligny", "event_type": "closure",
         "source": "s", "status": "active", "updated_at": "2026-11-25T12:00:00Z"},
    ], NOW)
    everything = RoadFilter(statuses=())
    assert [e["id"] for e in select(events, everything)] == ["c", "b", "a"]
    assert [e["id"] for e in select(events, RoadFilter(road="D905"))] == ["b"]
    assert [e["id"] for e in select(events, RoadFilter(statuses=(), sources=["manuel"]))] == ["b"]
    assert [e["id"] for e in select(events, RoadFilter(event_types=["closure"]))] == ["c"]


@pytest.mark.parametrize(("text", "expected"), [
    ("47.3187, 4.9113", (47.3187, 4.9113)),
    ("47.3187 4.9113", (47.3187, 4.9113)),
    ("47,3187; 4,9113", (47.3187, 4.9113)),
    ("", None), ("Dijon", None), ("47.3", None), ("95.0, 4.9", None), ("1, 2, 3", None),
])
def test_points_are_read_as_typed(text, expected) -> None:
    assert parse_point(text) == expected


def test_a_manual_event_gets_a_line_a_point_or_the_commune_centre() -> None:
    line, lat, lon = manual_geometry((47.0, 5.0), (47.1, 5.2), (46.0, 4.0))
    assert line == {"type": "LineString", "coordinates": [[5.0, 47.0], [5.2, 47.1]]}
    assert (lat, lon) == (47.05, 5.1)
    assert manual_geometry(None, None, (46.0, 4.0))[0] == {"type": "Point",
                                                           "coordinates": [4.0, 46.0]}
    assert manual_geometry(None, None, None) == (None, None, None)


def test_manual_descriptions_and_paris_times() -> None:
    assert manual_description("RD 905", "closure", "Genlis", "Genlis", "Labergement-Foigney") \
        == "D905 fermée entre Genlis et Labergement-Foigney"
    assert manual_description("D10", "detour", "Lantenay", "", "PR 25") \
        == "D10 déviation à hauteur de PR 25 (Lantenay)"
    from datetime import date, time
    assert paris_to_utc(date(2026, 11, 25), time(16, 0)) == "2026-11-25T15:00:00Z"
    assert paris_to_utc(date(2026, 7, 1), time(16, 0)) == "2026-07-01T14:00:00Z"
    assert paris_to_utc(None, time(16, 0)) is None
