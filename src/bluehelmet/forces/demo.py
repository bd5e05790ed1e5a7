"""Forces demo records for UNAMSIL and MINUSCA.

From the real shipped data: bases, contingents and their postings (Geo-PKO). Generated,
and labelled as exercise data wherever shown: personnel ("Exercise person 0001"), their
training records, equipment, patrols and awards. Nothing generated is presented as fact.
"""

import datetime
import random

from django.db import transaction

from bluehelmet.core.models import Mission

from .models import (
    Award,
    AwardDecision,
    Base,
    Equipment,
    MedalRule,
    Parade,
    Patrol,
    Person,
    PersonRole,
    TrainingCourse,
    TrainingRecord,
    TrainingRequirement,
    Unit,
    UnitKind,
    months_after,
)
from .planning import candidate_places, place_point
from .posture import current_posture, derive_units_from_geopko, posture_date

MISSIONS = ("UNAMSIL", "MINUSCA")
PEOPLE_PER_UNIT = 6
EXERCISE = "Exercise data"

# Courses and validities: an exercise configuration for the demo, not UN policy.
COURSES = [
    ("CPTM", "Core pre-deployment training", TrainingCourse.Topic.CORE, None),
    ("POC", "Protection of civilians", TrainingCourse.Topic.POC, 24),
    ("IHL", "International humanitarian law", TrainingCourse.Topic.IHL, 36),
    ("CRSV", "Conflict-related sexual violence", TrainingCourse.Topic.CRSV, 24),
    ("CP", "Child protection", TrainingCourse.Topic.CHILD_PROTECTION, 24),
    ("CA", "Cultural awareness", TrainingCourse.Topic.CULTURAL, 12),
    ("LANG-FR", "French language, basic", TrainingCourse.Topic.LANGUAGE, None),
]
EVERY_ROLE = ("CPTM", "POC", "IHL", "CRSV", "CA")
BY_ROLE = {
    PersonRole.COMMANDER: ("CP", "LANG-FR"),
    PersonRole.STAFF_OFFICER: ("CP",),
    PersonRole.MILITARY_OBSERVER: ("LANG-FR",),
    PersonRole.POLICE_OFFICER: ("CP",),
}
RANKS = ["Private", "Corporal", "Sergeant", "Lieutenant", "Captain", "Major"]
ROLE_BY_KIND = {
    UnitKind.MEDICAL: PersonRole.MEDICAL,
    UnitKind.ENGINEERING: PersonRole.ENGINEER,
    UnitKind.AVIATION: PersonRole.PILOT,
    UnitKind.LOGISTICS: PersonRole.LOGISTICS,
    UnitKind.OBSERVERS: PersonRole.MILITARY_OBSERVER,
    UnitKind.POLICE: PersonRole.POLICE_OFFICER,
    UnitKind.FORMED_POLICE: PersonRole.POLICE_OFFICER,
}
EQUIPMENT = [
    (Equipment.Category.ARMOURED_VEHICLE, "Armoured personnel carrier", 10, "long-range and night patrols"),
    (Equipment.Category.VEHICLE, "Utility vehicle 4x4", 24, "mobile patrols"),
    (Equipment.Category.GENERATOR, "Generator 100 kVA", 4, "base power, night operations"),
    (Equipment.Category.COMMUNICATIONS, "HF radio set", 12, "long-range patrols out of VHF range"),
    (Equipment.Category.WATER, "Water purification unit", 2, "operating away from the base"),
]


def load(progress=print) -> None:
    courses = ensure_courses()
    for mission in Mission.objects.filter(acronym__in=MISSIONS).order_by("acronym"):
        counts = derive_units_from_geopko(mission)
        made = exercise_records(mission, courses, random.Random(f"forces-{mission.acronym}"))
        progress(
            f"  forces {mission.acronym:<8} {counts.bases} bases, {counts.units} units, {counts.postings} postings (Geo-PKO); "
            f"exercise data: {made}"
        )


@transaction.atomic
def ensure_courses() -> dict[str, TrainingCourse]:
    courses = {}
    for code, name, topic, months in COURSES:
        courses[code], _created = TrainingCourse.objects.update_or_create(
            code=code, defaults={"name": name, "topic": topic, "validity_months": months}
        )
    for code in EVERY_ROLE:
        TrainingRequirement.objects.get_or_create(course=courses[code], role="", mission=None)
    for role, codes in BY_ROLE.items():
        for code in codes:
            TrainingRequirement.objects.get_or_create(course=courses[code], role=role, mission=None)
    return courses


@transaction.atomic
def exercise_records(mission: Mission, courses: dict[str, TrainingCourse], rng: random.Random) -> str:
    """People, training, equipment, patrols and awards for the units in today's posture.
    Replaces the mission's earlier exercise records, so loading twice gives the same."""
    day = posture_date(mission)
    if day is None:
        return "none (no posture)"
    Person.objects.filter(mission=mission, name__startswith="Exercise person").delete()
    Patrol.objects.filter(mission=mission, notes__startswith=EXERCISE).delete()
    Equipment.objects.filter(unit__mission=mission, limits__endswith=f"({EXERCISE})").delete()
    Parade.objects.filter(mission=mission, name__startswith="Exercise").delete()
    units = Unit.objects.filter(mission=mission)
    posture = current_posture(units, day)
    posted = [u for u in units.order_by("name") if u.pk in posture]

    people = []
    for unit in posted:
        for k in range(PEOPLE_PER_UNIT):
            role = (
                PersonRole.COMMANDER
                if k == 0
                else PersonRole.STAFF_OFFICER
                if k == 1
                else ROLE_BY_KIND.get(unit.kind, PersonRole.SOLDIER)
            )
            arrival = day - datetime.timedelta(days=rng.randint(20, 340))
            departed = rng.random() < 0.08
            people.append(
                Person(
                    mission=mission,
                    unit=unit,
                    role=role,
                    country=unit.country,
                    rank=RANKS[5 - k] if k < 2 else rng.choice(RANKS[:3]),
                    arrival=arrival,
                    departure=arrival + datetime.timedelta(days=rng.randint(30, 60))
                    if departed
                    else arrival + datetime.timedelta(days=365),
                )
            )
    for n, person in enumerate(people, start=1):
        person.name = f"Exercise person {mission.acronym}-{n:04d}"
        person.service_number = f"EX-{mission.acronym[:3]}-{n:05d}"
    Person.objects.bulk_create(people)

    records = []
    for person in people:
        for code in EVERY_ROLE + BY_ROLE.get(person.role, ()):
            course, roll = courses[code], rng.random()
            if roll < 0.03:
                continue  # never taken
            if roll < 0.07 and course.validity_months:
                completed = person.arrival - datetime.timedelta(
                    days=30 * course.validity_months + rng.randint(10, 200)
                )  # lapsed
            else:
                completed = person.arrival - datetime.timedelta(days=rng.randint(5, 200))
            expires = months_after(completed, course.validity_months) if course.validity_months else None
            records.append(
                TrainingRecord(
                    person=person,
                    course=course,
                    completed=completed,
                    expires=expires,
                    certificate_number=f"EX-{code}-{person.service_number}",
                )
            )
    TrainingRecord.objects.bulk_create(records)

    equipment = []
    for unit in posted:
        if unit.kind in (UnitKind.POLICE, UnitKind.OBSERVERS):
            continue
        scale = max((unit.actual_strength or 150) / 650, 0.25)
        for category, name, per_battalion, limits in EQUIPMENT:
            required = max(round(per_battalion * scale), 1)
            present = max(required - rng.choice([0, 0, 0, 1, 2]), 0)
            serviceable = max(present - rng.choice([0, 0, 1, 1, 2, 3]), 0)
            equipment.append(
                Equipment(
                    unit=unit,
                    category=category,
                    name=name,
                    required=required,
                    present=present,
                    serviceable=serviceable,
                    limits=f"{limits} ({EXERCISE})",
                    updated=day,
                )
            )
    Equipment.objects.bulk_create(equipment)

    patrols = exercise_patrols(mission, posted, posture, day, rng)

    MedalRule.objects.get_or_create(mission=mission)
    hq = Base.objects.filter(mission=mission, kind=Base.Kind.MISSION_HQ).first()
    Parade.objects.create(
        mission=mission, name="Exercise medal parade", date=day + datetime.timedelta(days=14), base=hq
    )
    awards = 0
    for person in people[:: max(len(people) // 4, 1)][:4]:
        award = Award.objects.create(
            person=person,
            kind=Award.Kind.COMMENDATION,
            citation=f"{EXERCISE}: commendation for exemplary patrol leadership.",
        )
        if awards % 2 == 0:
            AwardDecision.objects.create(award=award, step="unit commander", approved=True, comment=EXERCISE)
            award.status = Award.Status.ENDORSED
            award.save(update_fields=["status"])
        awards += 1
    if people:
        courage = Award.objects.create(
            person=people[-1],
            kind=Award.Kind.COURAGE,
            citation=f"{EXERCISE}: for courage in protecting civilians under fire (exercise scenario).",
        )
        for step, status in (("force commander", Award.Status.ENDORSED), ("head of mission", Award.Status.APPROVED)):
            AwardDecision.objects.create(award=courage, step=step, approved=True, comment=EXERCISE)
            courage.status = status
        courage.save(update_fields=["status"])
        awards += 1
    teams = unit_teams(mission, posted)
    return (
        f"{len(people)} people, {len(records)} training records, {len(equipment)} equipment items, {patrols} patrols, "
        f"{awards} awards, {teams} unit teams"
    )


def unit_teams(mission: Mission, posted: list[Unit]) -> int:
    """A core.Team for each unit in today's posture (response tasks are assigned to them), the
    mission's staff spread over them, and two exercise tasks for the first team: one due
    tomorrow, one overdue and escalated, so the inbox shows both."""
    from django.utils import timezone

    from bluehelmet.core.access import STAFF_ROLES
    from bluehelmet.core.models import Membership, Team
    from bluehelmet.incidents.escalation import escalate_overdue_tasks
    from bluehelmet.incidents.models import ResponseTask

    staff = [m.user for m in Membership.objects.filter(mission=mission, role__in=STAFF_ROLES).select_related("user")]
    teams, names = [], set()
    for unit in posted:
        name = unit.name[:180] if unit.name[:180] not in names else f"{unit.name[:180]} ({unit.pk})"
        names.add(name)
        team, _created = Team.objects.update_or_create(mission=mission, code=f"unit-{unit.pk}", defaults={"name": name})
        teams.append(team)
    for i, user in enumerate(staff):  # every staff member in one unit's team, in turn
        if teams:
            teams[i % len(teams)].members.add(user)
    if teams:
        now = timezone.now()
        for title, due in (
            (f"{EXERCISE}: escort the assessment team", now + datetime.timedelta(days=1)),
            (f"{EXERCISE}: report on the checkpoint", now - datetime.timedelta(hours=6)),
        ):
            # Kept when loading again (an escalated task has history, which is never deleted).
            ResponseTask.objects.get_or_create(mission=mission, title=title, defaults={"team": teams[0], "due_at": due})
        # Escalated now rather than by the first request's sweep: the demo is complete once loaded.
        escalate_overdue_tasks(mission=mission)
    return len(teams)


def exercise_patrols(mission, units, posture, day, rng, per_unit=3, radius_km=50.0) -> int:
    """A few conducted and planned patrols from each unit's base to places near it."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bluehelmet.analytics.allocate import distance_km

    # Places as any staff member sees them: the demo runs before any user exists.
    viewer = get_user_model()(is_superuser=True)
    places = [(p, place_point(p)) for p in candidate_places(viewer, mission)]
    places = [(p, xy) for p, xy in places if xy]
    if not places:
        return 0
    made = 0
    for unit in units:
        if unit.kind in (UnitKind.POLICE, UnitKind.OBSERVERS):
            continue
        base = posture[unit.pk].base.place
        near = distance_km(
            [base.latitude], [base.longitude], [xy[0] for _p, xy in places], [xy[1] for _p, xy in places]
        )[0]
        reachable = [places[k] for k in near.argsort() if near[k] <= radius_km][:6]
        if not reachable:
            continue
        for _k in range(per_unit):
            place, (lat, lon) = rng.choice(reachable)
            start = timezone.make_aware(
                datetime.datetime.combine(
                    day - datetime.timedelta(days=rng.randint(1, 60)), datetime.time(rng.choice([6, 9, 14, 20]))
                )
            )
            conducted = rng.random() < 0.8
            patrol = Patrol.objects.create(
                mission=mission,
                unit=unit,
                kind=rng.choice([Patrol.Kind.FOOT, Patrol.Kind.MOBILE, Patrol.Kind.MOBILE, Patrol.Kind.LONG_RANGE]),
                period=Patrol.Period.NIGHT if start.hour >= 20 else Patrol.Period.DAY,
                status=Patrol.Status.CONDUCTED if conducted else Patrol.Status.PLANNED,
                start=start,
                end=start + datetime.timedelta(hours=rng.randint(3, 10)),
                actual_start=start if conducted else None,
                actual_end=start + datetime.timedelta(hours=rng.randint(3, 10)) if conducted else None,
                route={
                    "type": "LineString",
                    "coordinates": [[base.longitude, base.latitude], [lon, lat], [base.longitude, base.latitude]],
                },
                community_contacts=rng.randint(0, 6) if conducted else 0,
                notes=f"{EXERCISE}: generated patrol.",
            )
            patrol.places.add(place)
            made += 1
    return made
