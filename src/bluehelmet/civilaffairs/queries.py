"""The records a user may see in a mission, one function per kind: every page, export and
API endpoint of civil affairs reads through these."""

from django.db.models import QuerySet

from bluehelmet.core.access import mission_scope, places_for
from bluehelmet.core.models import Mission, Place
from bluehelmet.core.sensitivity import sensitivity_scope

from .models import CommunityAlert, Engagement, Grievance, MediationProcess, Partner, PeaceAgreement, Provision, Survey


def partners(user, mission: Mission) -> QuerySet[Partner]:
    return Partner.objects.filter(mission_scope(user), mission=mission).select_related(
        "place", "organization", "focal_point"
    )


def engagements(user, mission: Mission) -> QuerySet[Engagement]:
    return (
        Engagement.objects.filter(mission_scope(user), mission=mission)
        .select_related("place")
        .prefetch_related("commitments")
    )


def alerts(user, mission: Mission) -> QuerySet[CommunityAlert]:
    return CommunityAlert.objects.filter(
        mission_scope(user, sharing_field=None), sensitivity_scope(user), mission=mission
    ).select_related("place", "partner", "incident")


def grievances(user, mission: Mission) -> QuerySet[Grievance]:
    return Grievance.objects.filter(
        mission_scope(user, sharing_field=None), sensitivity_scope(user), mission=mission
    ).select_related("place", "assigned_to")


def mediations(user, mission: Mission) -> QuerySet[MediationProcess]:
    return MediationProcess.objects.filter(mission_scope(user), mission=mission).select_related("place")


def agreements(user, mission: Mission) -> QuerySet[PeaceAgreement]:
    return PeaceAgreement.objects.filter(mission_scope(user), mission=mission).select_related("place")


def provisions(user, mission: Mission) -> QuerySet[Provision]:
    return Provision.objects.filter(
        mission_scope(user, mission_field="agreement__mission", sharing_field="agreement__sharing"),
        agreement__mission=mission,
    ).select_related("agreement")


def surveys(user, mission: Mission) -> QuerySet[Survey]:
    return Survey.objects.filter(mission_scope(user, sharing_field=None), mission=mission)


def mission_places(user, mission: Mission) -> QuerySet[Place]:
    """Places a record of the mission may be at: its host countries' admin areas and sites."""
    return (
        places_for(user)
        .filter(
            country__in=mission.host_countries.all(),
            kind__in=(Place.Kind.ADM1, Place.Kind.ADM2, Place.Kind.ADM3, Place.Kind.SITE),
        )
        .order_by("kind", "name")
    )
