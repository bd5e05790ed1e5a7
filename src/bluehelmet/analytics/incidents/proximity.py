"""Distances between reports, and which reports are close enough in space and time to be one
incident or a cluster."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 2 * math.pi * EARTH_RADIUS_KM / 360
# The box is widened a little so rounding never drops a point right at the radius.
BOX_MARGIN = 1.01


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box holding every point within `km`, for a
    cheap first filter in the database before the exact distance."""
    dlat = BOX_MARGIN * km / KM_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(abs(lat) + dlat)), 0.01)
    dlon = min(BOX_MARGIN * km / (KM_PER_DEGREE_LAT * cos_lat), 180.0)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


@dataclass(frozen=True)
class Report:
    id: int
    latitude: float
    longitude: float
    at: datetime


@dataclass(frozen=True)
class Neighbour:
    id: int
    distance_km: float
    hours_apart: float


def neighbours(report: Report, others: Sequence[Report], radius_km: float, window_hours: float) -> list[Neighbour]:
    """The other reports within `radius_km` and `window_hours` of `report`, nearest first."""
    found = []
    for other in others:
        if other.id == report.id:
            continue
        hours = abs((other.at - report.at).total_seconds()) / 3600
        if hours > window_hours:
            continue
        distance = haversine_km(report.latitude, report.longitude, other.latitude, other.longitude)
        if distance <= radius_km:
            found.append(Neighbour(other.id, distance, hours))
    return sorted(found, key=lambda n: (n.distance_km / radius_km + n.hours_apart / window_hours, n.id))


def cluster_members(report: Report, others: Sequence[Report], radius_km: float, window_hours: float) -> list[int]:
    """Ids of the reports (the report itself included) within `radius_km` of it that occurred
    in the `window_hours` up to it: the reports a cluster rule counts."""
    members = [report.id]
    for other in others:
        if other.id == report.id:
            continue
        hours_before = (report.at - other.at).total_seconds() / 3600
        if (
            0 <= hours_before <= window_hours
            and haversine_km(report.latitude, report.longitude, other.latitude, other.longitude) <= radius_km
        ):
            members.append(other.id)
    return members
