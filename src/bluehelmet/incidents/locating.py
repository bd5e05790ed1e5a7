"""Where a report lies: the deepest admin area of the mission's host countries containing a
point, with the areas' index kept per process and rebuilt when the boundaries change."""

import threading

from django.db.models import Count, Max

from bluehelmet.core.models import Mission, Place
from bluehelmet.core.places import PointLocator

_cache: dict[int, tuple[tuple, PointLocator]] = {}
_lock = threading.Lock()


def mission_area_places(mission: Mission):
    return Place.objects.filter(kind__in=Place.AREA_KINDS, country__in=mission.host_countries.all())


def mission_locator(mission: Mission) -> PointLocator:
    """A PointLocator over the host countries' areas with a geometry (empty, and false,
    when no boundaries were imported)."""
    areas = mission_area_places(mission).filter(geometry__isnull=False)
    signature = tuple(areas.aggregate(n=Count("id"), last=Max("id")).values())
    with _lock:
        cached = _cache.get(mission.pk)
        if cached is not None and cached[0] == signature:
            return cached[1]
    locator = PointLocator(areas.only("id", "kind", "name", "country_id", "geometry"))
    with _lock:
        _cache[mission.pk] = (signature, locator)
    return locator
