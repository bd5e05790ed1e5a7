"""UN medal eligibility, approval steps, parade lists and certificates."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bluehelmet.core.models import Role
from bluehelmet.forces.models import Award, MedalRule, Parade, Person
from bluehelmet.forces.recognition import (
    certificate_pdf,
    continuous_service_days,
    decide_award,
    medal_eligibility,
    parade_eligibility,
)

D = datetime.date


def test_continuous_service_counts_both_ends_and_stops_at_departure(people):
    assert continuous_service_days(people["commander"], D(2001, 1, 10)) == 1
    assert continuous_service_days(people["commander"], D(2001, 4, 9)) == 90
    assert continuous_service_days(people["gone"], D(2001, 6, 1)) == 120
    assert continuous_service_days(people["commander"], D(2000, 12, 1)) == 0


def test_eligibility_uses_the_missions_qualifying_days(people, mission):
    everyone = Person.objects.filter(mission=mission)
    # On 2001-04-30: commander 111 days, soldier 89, the one who left 120.
    assert [e.person.name for e in medal_eligibility(mission, everyone, D(2001, 4, 30))] == [
        "Exercise person 0003",
        "Exercise person 0001",
    ]
    MedalRule.objects.create(mission=mission, qualifying_days=120)
    assert [e.person.name for e in medal_eligibility(mission, everyone, D(2001, 4, 30))] == ["Exercise person 0003"]


def test_a_parade_lists_those_eligible_in_its_units_not_yet_awarded(people, forces, mission):
    parade = Parade.objects.create(mission=mission, name="Medal parade", date=D(2001, 6, 1))
    assert {e.person.name for e in parade_eligibility(parade)} == {
        "Exercise person 0001",
        "Exercise person 0002",
        "Exercise person 0003",
    }
    parade.units.add(forces["Guinea contingent, Bo"])
    Award.objects.create(person=people["gone"], kind=Award.Kind.UN_MEDAL)
    assert [e.person.name for e in parade_eligibility(parade)] == ["Exercise person 0002"]


def test_a_commendation_goes_through_its_two_steps(people, users):
    award = Award.objects.create(person=people["soldier"], kind=Award.Kind.COMMENDATION)
    assert award.next_step[1] == "unit commander"
    decide_award(award, users[Role.ADMINISTRATOR], True, "well done")
    award.refresh_from_db()
    assert award.status == Award.Status.ENDORSED and award.next_step[1] == "force commander"
    decide_award(award, users[Role.ADMINISTRATOR], True)
    award.refresh_from_db()
    assert award.status == Award.Status.APPROVED and award.next_step is None
    with pytest.raises(ValidationError):
        decide_award(award, users[Role.ADMINISTRATOR], True)
    pdf = certificate_pdf(award)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_a_rejected_award_has_no_certificate(people, users):
    award = Award.objects.create(person=people["soldier"], kind=Award.Kind.COMMENDATION)
    decide_award(award, users[Role.ADMINISTRATOR], False, "not this time")
    award.refresh_from_db()
    assert award.status == Award.Status.REJECTED and award.next_step is None
    with pytest.raises(ValidationError):
        certificate_pdf(award)


def test_a_special_award_needs_a_citation(people):
    with pytest.raises(ValidationError) as error:
        Award(person=people["soldier"], kind=Award.Kind.COURAGE).full_clean()
    assert "citation" in error.value.message_dict
