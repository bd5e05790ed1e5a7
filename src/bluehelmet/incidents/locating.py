"""Where a report lies: the deepest admin area of the mission's host countries containing a
point, with the areas' index kept per process and rebuilt when the boundaries change (the
mission's reference data stamp, core.mission_cache)."""

from bluehelmet.core import mission_cache
from bluehelmet.core.models import Mission, Place
from bluehelmet.core.places import PointLocator


def mission_area_places(mission: Mission):
    return Place.objects.filter(kind__in=Place.AREA_KINDS, country__in=mission.host_countries.all())


def _build_locator(mission: Mission) -> PointLocator:
    areas = mission_area_places(mission).filter(geometry__isnull=False)
    # Whole rows but the map outline: the area found is the report's place, named in its answer.
    return PointLocator(areas.defer("outline"))


def mission_locator(mission: Mission) -> PointLocator:
    """A PointLocator over the host countries' areas with a geometry (empty, and false,
    when no boundaries were imported)."""
    return mission_cache.cached("incidents.areas", mission, _build_locator)
