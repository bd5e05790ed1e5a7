"""Civil affairs fixtures: UNAMSIL with two districts (from the shared sierra_leone fixture),
the incident taxonomy, and a few records."""

import datetime

import pytest

from bluehelmet.core.models import Place
from bluehelmet.incidents.taxonomy import seed_types

from .factories import make_agreement, make_alert, make_engagement, make_partner


@pytest.fixture
def ca(sierra_leone, mission, users):
    from types import SimpleNamespace

    seed_types(mission)
    kenema = Place.objects.get(name="Kenema", kind=Place.Kind.ADM2)
    western = Place.objects.get(name="Western Area", kind=Place.Kind.ADM2)
    partner = make_partner(mission, kenema, users["civil_affairs"])
    engagement = make_engagement(mission, kenema, datetime.date(2001, 3, 1))
    alert = make_alert(mission, kenema)
    agreement, provision = make_agreement(mission)
    return SimpleNamespace(
        mission=mission,
        kenema=kenema,
        western=western,
        partner=partner,
        engagement=engagement,
        alert=alert,
        agreement=agreement,
        provision=provision,
        users=users,
    )
