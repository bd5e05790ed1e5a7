"""Forces fixtures: the Sierra Leone rows of the shared fixture turned into units and bases,
and a few exercise people with their training."""

import datetime

import pytest

from bluehelmet.core.models import Place
from bluehelmet.forces.models import Person, PersonRole, TrainingCourse, TrainingRecord, TrainingRequirement, Unit
from bluehelmet.forces.posture import derive_units_from_geopko

D = datetime.date


@pytest.fixture
def forces(sierra_leone, mission):
    """UNAMSIL's bases and contingents derived from the March 2001 map."""
    derive_units_from_geopko(mission)
    return {unit.name: unit for unit in Unit.objects.filter(mission=mission)}


@pytest.fixture
def courses(db):
    poc = TrainingCourse.objects.create(
        code="POC", name="Protection of civilians", topic=TrainingCourse.Topic.POC, validity_months=24
    )
    core = TrainingCourse.objects.create(
        code="CPTM", name="Core pre-deployment training", topic=TrainingCourse.Topic.CORE
    )
    french = TrainingCourse.objects.create(code="FR", name="French", topic=TrainingCourse.Topic.LANGUAGE)
    TrainingRequirement.objects.create(course=poc)
    TrainingRequirement.objects.create(course=core)
    TrainingRequirement.objects.create(course=french, role=PersonRole.COMMANDER)
    return {"poc": poc, "core": core, "french": french}


@pytest.fixture
def people(forces, courses, mission):
    """Three people of the Freetown and Bo contingents, on 2001-06-01:
    - a commander with all three courses current (3 of 3);
    - a soldier whose POC certificate expired in May 2001 (1 of 2);
    - a soldier who left in April 2001 (not counted)."""
    nigeria, guinea = forces["Nigeria contingent, Freetown"], forces["Guinea contingent, Bo"]
    commander = Person.objects.create(
        mission=mission,
        unit=nigeria,
        name="Exercise person 0001",
        role=PersonRole.COMMANDER,
        rank="Major",
        country=nigeria.country,
        arrival=D(2001, 1, 10),
    )
    soldier = Person.objects.create(
        mission=mission,
        unit=guinea,
        name="Exercise person 0002",
        role=PersonRole.SOLDIER,
        rank="Private",
        country=guinea.country,
        arrival=D(2001, 2, 1),
    )
    gone = Person.objects.create(
        mission=mission,
        unit=guinea,
        name="Exercise person 0003",
        role=PersonRole.SOLDIER,
        arrival=D(2001, 1, 1),
        departure=D(2001, 4, 30),
    )
    for course in courses.values():
        TrainingRecord.objects.create(person=commander, course=course, completed=D(2000, 12, 1))
    TrainingRecord.objects.create(person=soldier, course=courses["core"], completed=D(2000, 11, 1))
    TrainingRecord.objects.create(person=soldier, course=courses["poc"], completed=D(1999, 5, 15))  # expires 2001-05-15
    return {"commander": commander, "soldier": soldier, "gone": gone}


@pytest.fixture
def chiefdoms(mission, country):
    """Three areas near Bo, Daru and Freetown, the deepest admin level there is."""
    made = {}
    for name, lon, lat in (
        ("Bo chiefdom", -11.9, 7.8),
        ("Daru chiefdom", -10.95, 7.85),
        ("Freetown chiefdom", -13.35, 8.35),
    ):
        ring = [[lon, lat], [lon + 0.3, lat], [lon + 0.3, lat + 0.3], [lon, lat + 0.3], [lon, lat]]
        made[name] = Place.objects.create(
            key=f"adm3:{name}",
            kind=Place.Kind.ADM3,
            name=name,
            country=country,
            geometry={"type": "Polygon", "coordinates": [ring]},
        )
    return made
