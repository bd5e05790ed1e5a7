"""Missions as the pages show them: looked up for a user, and their areas on the map."""

from django.db.models import Max, Min, QuerySet

from .access import places_for
from .models import Mission, Place


def mission_areas(user, mission: Mission) -> QuerySet[Place]:
    """Admin areas with a geometry in the mission's host countries, the user's places only."""
    return places_for(user).filter(
        country__in=mission.host_countries.all(),
        kind__in=(Place.Kind.COUNTRY, Place.Kind.ADM1, Place.Kind.ADM2),
        geometry__isnull=False,
    )


def mission_bounds(user, mission: Mission) -> list[list[float]] | None:
    """[[south, west], [north, east]] around the mission: the bounding boxes of its host
    countries' admin areas, or, where no boundaries are loaded, its host countries' sites and
    bases. None when the mission has neither. Every map opens on this box, never on a fixed
    country's centre."""
    places = places_for(user).filter(country__in=mission.host_countries.all())
    box = places.filter(kind__in=Place.AREA_KINDS, min_lat__isnull=False).aggregate(
        south=Min("min_lat"), west=Min("min_lon"), north=Max("max_lat"), east=Max("max_lon")
    )
    if box["south"] is None:
        box = places.filter(kind__in=Place.POINT_KINDS, latitude__isnull=False, longitude__isnull=False).aggregate(
            south=Min("latitude"), west=Min("longitude"), north=Max("latitude"), east=Max("longitude")
        )
    if box["south"] is None:
        return None
    return [[box["south"], box["west"]], [box["north"], box["east"]]]
