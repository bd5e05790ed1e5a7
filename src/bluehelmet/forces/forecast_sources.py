"""What forces gives the forecasts (earlywarning.providers): the mission's own units at
their bases, month by month, and where its patrols went.

Postings derived from the Geo-PKO maps are left out here: the Geo-PKO provider
(datasets.queries.geopko_deployments) counts those troops already.
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from bluehelmet.core.models import Mission, Place
from bluehelmet.earlywarning.providers import Audience

from .models import Base, Patrol, UnitPosting
from .posture import GEOPKO_SOURCE


def _months(first: datetime.date, last: datetime.date):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def posting_deployments(mission: Mission, audience: Audience):
    """(latitude, longitude, month, troops): each posting entered for the mission, in every
    month it covers (up to this month while it lasts); an unknown strength stays unknown."""
    postings = UnitPosting.objects.filter(unit__mission=mission, base__place__latitude__isnull=False).exclude(
        source=GEOPKO_SOURCE
    )
    postings = audience.visible(
        audience.visible(postings, sharing_field="unit__sharing", label_field=None),
        sharing_field="base__sharing",
        label_field=None,
    )
    today = timezone.now().date()
    for lat, lon, start, end, troops in postings.values_list(
        "base__place__latitude", "base__place__longitude", "start", "end", "troops"
    ):
        for month in _months(start, min(end or today, today)):
            yield lat, lon, month, troops


def base_sites(mission: Mission) -> QuerySet[Place]:
    """The places of the mission's bases, on the PRIO-GRID."""
    return Place.objects.filter(pk__in=Base.objects.filter(mission=mission).values("place"), priogrid_gid__isnull=False)


def _route_centre(route) -> tuple[float, float] | None:
    """(latitude, longitude) of the mean vertex of a GeoJSON LineString or Polygon."""
    coordinates = (route or {}).get("coordinates") or []
    if route.get("type") == "Polygon":
        coordinates = [point for ring in coordinates for point in ring]
    points = [p for p in coordinates if isinstance(p, (list, tuple)) and len(p) >= 2]
    if not points:
        return None
    return sum(p[1] for p in points) / len(points), sum(p[0] for p in points) / len(points)


def patrol_points(mission: Mission, audience: Audience):
    """(latitude, longitude, day) of every conducted patrol with a route: the route's centre."""
    patrols = audience.visible(
        Patrol.objects.filter(mission=mission, status=Patrol.Status.CONDUCTED, route__isnull=False), label_field=None
    )
    for route, actual_start, start in patrols.values_list("route", "actual_start", "start"):
        centre = _route_centre(route) if isinstance(route, dict) else None
        if centre is not None:
            yield centre[0], centre[1], actual_start or start
