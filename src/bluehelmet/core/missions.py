"""Missions as the pages show them: looked up for a user, and their areas on the map."""

from django.db.models import QuerySet

from .access import places_for
from .models import Mission, Place


def mission_areas(user, mission: Mission) -> QuerySet[Place]:
    """Admin areas with a geometry in the mission's host countries, the user's places only."""
    return places_for(user).filter(
        country__in=mission.host_countries.all(),
        kind__in=(Place.Kind.COUNTRY, Place.Kind.ADM1, Place.Kind.ADM2),
        geometry__isnull=False,
    )
