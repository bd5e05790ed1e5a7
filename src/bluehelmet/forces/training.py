"""Training compliance: who must hold which course, who holds it on a given day, who is
overdue. One definition, used by the dashboard and by the results framework's indicator.

A requirement is met on a day when the person has a record of the course completed on or
before that day that has not expired by then. Only people deployed that day (arrived, not
yet departed) count.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from bluehelmet.core.models import Mission

from .models import Person, TrainingCourse, TrainingRecord, TrainingRequirement


def deployed_on(people: QuerySet[Person], day: datetime.date) -> QuerySet[Person]:
    return people.filter(arrival__lte=day).filter(Q(departure__isnull=True) | Q(departure__gte=day))


def required_courses(mission: Mission) -> dict[str, set[int]]:
    """role -> ids of the courses it requires in this mission ("" = required of every role)."""
    required = defaultdict(set)
    for role, course in TrainingRequirement.objects.filter(Q(mission=mission) | Q(mission__isnull=True)).values_list(
        "role", "course"
    ):
        required[role].add(course)
    return required


@dataclass
class PersonCompliance:
    person: Person
    required: set[int]
    current: set[int]
    expired: set[int] = field(default_factory=set)  # held once, lapsed by the day

    @property
    def missing(self) -> set[int]:
        return self.required - self.current


def person_compliance(mission: Mission, people: QuerySet[Person], day: datetime.date) -> list[PersonCompliance]:
    """For each person deployed on `day`: the courses required, those current, those lapsed."""
    required = required_courses(mission)
    deployed = list(deployed_on(people, day).select_related("unit", "country"))
    held, lapsed = defaultdict(set), defaultdict(set)
    records = TrainingRecord.objects.filter(person__in=[p.pk for p in deployed], completed__lte=day).values_list(
        "person", "course", "expires"
    )
    for person_id, course_id, expires in records:
        if expires is None or expires >= day:
            held[person_id].add(course_id)
        else:
            lapsed[person_id].add(course_id)
    result = []
    for person in deployed:
        needed = required[""] | required[person.role]
        result.append(
            PersonCompliance(person, needed, held[person.pk] & needed, (lapsed[person.pk] - held[person.pk]) & needed)
        )
    return result


@dataclass
class ComplianceRow:
    label: str
    people: int = 0
    required: int = 0
    current: int = 0
    overdue_people: int = 0

    @property
    def share(self) -> float | None:
        return self.current / self.required if self.required else None


def compliance_share(rows: list[PersonCompliance]) -> float | None:
    required = sum(len(r.required) for r in rows)
    return sum(len(r.current) for r in rows) / required if required else None


def compliance_by(rows: list[PersonCompliance], key) -> list[ComplianceRow]:
    """Totals grouped by key(person) -> label, lowest compliance first."""
    groups: dict[str, ComplianceRow] = {}
    for r in rows:
        label = key(r.person)
        group = groups.setdefault(label, ComplianceRow(label))
        group.people += 1
        group.required += len(r.required)
        group.current += len(r.current)
        group.overdue_people += bool(r.missing)
    return sorted(groups.values(), key=lambda g: (g.share if g.share is not None else 2, g.label))


def course_names() -> dict[int, str]:
    return dict(TrainingCourse.objects.values_list("pk", "name"))
