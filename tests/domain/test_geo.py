import math

import pytest

from bot.domain.geo import Place, distance_to_nearest, haversine_m, nearest_place, validate_point

# A town centre a little like any other: points a few tens of metres apart.
SQUARE = Place(1, "Elmer Square", 52.62960, -1.13240, 60.0, ("the fountain",))
BUS_STATION = Place(2, "Bus Station", 52.63140, -1.13240, 80.0)  # ~200 m north
PLACES = (SQUARE, BUS_STATION)


def metres_north(lat: float, metres: float) -> float:
    return lat + metres / 111_195.0


def test_one_degree_of_latitude_is_about_111_km() -> None:
    distance = haversine_m(52.0, -1.0, 53.0, -1.0)
    assert distance == pytest.approx(111_195, rel=0.005)


def test_one_degree_of_longitude_shrinks_with_latitude() -> None:
    at_equator = haversine_m(0.0, 0.0, 0.0, 1.0)
    at_60_north = haversine_m(60.0, 0.0, 60.0, 1.0)
    assert at_60_north == pytest.approx(at_equator * math.cos(math.radians(60)), rel=0.001)


def test_distance_is_symmetric_and_zero_to_itself() -> None:
    a, b = (52.6296, -1.1324), (52.6314, -1.1298)
    assert haversine_m(*a, *a) == 0.0
    assert haversine_m(*a, *b) == pytest.approx(haversine_m(*b, *a))


def test_antipodes_are_half_the_circumference_apart() -> None:
    assert haversine_m(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * 6_371_008.8)


def test_nearest_place_inside_its_radius() -> None:
    lat = metres_north(SQUARE.lat, 25)
    found = nearest_place(PLACES, lat, SQUARE.lon)
    assert found is not None
    place, distance = found
    assert place == SQUARE
    assert distance == pytest.approx(25, abs=0.5)


def test_nearest_place_on_the_edge_of_the_radius_counts() -> None:
    lat = metres_north(SQUARE.lat, 59.5)
    found = nearest_place(PLACES, lat, SQUARE.lon)
    assert found is not None and found[0] == SQUARE


def test_no_place_when_outside_every_radius() -> None:
    lat = metres_north(SQUARE.lat, 100)  # past the square, short of the bus station
    assert nearest_place(PLACES, lat, SQUARE.lon) is None
    assert distance_to_nearest(PLACES, lat, SQUARE.lon) == pytest.approx(100, abs=1)


def test_overlapping_places_resolve_to_the_closest_centre() -> None:
    wide = Place(3, "Town centre", SQUARE.lat, SQUARE.lon, 1_000.0)
    lat = metres_north(BUS_STATION.lat, -10)
    found = nearest_place((wide, SQUARE, BUS_STATION), lat, SQUARE.lon)
    assert found is not None and found[0] == BUS_STATION


def test_equal_distance_ties_go_to_the_earlier_place() -> None:
    twin = Place(9, "Same spot", SQUARE.lat, SQUARE.lon, SQUARE.radius_m)
    found = nearest_place((SQUARE, twin), SQUARE.lat, SQUARE.lon)
    assert found is not None and found[0] == SQUARE


def test_no_places_at_all() -> None:
    assert nearest_place((), 52.6, -1.1) is None
    assert distance_to_nearest([], 52.6, -1.1) is None


def test_distance_to_nearest_ignores_radius() -> None:
    far_lat = metres_north(BUS_STATION.lat, 1_000)
    distance = distance_to_nearest(PLACES, far_lat, SQUARE.lon)
    assert distance == pytest.approx(1_000, abs=2)


def test_places_can_be_any_iterable() -> None:
    found = nearest_place(iter(PLACES), SQUARE.lat, SQUARE.lon)
    assert found is not None and found[0] == SQUARE


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(90.0, 180.0), (-90.0, -180.0), (0, 0), (52.6296, -1.1324)],
)
def test_valid_points_pass(lat: float, lon: float) -> None:
    assert validate_point(lat, lon) is None
    # ...and are usable as places: a point is 0 m from itself and ~100 m from a point
    # 100 m north or south of it (south at the North Pole), on the poles and the antimeridian.
    here = Place(7, "Here", lat, lon, 50.0)
    assert nearest_place((here,), lat, lon) == (here, 0.0)
    other_lat = metres_north(lat, -100 if lat > 0 else 100)
    assert distance_to_nearest((here,), other_lat, lon) == pytest.approx(100, abs=0.5)


@pytest.mark.parametrize(
    ("lat", "lon", "words"),
    [
        (90.0001, 0.0, "Latitude must be between -90 and 90"),
        (-91.0, 0.0, "Latitude must be between -90 and 90"),
        (0.0, 180.5, "Longitude must be between -180 and 180"),
        (0.0, -200.0, "Longitude must be between -180 and 180"),
        (math.nan, 0.0, "Latitude must be a real number"),
        (0.0, math.inf, "Longitude must be a real number"),
        ("52.6", 0.0, "Latitude must be a number"),
        (True, 0.0, "Latitude must be a number"),
    ],
)
def test_invalid_points_are_rejected_with_a_clear_message(
    lat: float, lon: float, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        validate_point(lat, lon)


def test_nearest_place_rejects_invalid_points() -> None:
    with pytest.raises(ValueError, match="Latitude"):
        nearest_place(PLACES, 123.0, 0.0)
    with pytest.raises(ValueError, match="Longitude"):
        distance_to_nearest(PLACES, 0.0, 999.0)


def test_place_is_frozen_and_hashable() -> None:
    with pytest.raises(AttributeError):
        SQUARE.name = "Other"  # type: ignore[misc]
    assert {SQUARE, SQUARE} == {SQUARE}
    assert Place(5, "No aliases", 0.0, 0.0, 10.0).aliases == ()
