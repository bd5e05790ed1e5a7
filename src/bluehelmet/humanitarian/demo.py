"""Humanitarian demo for UNAMSIL, 2001: exercise figures in the real districts of Sierra
Leone. Needs assessments come from the shipped HXL sample (samples/), imported like any
file; a few 3W activities, aid deliveries and access constraints are added here, one of
them from an exercise incident report of denied humanitarian access. Every record is
marked exercise data. The other 3W sample, unamsil_2001_3w_exercise_hxl.csv, is left for
the humanitarian officer (humanitarian / bluehelmet-humanitarian) to import from
Humanitarian > Import HXL, as the browser test does."""

import datetime
import uuid
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from bluehelmet.core.models import Mission, Organization, Place, Sharing
from bluehelmet.importers.registry import run_import
from bluehelmet.incidents.models import Incident, IncidentType

from .models import AccessConstraint, Activity, Delivery, NeedsAssessment, Sector

SAMPLES = Path(__file__).resolve().parent / "samples"
NEEDS_SAMPLE = SAMPLES / "unamsil_2001_needs_exercise_hxl.csv"
THREE_W_SAMPLE = SAMPLES / "unamsil_2001_3w_exercise_hxl.csv"

ORGANIZATIONS = {  # name: (acronym, kind)
    "World Food Programme": ("WFP", Organization.Kind.UN_ENTITY),
    "UNICEF": ("UNICEF", Organization.Kind.UN_ENTITY),
    "UNHCR": ("UNHCR", Organization.Kind.UN_ENTITY),
    "OCHA": ("OCHA", Organization.Kind.UN_ENTITY),
    "Medecins Sans Frontieres": ("MSF", Organization.Kind.NGO),
    "International Rescue Committee": ("IRC", Organization.Kind.NGO),
    "Action Contre la Faim": ("ACF", Organization.Kind.NGO),
    "CARE International": ("CARE", Organization.Kind.NGO),
    "Oxfam": ("Oxfam", Organization.Kind.NGO),
    "Save the Children": ("SCF", Organization.Kind.NGO),
    "World Vision": ("WV", Organization.Kind.NGO),
}


def organization(name: str) -> Organization:
    acronym, kind = ORGANIZATIONS[name]
    found = Organization.objects.filter(name__iexact=name).first()
    if found is None:
        found = Organization.objects.create(key=f"org:{name.casefold()}", name=name, acronym=acronym, kind=kind)
    return found


@transaction.atomic
def load(progress=print) -> None:
    mission = Mission.objects.filter(acronym="UNAMSIL").first()
    districts = {p.name: p for p in Place.objects.filter(kind=Place.Kind.ADM2, country__name="Sierra Leone")}
    if mission is None or not districts:
        return
    for name in ORGANIZATIONS:
        organization(name)
    summary = run_import("humanitarian-needs", NEEDS_SAMPLE, mission=mission.acronym)
    NeedsAssessment.objects.filter(mission=mission).update(exercise=True, sharing=Sharing.PUBLIC)

    def activity(org, sector, what, district, start, end, status, targeted, reached):
        Activity.objects.create(
            mission=mission,
            organization=organization(org),
            sector=sector,
            activity=f"{what} (exercise)",
            place=districts[district],
            start=start,
            end=end,
            status=status,
            targeted=targeted,
            reached=reached,
            exercise=True,
            sharing=Sharing.PUBLIC,
        )

    d = datetime.date
    activity(
        "World Food Programme",
        Sector.FOOD_SECURITY,
        "Food for work, feeder roads",
        "Bo",
        d(2001, 1, 15),
        d(2001, 6, 30),
        Activity.Status.COMPLETED,
        9000,
        8200,
    )
    activity(
        "UNICEF",
        Sector.EDUCATION,
        "School kits for returnee children",
        "Kenema",
        d(2001, 2, 1),
        d(2001, 9, 30),
        Activity.Status.ONGOING,
        6000,
        2500,
    )
    activity(
        "Medecins Sans Frontieres",
        Sector.HEALTH,
        "Mobile clinics",
        "Kailahun",
        d(2001, 6, 1),
        None,
        Activity.Status.ONGOING,
        15000,
        4000,
    )
    activity(
        "UNHCR",
        Sector.SHELTER_NFI,
        "Transit centre for returnees",
        "Kono",
        d(2001, 10, 1),
        d(2002, 3, 31),
        Activity.Status.PLANNED,
        8000,
        None,
    )

    # An exercise incident report of denied access, and the constraint recorded from it.
    access_type = IncidentType.objects.filter(mission=mission, code="humanitarian-access-denial").first()
    incident = None
    kailahun = districts["Kailahun"]
    if access_type is not None:
        incident = Incident.objects.create(
            mission=mission,
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, "bluehelmet-demo/humanitarian/access-1"),
            type=access_type,
            occurred_at=timezone.make_aware(datetime.datetime(2001, 5, 12, 9, 30)),
            date_precision=Incident.DatePrecision.TIME,
            latitude=kailahun.latitude or 8.28,
            longitude=kailahun.longitude or -10.57,
            place=kailahun,
            location_description="Road Daru - Kailahun (exercise)",
            status=Incident.Status.VERIFIED,
            narrative="Exercise data: a WFP convoy to Kailahun was turned back at a checkpoint on the Daru road; the crew was told "
            "that no relief may pass without written permission.",
        )
    constraint = AccessConstraint.objects.create(
        mission=mission,
        type=AccessConstraint.Type.MOVEMENT,
        place=kailahun,
        started_on=d(2001, 5, 12),
        ended_on=d(2001, 6, 2),
        impact=AccessConstraint.Impact.SUSPENDED,
        people_affected=40000,
        incident=incident,
        exercise=True,
        description="Exercise data: checkpoint on the Daru - Kailahun road refusing relief convoys without written permission.",
    )
    AccessConstraint.objects.create(
        mission=mission,
        type=AccessConstraint.Type.MINES,
        place=districts["Kono"],
        started_on=d(2001, 8, 1),
        impact=AccessConstraint.Impact.REDUCED,
        people_affected=12000,
        exercise=True,
        description="Exercise data: suspected mines on feeder roads around Koidu; assessment teams on foot only.",
    )

    def delivery(org, sector, item, quantity, unit, district, day, escorted, outcome, served=None, linked=None):
        Delivery.objects.create(
            mission=mission,
            organization=organization(org),
            sector=sector,
            item=item,
            quantity=Decimal(quantity),
            unit=unit,
            place=districts[district],
            delivered_on=day,
            escorted=escorted,
            outcome=outcome,
            beneficiaries=served,
            access_constraint=linked,
            exercise=True,
            sharing=Sharing.PUBLIC,
        )

    delivery(
        "World Food Programme",
        Sector.FOOD_SECURITY,
        "Bulgur wheat and vegetable oil",
        "120",
        "tonnes",
        "Kenema",
        d(2001, 4, 3),
        True,
        Delivery.Outcome.DELIVERED,
        16000,
    )
    delivery(
        "World Food Programme",
        Sector.FOOD_SECURITY,
        "Bulgur wheat",
        "60",
        "tonnes",
        "Kailahun",
        d(2001, 5, 12),
        False,
        Delivery.Outcome.BLOCKED,
        None,
        constraint,
    )
    delivery(
        "World Food Programme",
        Sector.FOOD_SECURITY,
        "Bulgur wheat",
        "60",
        "tonnes",
        "Kailahun",
        d(2001, 6, 5),
        True,
        Delivery.Outcome.DELIVERED,
        8000,
    )
    delivery(
        "UNICEF",
        Sector.WASH,
        "Water purification tablets and jerrycans",
        "2500",
        "kits",
        "Kono",
        d(2001, 7, 20),
        True,
        Delivery.Outcome.PARTIAL,
        5000,
    )
    delivery(
        "UNHCR",
        Sector.SHELTER_NFI,
        "Plastic sheeting and blankets",
        "1800",
        "kits",
        "Bombali",
        d(2001, 9, 9),
        False,
        Delivery.Outcome.DELIVERED,
        9000,
    )
    progress(
        f"{'humanitarian':<20} UNAMSIL 2001 (exercise): {summary.rows} needs assessments from {NEEDS_SAMPLE.name}, 4 activities, "
        f"5 deliveries, 2 access constraints; import samples/{THREE_W_SAMPLE.name} as humanitarian / bluehelmet-humanitarian"
    )
