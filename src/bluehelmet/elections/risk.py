"""A risk score per polling station for a round, from four components (each 0-1):

incidents      the mission's incident reports (not false, not merged) within INCIDENT_KM of
               the station in the INCIDENT_DAYS before polling day: 1 - exp(-n / 3)
events         UCDP GED events with fatalities within EVENT_KM in the EVENT_YEARS before
               polling day: 1 - exp(-n / 5); unknown when no GED event of the host
               countries is loaded at all
early warning  the latest forecast of the station's admin area (or an area above it) from
               bluehelmet.earlywarning, when the mission has one
access         how hard the centre is to reach (PollingCentre.ACCESS_RISK)

The score is the weighted mean of the components that are known (WEIGHTS, renormalised
when early warning is missing). Stored per round in StationRisk with the counts behind it.
"""

import datetime
import logging
import math

import numpy as np
from django.db import transaction
from django.utils import timezone

from bluehelmet.analytics.allocate import distance_km
from bluehelmet.core.models import Mission
from bluehelmet.datasets.models import ConflictEvent
from bluehelmet.earlywarning.risk import latest_place_risk_or_none
from bluehelmet.incidents.models import Incident

from .models import PollingCentre, PollingStation, Round, StationRisk

logger = logging.getLogger(__name__)

INCIDENT_KM, INCIDENT_DAYS = 15.0, 365
EVENT_KM, EVENT_YEARS = 25.0, 3
WEIGHTS = {"incidents": 0.35, "events": 0.2, "early_warning": 0.25, "access": 0.2}
HIGH, MEDIUM = 0.5, 0.25


def level(score: float | None) -> str:
    if score is None:
        return "unknown"
    return "high" if score >= HIGH else "medium" if score >= MEDIUM else "low"


def combine(components: dict[str, float | None]) -> float:
    known = {name: value for name, value in components.items() if value is not None}
    total = sum(WEIGHTS[name] for name in known)
    return sum(WEIGHTS[name] * value for name, value in known.items()) / total if total else 0.0


def _area_risk(place, forecast: dict[int, float]) -> float | None:
    node = place
    while node is not None:
        if node.pk in forecast:
            return float(forecast[node.pk])
        node = node.parent
    return None


def _near_counts(station_points: np.ndarray, points: list[tuple[float, float]], km: float) -> np.ndarray:
    if not len(points) or not len(station_points):
        return np.zeros(len(station_points), dtype=int)
    lat, lon = zip(*points)
    return (distance_km(station_points[:, 0], station_points[:, 1], lat, lon) <= km).sum(axis=1)


def mission_stations(mission: Mission):
    return PollingStation.objects.filter(centre__mission=mission).select_related("centre__place__parent__parent")


@transaction.atomic
def compute_station_risk(round_: Round) -> int:
    """Compute and store every station's risk for the round; returns how many."""
    mission = round_.election.mission
    stations = list(mission_stations(mission))
    if not stations:
        return 0
    day = round_.date
    end = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    incidents = (
        Incident.objects.filter(
            mission=mission,
            merged_into__isnull=True,
            occurred_at__lte=end,
            occurred_at__gte=end - datetime.timedelta(days=INCIDENT_DAYS),
        )
        .exclude(status=Incident.Status.FALSE)
        .values_list("latitude", "longitude")
    )
    events = ConflictEvent.objects.filter(
        country__in=mission.host_countries.all(),
        best__gt=0,
        date_start__lte=day,
        date_start__gte=day.replace(year=day.year - EVENT_YEARS),
    ).values_list("latitude", "longitude")
    points = np.array([(s.centre.latitude, s.centre.longitude) for s in stations], dtype=float)
    n_incidents = _near_counts(points, list(incidents), INCIDENT_KM)
    n_events = _near_counts(points, list(events), EVENT_KM)
    # No GED events at all for the host countries means the data is not loaded, not peace.
    have_events = ConflictEvent.objects.filter(country__in=mission.host_countries.all()).exists()
    forecast = latest_place_risk_or_none(mission)
    rows = []
    for k, station in enumerate(stations):
        components = {
            "incidents": 1 - math.exp(-int(n_incidents[k]) / 3),
            "events": 1 - math.exp(-int(n_events[k]) / 5) if have_events else None,
            "early_warning": _area_risk(station.centre.place, forecast) if forecast else None,
            "access": PollingCentre.ACCESS_RISK[station.centre.access],
        }
        rows.append(
            StationRisk(
                round=round_,
                station=station,
                score=combine(components),
                **components,
                detail={"incidents": int(n_incidents[k]), "events": int(n_events[k])},
            )
        )
    StationRisk.objects.filter(round=round_).delete()
    StationRisk.objects.bulk_create(rows)
    return len(rows)


def risk_map(round_: Round) -> dict:
    """Stations with their risk as GeoJSON, for the map."""
    features = []
    for risk in StationRisk.objects.filter(round=round_).select_related("station__centre"):
        s = risk.station
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [s.centre.longitude, s.centre.latitude]},
                "properties": {
                    "id": s.pk,
                    "code": s.code,
                    "centre": s.centre.name,
                    "registered": s.registered_voters,
                    "score": round(risk.score, 3),
                    "level": level(risk.score),
                    "incidents": risk.detail.get("incidents", 0),
                    "events": risk.detail.get("events", 0),
                    "early_warning": risk.early_warning,
                    "access": s.centre.get_access_display(),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
