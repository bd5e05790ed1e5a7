"""Missions as the pages show them: looked up for a user, summarised for the home page."""

from dataclasses import dataclass

from django.db.models import F, QuerySet

from bluehelmet.forces.queries import deployment_month_count
from bluehelmet.incidents.queries import event_count_by_country

from .access import missions_for, places_for
from .models import Membership, Mission, Place, Role


def mission_areas(user, mission: Mission) -> QuerySet[Place]:
    """Admin areas with a geometry in the mission's host countries, the user's places only."""
    return places_for(user).filter(
        country__in=mission.host_countries.all(),
        kind__in=(Place.Kind.COUNTRY, Place.Kind.ADM1, Place.Kind.ADM2),
        geometry__isnull=False,
    )


@dataclass
class MissionSummary:
    mission: Mission
    role: str
    host_countries: list[Place]
    deployment_months: int
    events: int

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def mission_summaries(user) -> list[MissionSummary]:
    """Every mission the user sees, with their role and how much data it has, in a fixed
    number of queries however many missions there are."""
    missions = missions_for(user).prefetch_related("host_countries").order_by(F("start").desc(nulls_last=True), "acronym")
    roles = dict(Membership.objects.filter(user=user).values_list("mission_id", "role"))
    months = deployment_month_count(user)
    events = event_count_by_country(user)
    summaries = []
    for mission in missions:
        countries = list(mission.host_countries.all())
        summaries.append(
            MissionSummary(
                mission=mission,
                role=Role.ADMINISTRATOR if user.is_superuser else roles[mission.pk],
                host_countries=countries,
                deployment_months=months.get(mission.pk, 0),
                events=sum(events.get(country.pk, 0) for country in countries),
            )
        )
    return summaries
