"""vigie.roads and vigie.geometry: status over time and weekly windows (Paris time), French
road references and PR notation, event kinds, map styles, representative points."""

from datetime import UTC, datetime, timedelta

import pytest

from vigie.geometry import clean_geometry, latlon_pairs, merge_geometries, representative_point
from vigie.models import RoadEvent
from vigie.roads import (
    EVENT_TYPES,
    canonical_road,
    event_style,
    extract_road,
    extract_roads,
    guess_event_type,
    normalise_direction,
    normalise_pr,
    normalise_schedule,
    schedule_windows,
    status_at,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def event(**fields) -> RoadEvent:
    return RoadEvent(id="t:1", source="t", kind="t", **fields)


# -------------------------------------------------------------------- start and end


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2024, 5, 14, 7, 59), "planned"),
        (utc(2024, 5, 14, 8, 0), "active"),  # starts_at is inclusive
        (utc(2024, 5, 15, 12, 0), "active"),
        (utc(2024, 5, 16, 17, 59, 59), "active"),
        (utc(2024, 5, 16, 18, 0), "ended"),  # ends_at is exclusive
        (utc(2025, 1, 1), "ended"),
    ],
)
def test_status_follows_start_and_end(now, expected):
    ev = event(starts_at="2024-05-14T08:00:00Z", ends_at="2024-05-16T18:00:00Z")
    assert status_at(ev, now) == expected


def test_status_reads_dicts_as_the_store_returns_them():
    row = {"starts_at": "2024-05-14T08:00:00Z", "ends_at": None, "schedule": None}
    assert status_at(row, utc(2024, 5, 14, 7)) == "planned"
    assert status_at(row, utc(2030, 1, 1)) == "active"  # no end: active until told otherwise


def test_open_ended_and_timeless_events_are_active():
    assert status_at(event(), utc(2024, 1, 1)) == "active"
    assert status_at(event(ends_at="2024-05-16T18:00:00Z"), utc(2000, 1, 1)) == "active"


def test_unreadable_times_are_ignored():
    ev = event(starts_at="demain matin", ends_at="2024-13-45")
    assert status_at(ev, utc(2024, 5, 14)) == "active"


def test_offsets_are_honoured_and_naive_now_is_utc():
    ev = event(starts_at="2024-05-14T10:00:00+02:00")  # 08:00 UTC
    assert status_at(ev, datetime(2024, 5, 14, 7, 59)) == "planned"
    assert status_at(ev, datetime(2024, 5, 14, 8, 0)) == "active"


# ----------------------------------------------------------------- weekly schedules


def test_everyday_window_is_read_in_paris_time_in_summer_and_winter():
    ev = event(schedule={"everyday": ["18:00-22:00"]})
    # Summer (UTC+2): 18:00-22:00 in Paris is 16:00-20:00 UTC.
    assert status_at(ev, utc(2024, 7, 2, 15, 59)) == "planned"
    assert status_at(ev, utc(2024, 7, 2, 16, 0)) == "active"
    assert status_at(ev, utc(2024, 7, 2, 19, 59)) == "active"
    assert status_at(ev, utc(2024, 7, 2, 20, 0)) == "planned"
    # Winter (UTC+1): 17:00-21:00 UTC.
    assert status_at(ev, utc(2024, 1, 9, 16, 30)) == "planned"
    assert status_at(ev, utc(2024, 1, 9, 17, 30)) == "active"
    assert status_at(ev, utc(2024, 1, 9, 20, 30)) == "active"
    assert status_at(ev, utc(2024, 1, 9, 21, 0)) == "planned"


def test_weekday_windows_apply_on_that_day_only():
    ev = event(schedule={"tuesday": ["12:00-14:00", "19:00-21:00"]})
    tuesday, wednesday = utc(2023, 6, 6, 10, 30), utc(2023, 6, 7, 10, 30)  # 12:30 in Paris
    assert status_at(ev, tuesday) == "active"
    assert status_at(ev, wednesday) == "planned"
    assert status_at(ev, utc(2023, 6, 6, 15, 0)) == "planned"  # 17:00, between windows
    assert status_at(ev, utc(2023, 6, 6, 17, 30)) == "active"  # 19:30


def test_a_window_past_midnight_runs_into_the_next_day():
    ev = event(schedule={"monday": ["22:00-06:00"]})
    assert status_at(ev, utc(2024, 5, 13, 20, 30)) == "active"  # Monday 22:30
    assert status_at(ev, utc(2024, 5, 14, 3, 0)) == "active"  # Tuesday 05:00
    assert status_at(ev, utc(2024, 5, 14, 4, 0)) == "planned"  # Tuesday 06:00
    assert status_at(ev, utc(2024, 5, 13, 3, 0)) == "planned"  # Monday 05:00: Sunday has none


def test_whole_day_windows():
    for window in ("00:00-24:00", "00:00-00:00"):
        ev = event(schedule={"saturday": [window]})
        assert status_at(ev, utc(2024, 5, 18, 12)) == "active"
        assert status_at(ev, utc(2024, 5, 18, 21, 59)) == "active"  # 23:59 in Paris
        assert status_at(ev, utc(2024, 5, 19, 12)) == "planned"


def test_windows_on_the_day_clocks_go_forward():
    # 31 March 2024: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    ev = event(schedule={"sunday": ["01:00-04:00"]})
    assert status_at(ev, utc(2024, 3, 31, 0, 30)) == "active"  # 01:30 CET
    assert status_at(ev, utc(2024, 3, 31, 1, 30)) == "active"  # 03:30 CEST
    assert status_at(ev, utc(2024, 3, 31, 2, 0)) == "planned"  # 04:00 CEST


def test_schedule_never_overrides_start_and_end():
    ev = event(starts_at="2023-06-04T23:00:00Z", ends_at="2023-06-10T22:59:00Z",
               schedule={"everyday": ["00:00-24:00"]})
    assert status_at(ev, utc(2023, 6, 4, 12)) == "planned"
    assert status_at(ev, utc(2023, 6, 11, 12)) == "ended"
    assert status_at(ev, utc(2023, 6, 6, 12)) == "active"


def test_other_time_zones_can_be_asked_for():
    ev = event(schedule={"everyday": ["08:00-10:00"]})
    now = utc(2024, 7, 2, 8, 30)  # 10:30 in Paris, 09:30 in London
    assert status_at(ev, now) == "planned"
    assert status_at(ev, now, tz="Europe/London") == "active"


def test_unusable_schedules_are_ignored():
    for schedule in ({"funday": ["08:00-10:00"]}, {"monday": ["25:00-26:00"]}, {"monday": []},
                     "everyday 8-10", {"monday": [None, 3]}):
        assert status_at(event(schedule=schedule), utc(2024, 5, 14, 3)) == "active"


def test_schedule_windows_and_day_names_are_normalised():
    assert schedule_windows("12:00-14:00,19:00-21:00") == ["12:00-14:00", "19:00-21:00"]
    assert schedule_windows(["8h00-10h30", "08:00:00-10:30:00", "bad"]) == ["08:00-10:30"]
    assert normalise_schedule({"Mardi": "8h-10h", "TUESDAY": "08:00-10:00", "Tous les jours":
                               "18:00-22:00"}) == {"tuesday": ["08:00-10:00"],
                                                   "everyday": ["18:00-22:00"]}


# ------------------------------------------------------------------------ road text


def test_pr_notation_is_made_readable():
    raw = "D911 du PR 4+0800  au PR 5+0200    (ENTRELACS) situés hors agglomération"
    assert normalise_pr(raw) == (
        "D911 du PR 4+0800 au PR 5+0200 (ENTRELACS) situés hors agglomération"
    )
    assert normalise_pr("ROUTE 147 (NOYELLES-LÈS-SECLIN) DU PR7 +779 AU PR8 +413") == (
        "ROUTE 147 (NOYELLES-LÈS-SECLIN) DU PR 7+779 AU PR 8+413"
    )
    assert normalise_pr("  \n\u00a0 ") is None
    assert normalise_pr(None) is None


@pytest.mark.parametrize(
    ("text", "roads"),
    [
        ("D911 du PR 4+0800 au PR 5+0200 (ENTRELACS)", ["D911"]),
        ("RD 905 puis R.D. 12", ["D905", "D12"]),
        ("RD905", ["D905"]),
        ("D211B du PR 1+0000", ["D211B"]),
        ("RN 7, N176 et la nationale 74", ["N7", "N176", "N74"]),
        ("accident sur l'A38 puis autoroute A6", ["A38", "A6"]),
        ("M383 puis RM 7 (métropole de Lyon)", ["M383", "M7"]),
        ("VC 3, C12 et voie communale n° 5", ["C3", "C12", "C5"]),
        ("fermeture de la route départementale 3", ["D3"]),
        ("Routes Départementales N° 3-93, Voie communautaire", ["D3"]),
        ("chemin départemental 42", ["D42"]),
        ("DEPARTEMENT DE SAVOIE (CD 73)", []),  # the département, not a road
        ("Arrêté 26-AT-0366 du PR 4+0800", []),
        ("ROUTE 147 (NOYELLES-LÈS-SECLIN)", []),
        ("I-35, IA 210, US 69", []),
        ("de 3 à 5 km", []),
        ("", []),
    ],
)
def test_french_road_references_are_found(text, roads):
    assert extract_roads(text) == roads
    assert extract_road(text) == (roads[0] if roads else None)


@pytest.mark.parametrize(
    ("text", "road"),
    [
        ("RD 971", "D971"),
        ("la route départementale 3", "D3"),
        ("Autoroute A6", "A6"),
        ("Rue Claude Monet", "Rue Claude Monet"),
        ("D911 du PR 4+0800  au PR 5+0200", "D911 du PR 4+0800 au PR 5+0200"),
        ("NE 150th Avenue", "NE 150th Avenue"),
    ],
)
def test_a_road_name_becomes_canonical_only_when_it_is_just_a_reference(text, road):
    assert canonical_road(text) == road


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("AC - Fermeture", "closure"),
        ("Route barrée suite à inondation", "closure"),
        ("Circulation interdite", "closure"),
        ("ROAD CLOSED", "closure"),
        ("Route fermée, déviation par la D905", "closure"),
        ("Déviation conseillée", "detour"),
        ("AC - Alternat", "restriction"),
        ("Fermeture de voie sur la rocade", "restriction"),
        ("Interdiction de dépasser", "restriction"),
        ("Limitation de vitesse à 50", "restriction"),
        ("Accident", "incident"),
        ("Éboulement signalé", "incident"),
        ("Travaux d'enrobé", "works"),
        ("Chantier", "works"),
        ("DEP7301 - Alignement", None),
        ("", None),
    ],
)
def test_event_kind_is_guessed_from_french_or_english_words(text, kind):
    assert guess_event_type(text) == kind


def test_directions_share_one_vocabulary():
    assert normalise_direction("BOTH_DIRECTIONS") == "both"
    assert normalise_direction("bothWays") == "both"
    assert normalise_direction("Les deux sens") == "both"
    assert normalise_direction("ONE_DIRECTION") == "one_direction"
    assert normalise_direction("northbound") == "northbound"
    assert normalise_direction("positive") == "positive"
    assert normalise_direction(None) is None


# ---------------------------------------------------------------------------- style


def test_each_kind_has_its_own_colour_and_detours_are_dashed():
    styles = {kind: event_style(kind) for kind in EVENT_TYPES}
    colours = [tuple(s["color"]) for s in styles.values()]
    assert len(set(colours)) == len(EVENT_TYPES)
    assert all(len(c) == 3 and all(0 <= v <= 255 for v in c) for c in colours)
    red, green, blue = styles["closure"]["color"]
    assert red > 180 and green < 80 and blue < 80
    assert styles["detour"]["dash"] and not styles["closure"]["dash"]
    assert styles["detour"]["color"][2] > styles["detour"]["color"][0]  # blue
    assert styles["closure"]["width"] >= max(s["width"] for s in styles.values())
    assert event_style("unknown")["label"] == "Autre"
    event_style("closure")["color"][0] = 0  # a copy: the table is not changed
    assert event_style("closure")["color"] == styles["closure"]["color"]


# ------------------------------------------------------------------------- geometry


def test_midpoint_of_a_line_is_halfway_along_its_length():
    line = {"type": "LineString", "coordinates": [[2.0, 48.0], [2.0, 48.1], [2.0, 48.4]]}
    lat, lon = representative_point(line)
    assert lat == pytest.approx(48.2) and lon == pytest.approx(2.0)


def test_point_multipoint_and_polygon_points():
    assert representative_point({"type": "Point", "coordinates": [4.5, 47.2]}) == (47.2, 4.5)
    multipoint = {"type": "MultiPoint", "coordinates": [[4.0, 47.0], [4.2, 47.2]]}
    assert representative_point(multipoint) == pytest.approx((47.1, 4.1))
    square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]]}
    assert representative_point(square) == pytest.approx((1.0, 1.0))


def test_point_of_unordered_line_pieces_lies_on_them_near_their_centre():
    pieces = {"type": "MultiLineString", "coordinates": [
        [[3.02, 50.57], [3.03, 50.58]],
        [[3.00, 50.55], [3.01, 50.56]],
        [[3.01, 50.56], [3.02, 50.57]],
    ]}
    lat, lon = representative_point(pieces)
    assert lat == pytest.approx(50.565, abs=1e-3) and lon == pytest.approx(3.015, abs=1e-3)
    # On the line y - 50.55 = x - 3.00 (all pieces lie on it).
    assert lat - 50.55 == pytest.approx(lon - 3.00, abs=1e-6)


def test_bad_geometries_give_no_point():
    for geometry in (None, {}, "LINESTRING(1 2, 3 4)", {"type": "Circle"},
                     {"type": "LineString", "coordinates": [[999, 999], [1000, 1000]]},
                     {"type": "Point", "coordinates": ["a", "b"]},
                     {"type": "MultiLineString", "coordinates": [[[1, 2]], []]}):
        assert representative_point(geometry) is None, geometry


def test_points_survive_partly_bad_lines():
    nan_start = {"type": "LineString", "coordinates": [[float("nan"), 1], [2, 3]]}
    assert representative_point(nan_start) == (3, 2)
    assert representative_point({"type": "LineString", "coordinates": [[1, 1], [1, 1]]}) == (1, 1)


def test_clean_geometry_drops_bad_positions_and_flattens_collections():
    messy = {"type": "LineString", "coordinates": [[1, 2, 300], [3, 4], ["x", 0]]}
    assert clean_geometry(messy) == {"type": "LineString", "coordinates": [[1.0, 2.0], [3.0, 4.0]]}
    assert clean_geometry({"type": "LineString", "coordinates": [[1, 2], [500, 4]]}) == {
        "type": "Point", "coordinates": [1.0, 2.0]}
    collection = {"type": "GeometryCollection", "geometries": [
        {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
        {"type": "LineString", "coordinates": [[3, 4], [5, 6]]},
        {"type": "GeometryCollection", "geometries": []},
    ]}
    assert clean_geometry(collection) == {"type": "MultiLineString",
                                          "coordinates": [[[1, 2], [3, 4]], [[3, 4], [5, 6]]]}
    assert clean_geometry({"type": "Point", "coordinates": [True, False]}) is None


def test_lat_lon_lists_become_lon_lat_positions():
    assert latlon_pairs("48.91 2.33 48.92 2.34") == [[2.33, 48.91], [2.34, 48.92]]
    assert latlon_pairs("48.91,2.33 48.92,2.34") == [[2.33, 48.91], [2.34, 48.92]]
    assert latlon_pairs("-122.41 37.77") == [[-122.41, 37.77]]  # written lon lat: swapped back
    assert latlon_pairs("48.91 2.33 48.92") == []  # odd count
    assert latlon_pairs("48.91 abc") == [] and latlon_pairs(None) == []
    assert latlon_pairs("95 200") == []


def test_merge_keeps_kinds_apart():
    line = {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}
    point = {"type": "Point", "coordinates": [1, 2]}
    assert merge_geometries([line, None, line])["type"] == "MultiLineString"
    assert merge_geometries([point, point])["type"] == "MultiPoint"
    assert merge_geometries([line, point])["type"] == "GeometryCollection"
    assert merge_geometries([None]) is None and merge_geometries([line]) is line


def test_status_over_a_week_matches_the_windows():
    """Walk a week minute by quarter-hour and compare with an independent reading."""
    ev = event(schedule={"wednesday": ["07:30-09:00"], "everyday": ["23:00-01:00"]})
    start = utc(2024, 5, 13, 0, 0)  # Monday 02:00 in Paris (UTC+2 all week)
    for step in range(7 * 24 * 4):
        now = start + timedelta(minutes=15 * step)
        local = now + timedelta(hours=2)
        minute = local.hour * 60 + local.minute
        expected = minute >= 23 * 60 or minute < 60 or (
            local.weekday() == 2 and 7 * 60 + 30 <= minute < 9 * 60)
        assert status_at(ev, now) == ("active" if expected else "planned"), now
