"""Which actors (organizations) a mission's forms offer: one rule for every list of actors.

An organization is one of the mission's actors when
- its country is one of the mission's host countries (armed groups, government bodies,
  NGOs and associations of those countries), or
- it is a side of a conflict event in a host country within the mission's period (from
  its start, or from any date when the start is unknown, to its end, or to today while it
  runs): the groups the conflict data saw fighting there and then;
and, when asked for (targets of attacks), every UN entity, and the member states that sent
troops to the mission (Geo-PKO contributions), or every member state when the mission has no
deployment data: they have no host country, yet their peacekeepers are attacked there.
`keep` adds the values a record already has, so that editing an old record never loses
one of them. All of it is one query, whatever the number of actors or events."""

import datetime

from django.db.models import Exists, Q, QuerySet

from bluehelmet.core.models import Mission, Organization

from .models import ConflictEvent, Deployment, DeploymentContribution


def mission_actors(
    mission: Mission, *, kinds: tuple[str, ...] = (), international: bool = False, keep: QuerySet | None = None
) -> QuerySet[Organization]:
    """The organizations `mission`'s lists offer, by name; only of `kinds` when given
    (`keep` is kept whatever its kind). `keep`: a query of organization ids (a values("pk")
    query of a record's relation), evaluated inside this one."""
    hosts = mission.host_countries.values("pk")
    events = ConflictEvent.objects.filter(country__in=hosts, date_start__lte=mission.end or datetime.date.today())
    if mission.start:
        events = events.filter(date_start__gte=mission.start)
    belongs = Q(country__in=hosts) | Q(pk__in=events.values("side_a_id")) | Q(pk__in=events.values("side_b_id"))
    if kinds:
        belongs &= Q(kind__in=kinds)
    if international:
        deployments = Deployment.objects.filter(mission=mission)
        contributors = DeploymentContribution.objects.filter(deployment__mission=mission).values("country_id")
        belongs |= Q(kind=Organization.Kind.UN_ENTITY) | Q(
            Q(pk__in=contributors) | ~Exists(deployments), kind=Organization.Kind.MEMBER_STATE
        )
    if keep is not None:
        belongs |= Q(pk__in=keep)
    return Organization.objects.filter(belongs).order_by("name", "pk")
