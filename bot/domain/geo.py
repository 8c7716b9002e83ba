"""Points, distances and hotspots: plain geometry for locations shared from a phone.

Pure domain code (stdlib only). Distances use the haversine formula on a sphere of the
Earth's mean radius; across a town centre the error against the ellipsoid is well under a
metre, far below the accuracy of a phone's GPS fix.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

# IUGG mean Earth radius. One degree of latitude on this sphere is ~111.195 km.
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Place:
    """A hotspot: a named point with a radius that counts as "at" the place."""

    id: int
    name: str
    lat: float
    lon: float
    radius_m: float
    aliases: tuple[str, ...] = ()


def validate_point(lat: float, lon: float) -> None:
    """Raise ValueError with a message fit to show a member if (lat, lon) is not a point."""
    for label, value, limit in (("Latitude", lat, 90.0), ("Longitude", lon, 180.0)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{label} must be a number of degrees, not {value!r}.")
        if not math.isfinite(value):
            raise ValueError(f"{label} must be a real number of degrees, not {value!r}.")
        if not -limit <= value <= limit:
            raise ValueError(
                f"{label} must be between -{limit:g} and {limit:g} degrees; got {value:g}."
            )


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    # min() guards against a rounding excursion just above 1 for antipodal points.
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def nearest_place(places: Iterable[Place], lat: float, lon: float) -> tuple[Place, float] | None:
    """The nearest place whose radius contains the point, with its distance in metres.

    Overlapping hotspots resolve to the one whose centre is closest; on an exact tie the
    earlier place in `places` wins, so the answer is deterministic. None if the point is
    inside no place's radius.
    """
    validate_point(lat, lon)
    best: tuple[Place, float] | None = None
    for place in places:
        distance = haversine_m(lat, lon, place.lat, place.lon)
        if distance <= place.radius_m and (best is None or distance < best[1]):
            best = (place, distance)
    return best


def distance_to_nearest(places: Iterable[Place], lat: float, lon: float) -> float | None:
    """Metres from the point to the nearest place's centre, radius ignored.

    Lets the bot say "nearest hotspot is 240 m away" when a location matches none.
    None if there are no places.
    """
    validate_point(lat, lon)
    distances = [haversine_m(lat, lon, place.lat, place.lon) for place in places]
    return min(distances) if distances else None


def point_label(lat: float, lon: float) -> str:
    """A bare point as people read it: five decimals is about a metre."""
    return f"{lat:.5f}, {lon:.5f}"
