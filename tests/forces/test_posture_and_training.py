"""Units and bases from Geo-PKO; training compliance and the indicator the results
framework reads."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bluehelmet.core.models import Mission
from bluehelmet.datasets.models import SiteYear
from bluehelmet.forces.indicators import training_compliance
from bluehelmet.forces.models import Base, Person, TrainingRecord, Unit, UnitKind, UnitPosting
from bluehelmet.forces.posture import current_posture, derive_units_from_geopko, posture_date
from bluehelmet.forces.training import compliance_by, person_compliance

D = datetime.date


def test_contingents_and_bases_come_from_the_deployment_map(forces, mission, sierra_leone):
    assert sorted(forces) == [
        "Ghana contingent, Daru",
        "Guinea contingent, Bo",
        "Jordan contingent, Freetown",
        "Military observers, Daru",
        "Military observers, Freetown",
        "Nigeria contingent, Freetown",
    ]
    nigeria = forces["Nigeria contingent, Freetown"]
    assert (nigeria.country.name, nigeria.actual_strength, nigeria.authorised_strength) == ("Nigeria", 800, None)
    assert forces["Military observers, Daru"].actual_strength is None  # unknown stays unknown
    bases = {b.place.name: b for b in Base.objects.filter(mission=mission)}
    assert bases["Freetown"].kind == Base.Kind.MISSION_HQ and bases["Bo"].kind == Base.Kind.BASE
    # Lungi appears only on the December 1999 map: a base that closed.
    assert bases["Lungi"].closed == D(1999, 12, 31) and bases["Bo"].closed is None
    posting = nigeria.postings.get()
    assert (posting.base.place.name, posting.start, posting.end, posting.troops) == (
        "Freetown",
        D(2001, 3, 1),
        None,
        800,
    )


def test_unit_type_only_where_the_site_has_a_single_type(mission, sierra_leone):
    sites = sierra_leone.sites
    SiteYear.objects.create(mission=mission, site=sites["Bo"], year=2001, infantry_units=650)
    SiteYear.objects.create(mission=mission, site=sites["Freetown"], year=2001, infantry_units=800, medical_units=3)
    derive_units_from_geopko(mission)
    assert Unit.objects.get(name="Guinea contingent, Bo").kind == UnitKind.INFANTRY
    assert Unit.objects.get(name="Nigeria contingent, Freetown").kind == UnitKind.UNKNOWN


def test_deriving_twice_changes_nothing(forces, mission):
    counts = (Unit.objects.count(), Base.objects.count(), UnitPosting.objects.count())
    derive_units_from_geopko(mission)
    assert (Unit.objects.count(), Base.objects.count(), UnitPosting.objects.count()) == counts


def test_a_mission_that_ended_closes_its_last_postings(forces, mission):
    Mission.objects.filter(pk=mission.pk).update(end=D(2005, 12, 1))
    derive_units_from_geopko(Mission.objects.get(pk=mission.pk))
    assert Unit.objects.get(name="Nigeria contingent, Freetown").postings.get().end == D(2005, 12, 31)


def test_todays_posture_is_read_on_the_latest_recorded_change(forces, mission):
    assert posture_date(mission) == D(2001, 3, 1)
    posture = current_posture(Unit.objects.filter(mission=mission), D(2001, 3, 1))
    assert len(posture) == 6


@pytest.mark.parametrize(
    "model, fields, field",
    [
        (Person, {"name": "x", "role": "soldier", "arrival": D(2001, 5, 1), "departure": D(2001, 4, 1)}, "departure"),
        (Unit, {"name": "x", "authorised_strength": 100, "actual_strength": 120}, "strength_reason"),
    ],
)
def test_impossible_records_get_a_field_message(mission, model, fields, field):
    with pytest.raises(ValidationError) as error:
        model(mission=mission, **fields).full_clean()
    assert field in error.value.message_dict


def test_strength_above_authorised_with_a_reason_is_accepted(mission):
    Unit(
        mission=mission,
        name="x",
        authorised_strength=100,
        actual_strength=120,
        strength_reason="reinforced for elections",
    ).full_clean()


def test_a_posting_must_not_end_before_it_starts(forces):
    posting = forces["Guinea contingent, Bo"].postings.get()
    posting.end = D(2000, 1, 1)
    with pytest.raises(ValidationError) as error:
        posting.full_clean()
    assert "end" in error.value.message_dict


def test_certificates_expire_after_the_course_validity(people, courses):
    record = TrainingRecord.objects.get(person=people["soldier"], course=courses["poc"])
    assert record.expires == D(2001, 5, 15)


def test_training_compliance_counts_current_trainings_of_people_deployed(people, mission):
    # Commander 3 of 3, soldier 1 of 2 (POC expired 2001-05-15); the third person left.
    assert training_compliance(mission, D(2001, 6, 1)) == pytest.approx(4 / 5)
    # Before the POC expired the soldier had 2 of 2.
    assert training_compliance(mission, D(2001, 5, 1)) == pytest.approx(5 / 5)


def test_training_compliance_is_none_without_personnel(mission, other_mission):
    assert training_compliance(mission, D(2001, 6, 1)) is None
    assert training_compliance(other_mission, D(2001, 6, 1)) is None


def test_compliance_per_unit_lists_the_lowest_first(people, mission):
    rows = person_compliance(mission, Person.objects.filter(mission=mission), D(2001, 6, 1))
    by_unit = compliance_by(rows, lambda p: p.unit.name)
    assert [(r.label, r.people, r.required, r.current, r.overdue_people) for r in by_unit] == [
        ("Guinea contingent, Bo", 1, 2, 1, 1),
        ("Nigeria contingent, Freetown", 1, 3, 3, 0),
    ]
    soldier = next(r for r in rows if r.person == people["soldier"])
    assert list(soldier.expired) == [TrainingRecord.objects.get(person=people["soldier"], course__code="POC").course_id]
