"""Geography helpers: pure functions on WGS84 coordinates."""

from __future__ import annotations

from math import asin, cos, radians, sin, sqrt

# Indonesia's bounding box with a small margin (Sabang to Merauke, Miangas to Rote):
# the models refuse a position outside it (models.Latitude, models.Longitude).
INDONESIA_LAT = (-11.5, 6.5)
INDONESIA_LON = (94.5, 141.5)

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = radians(lat1), radians(lat2)
    dp = p2 - p1
    dl = radians(lon2 - lon1)
    h = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))
