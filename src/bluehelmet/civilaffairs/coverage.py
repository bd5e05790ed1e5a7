"""Engagement coverage of places at high risk.

Coverage is counted by district (admin level 2; level 1 where a country has no level 2):
an engagement anywhere inside a district covers it. A district is at high risk when

1. the mission's latest early-warning forecast gives it (or any place inside it) at least
   HIGH_RISK probability of a fatality next month (earlywarning.risk, guarded lookup); or,
   when the mission has no forecast,
2. in the RISK_DAYS before the day considered, a fatal conflict event (UCDP GED) or a fatal
   incident of the mission happened in it (where violence was, as forces' fallback does), or
   the community alert network reported violence or a threat of it there (alerts not
   dismissed): the community's own early warning.

Shown to a user, the counts come only from the incidents and community alerts that user may
see (a reporter's page counts no RED report): a count is as telling as the record.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from bluehelmet.analytics.civilaffairs import coverage_share, engagement_gaps
from bluehelmet.core.models import Mission, Place
from bluehelmet.datasets.models import ConflictEvent
from bluehelmet.earlywarning.risk import latest_place_risk_or_none
from bluehelmet.incidents.feed import incident_scope
from bluehelmet.incidents.locating import mission_locator
from bluehelmet.incidents.models import Incident

from . import queries
from .models import CommunityAlert, Engagement

HIGH_RISK = 0.5
RISK_DAYS = 365
VIOLENT_ALERTS = (
    CommunityAlert.Category.THREAT,
    CommunityAlert.Category.ARMED_MOVEMENT,
    CommunityAlert.Category.ATTACK,
    CommunityAlert.Category.ABDUCTION,
    CommunityAlert.Category.SEXUAL_VIOLENCE,
)


@dataclass
class Coverage:
    source: str  # "earlywarning", "events" or "none"
    risk: dict[int, float] = field(default_factory=dict)  # district id -> risk (probability, or fatal events)
    engaged: set[int] = field(default_factory=set)
    places: dict[int, Place] = field(default_factory=dict)

    @property
    def source_label(self) -> str:
        return {
            "earlywarning": _(
                "early-warning forecast: probability of at least one death next month of %(p)d %% or more"
            )
            % {"p": int(HIGH_RISK * 100)},
            "events": _(
                "fatal conflict events and incidents, and community alerts of violence, in the 12 months before"
            ),
            "none": _("no forecast and no fatal events: no place is flagged"),
        }[self.source]

    @property
    def share(self) -> float | None:
        return coverage_share(self.risk, self.engaged)

    def split(self) -> tuple[list[Place], list[Place]]:
        engaged, missed = engagement_gaps(self.risk, self.engaged)
        return [self.places[p] for p in engaged], [self.places[p] for p in missed]


class Districts:
    """The mission's districts and, for any place of its host countries, the district it lies in."""

    def __init__(self, mission: Mission):
        countries = mission.host_countries.all()
        rows = list(Place.objects.filter(country__in=countries).values_list("id", "parent_id", "kind"))
        kinds = {kind for _id, _parent, kind in rows}
        self.kind = Place.Kind.ADM2 if Place.Kind.ADM2 in kinds else Place.Kind.ADM1
        self.parent = {pk: parent for pk, parent, _kind in rows}
        self.is_district = {pk for pk, _parent, kind in rows if kind == self.kind}
        self.mission = mission
        self._locator = None

    def of(self, place_id: int | None) -> int | None:
        seen = 0
        while place_id is not None and seen < 10:
            if place_id in self.is_district:
                return place_id
            place_id, seen = self.parent.get(place_id), seen + 1
        return None

    def of_point(self, latitude: float, longitude: float) -> int | None:
        if self._locator is None:
            self._locator = mission_locator(self.mission)
        if not self._locator:
            return None
        area = self._locator.locate(latitude, longitude)
        return self.of(area.pk) if area is not None else None


def high_risk_districts(
    mission: Mission, day: datetime.date, districts: Districts | None = None, user=None
) -> tuple[str, dict[int, float]]:
    """`user`: count only the incidents and alerts this user may see (None: all, for indicators)."""
    districts = districts or Districts(mission)
    forecast = latest_place_risk_or_none(mission)
    if forecast:
        risk: dict[int, float] = {}
        for place_id, p in forecast.items():
            district = districts.of(place_id)
            if district is not None and p >= HIGH_RISK:
                risk[district] = max(risk.get(district, 0.0), float(p))
        return "earlywarning", risk
    since = day - datetime.timedelta(days=RISK_DAYS)
    points = list(
        ConflictEvent.objects.filter(
            country__in=mission.host_countries.all(), best__gt=0, date_start__gt=since, date_start__lte=day
        ).values_list("latitude", "longitude")
    )
    incidents = Incident.objects.filter(incident_scope(user)) if user is not None else Incident.objects.all()
    points += list(
        incidents.filter(
            mission=mission,
            killed__gt=0,
            merged_into__isnull=True,
            occurred_at__date__gt=since,
            occurred_at__date__lte=day,
        )
        .exclude(status=Incident.Status.FALSE)
        .values_list("latitude", "longitude")
    )
    risk = {}
    for latitude, longitude in points:
        district = districts.of_point(latitude, longitude)
        if district is not None:
            risk[district] = risk.get(district, 0) + 1
    community_alerts = queries.alerts(user, mission) if user is not None else CommunityAlert.objects.all()
    alerts = (
        community_alerts.filter(
            mission=mission,
            category__in=VIOLENT_ALERTS,
            place__isnull=False,
            received_at__date__gt=since,
            received_at__date__lte=day,
        )
        .exclude(status=CommunityAlert.Status.DISMISSED)
        .values_list("place_id", flat=True)
    )
    for place_id in alerts:
        district = districts.of(place_id)
        if district is not None:
            risk[district] = risk.get(district, 0) + 1
    return ("events" if risk else "none"), risk


def engaged_districts(mission: Mission, first: datetime.date, last: datetime.date, districts: Districts) -> set[int]:
    places = Engagement.objects.filter(mission=mission, held_on__gte=first, held_on__lte=last).values_list(
        "place_id", flat=True
    )
    return {d for d in (districts.of(p) for p in set(places)) if d is not None}


def coverage(mission: Mission, first: datetime.date, last: datetime.date, user=None) -> Coverage:
    """High-risk districts as of `last`, and which of them had an engagement from `first` to
    `last`; for `user`, from what that user may see."""
    districts = Districts(mission)
    source, risk = high_risk_districts(mission, last, districts, user=user)
    engaged = engaged_districts(mission, first, last, districts)
    places = Place.objects.in_bulk(list(risk))
    return Coverage(source, risk, engaged & set(risk), places)


def weeks_coverage(mission: Mission, day: datetime.date, weeks: int, user=None) -> Coverage:
    return coverage(mission, day - datetime.timedelta(weeks=weeks) + datetime.timedelta(days=1), day, user=user)
