import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from bluehelmet.ddr import cases, indicators
from bluehelmet.ddr.forms import DemobilisationForm, RegistrationForm, ReintegrationForm, WeaponForm
from bluehelmet.ddr.models import Participant

d = datetime.date
nobody = AnonymousUser()


def form_data(registration, **changes):
    data = {**registration, **changes}
    data["faction"], data["place"] = data["faction"].pk, data["place"].pk
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}


def registration_form(mission, district, data):
    from bluehelmet.core.models import Place

    return RegistrationForm(data, mission=mission, places=Place.objects.filter(pk=district.pk))


def test_duplicate_is_caught_before_saving(mission, registration):
    first = cases.register(nobody, mission, registration)
    with pytest.raises(cases.DuplicateRegistration) as found:
        cases.register(nobody, mission, {**registration, "full_name": "  exercise   PERSON one ", "phone": ""})
    assert found.value.existing == first
    assert Participant.objects.count() == 1
    # Another faction or birth date is another person.
    cases.register(nobody, mission, {**registration, "birth_date": d(1975, 3, 3)})
    assert Participant.objects.count() == 2


def test_child_is_refused_as_combatant_with_the_referral_path(mission, district, registration):
    child = form_data(registration, birth_date=d(1986, 1, 1))
    form = registration_form(mission, district, child)
    assert not form.is_valid()
    assert "child protection" in form.errors["category"][0] and form.child_refused
    form = registration_form(mission, district, {**child, "category": "associated_child"})
    assert form.is_valid(), form.errors
    person = cases.register(nobody, mission, form.cleaned_data)
    assert person.is_child and person.stage == "referred" and "UNICEF" in person.referred_to
    assert person.age_at_registration == 15
    assert cases.next_step(person) is None
    adult = registration_form(mission, district, form_data(registration, category="associated_child"))
    assert not adult.is_valid() and "category" in adult.errors


def test_stages_and_figures(mission, registration, factions):
    person = cases.register(nobody, mission, registration)
    assert cases.next_step(person) == "disarmament"
    assert not DemobilisationForm(
        {"site": "Daru", "entered_on": "2001-06-05", "allowance": "150", "currency": "USD"}, participant=person
    ).is_valid()
    weapon = WeaponForm(
        {"kind": "rifle", "model": "AK-47", "serial": "", "quantity": 1, "handed_in_on": "2001-06-02"},
        participant=person,
    )
    assert not weapon.is_valid() and "serial" in weapon.errors
    weapon = WeaponForm(
        {"kind": "rifle", "model": "AK-47", "serial": "EX-1", "quantity": 1, "handed_in_on": "2001-06-02"},
        participant=person,
    )
    assert weapon.is_valid(), weapon.errors
    cases.record_weapon(nobody, person, weapon.cleaned_data)
    cases.record_weapon(
        nobody,
        person,
        {
            "kind": "ammunition",
            "model": "7.62",
            "serial": "",
            "quantity": 120,
            "handed_in_on": d(2001, 6, 2),
            "site": "",
        },
    )
    early = DemobilisationForm(
        {"site": "Daru", "entered_on": "2001-06-01", "allowance": "150", "currency": "USD"}, participant=person
    )
    assert not early.is_valid() and "entered_on" in early.errors
    cases.record_demobilisation(
        person,
        {
            "site": "Daru",
            "entered_on": d(2001, 6, 5),
            "discharged_on": d(2001, 6, 20),
            "allowance": 150,
            "currency": "USD",
        },
    )
    half = ReintegrationForm(
        {"programme": "agriculture", "status": "completed", "reinsertion_on": "2001-06-25"}, participant=person
    )
    assert not half.is_valid() and "completed_on" in half.errors
    cases.record_reintegration(
        person,
        {
            "reinsertion_package": "tools",
            "reinsertion_on": d(2001, 6, 25),
            "programme": "agriculture",
            "implementing_partner": "",
            "status": "completed",
            "started_on": d(2001, 7, 1),
            "completed_on": d(2002, 3, 1),
        },
    )
    person.refresh_from_db()
    assert person.stage == "reintegrated" and cases.next_step(person) == "visits"
    other = cases.register(
        nobody, mission, {**registration, "full_name": "Exercise Person Two", "faction": factions["CDF"]}
    )
    cases.record_weapon(
        nobody,
        other,
        {"kind": "pistol", "model": "", "serial": "EX-2", "quantity": 1, "handed_in_on": d(2001, 6, 3), "site": ""},
    )
    cases.record_weapon(
        nobody,
        other,
        {"kind": "rifle", "model": "", "serial": "EX-3", "quantity": 1, "handed_in_on": d(2001, 6, 3), "site": ""},
    )
    cases.register(
        nobody, mission, {**registration, "full_name": "Exercise Person Three", "category": "associated_adult"}
    )

    stages = {row["stage"]: row["count"] for row in indicators.funnel(mission)["stages"]}
    assert stages == {"registered": 3, "disarmed": 2, "demobilised": 1, "reinserted": 1, "reintegrated": 1}
    by_faction = {row["name"]: row for row in indicators.weapons_per_combatant(mission, "faction")}
    assert (
        by_faction["Revolutionary United Front (RUF)"]["per_combatant"] == 1
        and by_faction["Revolutionary United Front (RUF)"]["rounds"] == 120
    )
    assert by_faction["Civil Defence Forces (CDF)"]["per_combatant"] == 2
    assert indicators.weapons_per_combatant(mission, "place") == [
        {"name": "Kailahun", "disarmed": 2, "weapons": 3, "rounds": 120, "per_combatant": 1.5}
    ]

    assert indicators.reintegration_rate(mission, d(2001, 1, 1), d(2001, 12, 31)) == 0.0  # completed only in 2002
    assert indicators.reintegration_rate(mission, d(2001, 1, 1), d(2002, 3, 1)) == 1.0  # end date inclusive
    assert indicators.reintegration_rate(mission, d(2003, 1, 1), d(2003, 12, 31)) is None


def test_reintegration_rate_without_records(mission):
    assert indicators.reintegration_rate(mission, d(2000, 1, 1), d(2005, 1, 1)) is None
