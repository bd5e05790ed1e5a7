"""Patrols planned and conducted in the app: the drawn area or route, the places it takes in,
and saving a plan or a patrol report in one transaction."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import Point, shape
from shapely.prepared import prep

from bluehelmet.core.models import Mission, Place
from bluehelmet.incidents.feed import mission_incidents

from .models import Patrol

# How far either side of a drawn route a place counts as passed (degrees, about 3 km).
ROUTE_WIDTH_DEG = 0.03
# Incidents offered for a patrol report: those this close to the planned patrol.
INCIDENT_WINDOW = datetime.timedelta(days=14)


def patrol_geometry(text) -> dict:
    """The drawn area (Polygon) or route (LineString) as GeoJSON, checked: a ValidationError
    says what is wrong."""
    if isinstance(text, str):
        if not text.strip():
            raise ValidationError(_("Draw the patrol's area or route on the map."))
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise ValidationError(_("The drawn area or route could not be read.")) from None
    else:
        value = text
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "LineString"):
        raise ValidationError(_("The route must be a GeoJSON LineString or Polygon."))
    coordinates = value.get("coordinates")
    points = (
        coordinates[0] if value["type"] == "Polygon" and isinstance(coordinates, list) and coordinates else coordinates
    )
    if not isinstance(points, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(c, (int, float)) for c in p) for p in points
    ):
        raise ValidationError(_("The drawn area or route could not be read."))
    if any(not (-180 <= lon <= 180 and -90 <= lat <= 90) for lon, lat in points):
        raise ValidationError(
            _("A point of the drawing lies outside the map (longitude -180 to 180, latitude -90 to 90).")
        )
    distinct = {tuple(p) for p in points}
    if value["type"] == "Polygon":
        if len(distinct) < 3:
            raise ValidationError(_("An area needs at least three points on the map."))
        ring = points if points[0] == points[-1] else [*points, points[0]]
        geometry = {"type": "Polygon", "coordinates": [ring]}
    else:
        if len(distinct) < 2:
            raise ValidationError(_("A route needs at least two points on the map."))
        geometry = {"type": "LineString", "coordinates": points}
    try:
        drawn = shape(geometry)
    except (GEOSException, ValueError) as error:
        raise ValidationError(_("The drawn area or route could not be read.")) from error
    if drawn.is_empty or (value["type"] == "Polygon" and (drawn.area == 0 or not drawn.is_valid)):
        raise ValidationError(_("The area crosses itself or has no surface: draw it again."))
    return geometry


def places_along(geometry: dict, places) -> list[Place]:
    """The places the drawn area covers or the route passes (within ROUTE_WIDTH_DEG)."""
    drawn = shape(geometry)
    if drawn.geom_type == "LineString":
        drawn = drawn.buffer(ROUTE_WIDTH_DEG)
    drawn = prep(drawn)
    found = []
    for place in places:
        if place.geometry:
            try:
                geom = shape(place.geometry)
            except (GEOSException, ValueError, TypeError, KeyError):
                continue
        elif place.latitude is not None and place.longitude is not None:
            geom = Point(place.longitude, place.latitude)
        else:
            continue
        if drawn.intersects(geom):
            found.append(place)
    return found


def incidents_near(user, mission: Mission, patrol: Patrol) -> QuerySet:
    """The mission's incidents the user may see, from INCIDENT_WINDOW before the planned
    start to INCIDENT_WINDOW after the planned end, and any the report already links."""
    end = patrol.end or patrol.start
    visible = mission_incidents(user, mission)
    near = visible.filter(occurred_at__gte=patrol.start - INCIDENT_WINDOW, occurred_at__lte=end + INCIDENT_WINDOW)
    if patrol.pk:
        near = near | visible.filter(patrols=patrol)
    return near.distinct().select_related("type").order_by("-occurred_at")


@transaction.atomic
def save_patrol(form, status: str) -> Patrol:
    """A validated plan or report form saved with its places and incidents, or nothing."""
    patrol = form.save(commit=False)
    patrol.status = status
    patrol.save()
    form.save_m2m()
    return patrol


def not_in_future(value: datetime.datetime | None) -> None:
    if value is not None and value > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(_("A patrol cannot be reported before it happened: this time is in the future."))
