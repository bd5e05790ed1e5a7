"""Missions as the pages show them: looked up for a user, and their areas on the map."""

from django.db.models import QuerySet
from django.http import Http404

from .access import missions_for, places_for
from .models import Mission, Place


def visible_mission_or_404(user, acronym: str) -> Mission:
    """The mission with this acronym, or 404 when it does not exist or the user may not
    see it (the same answer for both, so acronyms do not leak)."""
    mission = missions_for(user).filter(acronym=acronym).first()
    if mission is None:
        raise Http404("No such mission.")
    return mission


def mission_areas(user, mission: Mission) -> QuerySet[Place]:
    """Admin areas with a geometry in the mission's host countries, the user's places only."""
    return places_for(user).filter(
        country__in=mission.host_countries.all(),
        kind__in=(Place.Kind.COUNTRY, Place.Kind.ADM1, Place.Kind.ADM2),
        geometry__isnull=False,
    )
