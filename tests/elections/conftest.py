import datetime

import pytest

from bluehelmet.core.models import Place
from bluehelmet.elections.models import Election, PollingCentre, PollingStation, Round
from bluehelmet.elections.observers import seed_questions


@pytest.fixture
def kenema(country):
    return Place.objects.create(
        key="adm2:SLE:Kenema", kind=Place.Kind.ADM2, name="Kenema", parent=country, country=country
    )


@pytest.fixture
def election(mission, kenema):
    """An exercise election in Kenema: two centres, one near Kenema town, one far east."""
    e = Election.objects.create(mission=mission, name="Exercise election", kind=Election.Kind.GENERAL)
    seed_questions(e)
    near = PollingCentre.objects.create(
        mission=mission, code="C1", name="Kenema exercise centre", place=kenema, latitude=7.877, longitude=-11.19
    )
    far = PollingCentre.objects.create(
        mission=mission,
        code="C2",
        name="Eastern exercise centre",
        place=kenema,
        latitude=7.5,
        longitude=-10.6,
        access=PollingCentre.Access.FOOT,
    )
    for centre, n in ((near, 3), (far, 2)):
        for k in range(n):
            PollingStation.objects.create(centre=centre, code=f"{centre.code}-{k + 1}", registered_voters=400 + 10 * k)
    return e


@pytest.fixture
def round_(election):
    return Round.objects.create(election=election, number=1, date=datetime.date(2002, 5, 14), label="Polling day")
