import datetime

import pytest

from bluehelmet.core.models import Organization, Place


@pytest.fixture
def district(country):
    return Place.objects.create(
        key="adm2:SLE:Kailahun", kind=Place.Kind.ADM2, name="Kailahun", parent=country, country=country
    )


@pytest.fixture
def factions(country):
    return {
        acronym: Organization.objects.create(
            key=f"actor:{acronym}", name=name, acronym=acronym, kind=Organization.Kind.ARMED_GROUP, country=country
        )
        for acronym, name in (("RUF", "Revolutionary United Front (RUF)"), ("CDF", "Civil Defence Forces (CDF)"))
    }


@pytest.fixture
def registration(district, factions):
    """A valid registration as the form cleans it (an exercise person)."""
    return {
        "category": "combatant",
        "full_name": "Exercise Person One",
        "birth_date": datetime.date(1975, 3, 2),
        "sex": "male",
        "phone": "+232 00 000 000",
        "faction": factions["RUF"],
        "place": district,
        "registered_on": datetime.date(2001, 6, 1),
    }
