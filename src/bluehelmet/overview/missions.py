"""The missions a user sees, summarised for the home page."""

from dataclasses import dataclass

from django.db.models import F

from bluehelmet.core.access import missions_for
from bluehelmet.core.models import Membership, Mission, Place, Role
from bluehelmet.datasets.queries import deployment_month_count, event_count_by_country


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
    missions = (
        missions_for(user).prefetch_related("host_countries").order_by(F("start").desc(nulls_last=True), "acronym")
    )
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
