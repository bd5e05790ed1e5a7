"""Missions as the pages show them: looked up for a user, and their areas on the map."""

from django.db.models import Max, Min, Q, QuerySet

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
    area = Q(kind__in=Place.AREA_KINDS, min_lat__isnull=False)
    site = Q(kind__in=Place.POINT_KINDS, latitude__isnull=False, longitude__isnull=False)
    boxes = places.aggregate(  # both boxes in one query
        south=Min("min_lat", filter=area),
        west=Min("min_lon", filter=area),
        north=Max("max_lat", filter=area),
        east=Max("max_lon", filter=area),
        site_south=Min("latitude", filter=site),
        site_west=Min("longitude", filter=site),
        site_north=Max("latitude", filter=site),
        site_east=Max("longitude", filter=site),
    )
    box = (
        boxes
        if boxes["south"] is not None
        else {side: boxes[f"site_{side}"] for side in ("south", "west", "north", "east")}
    )
    if box["south"] is None:
        return None
    return [[box["south"], box["west"]], [box["north"], box["east"]]]
