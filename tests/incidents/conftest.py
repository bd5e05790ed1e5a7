"""Incident fixtures: UNAMSIL in a Sierra Leone with a (simplified) outline and two districts,
the default taxonomy, the Lomé agreement with an exercise buffer zone, and report data."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from bluehelmet.core.models import Organization, Place
from bluehelmet.incidents.ceasefires import zone_geometry
from bluehelmet.incidents.models import Agreement, MonitoredZone
from bluehelmet.incidents.taxonomy import seed_types


def box(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


# Sierra Leone's bounding box (about -13.3..-10.3 E, 6.9..10.0 N) and two districts in it.
SIERRA_LEONE = box(-13.3, 6.9, -10.3, 10.0)
MAKENI_ZONE = box(-12.3, 8.65, -11.8, 9.1)  # the exercise zone of the demo


@pytest.fixture
def sl(mission, country):
    country.geometry = SIERRA_LEONE
    country.save()
    mission.start = datetime.date(1999, 10, 22)
    mission.save()
    bombali = Place.objects.create(
        key="adm2:SLE:Bombali",
        kind=Place.Kind.ADM2,
        name="Bombali",
        parent=country,
        country=country,
        geometry=box(-12.6, 8.6, -11.6, 9.6),
        latitude=9.1,
        longitude=-12.1,
    )
    kenema = Place.objects.create(
        key="adm2:SLE:Kenema",
        kind=Place.Kind.ADM2,
        name="Kenema",
        parent=country,
        country=country,
        geometry=box(-11.6, 7.4, -10.8, 8.3),
        latitude=7.85,
        longitude=-11.2,
    )
    seed_types(mission)
    government = Organization.objects.create(
        key="actor:gov-sl", name="Government of Sierra Leone", kind=Organization.Kind.GOVERNMENT, country=country
    )
    ruf = Organization.objects.create(
        key="actor:ruf",
        name="Revolutionary United Front (RUF)",
        acronym="RUF",
        kind=Organization.Kind.ARMED_GROUP,
        country=country,
    )
    lome = Agreement.objects.create(
        mission=mission,
        name="Lomé Peace Agreement",
        signed_on=datetime.date(1999, 7, 7),
        effective_from=datetime.date(1999, 7, 7),
    )
    lome.parties.set([government, ruf])
    zone = MonitoredZone.objects.create(agreement=lome, name="Exercise buffer zone", **zone_geometry(MAKENI_ZONE))
    return SimpleNamespace(
        mission=mission,
        country=country,
        bombali=bombali,
        kenema=kenema,
        government=government,
        ruf=ruf,
        lome=lome,
        zone=zone,
    )


@pytest.fixture
def report_data():
    """A valid report (as the API sends it) at `latitude`, `longitude`, hours ago, of a type."""

    def make(latitude=7.9, longitude=-11.2, hours_ago=2, type="armed-clash", **extra):
        data = {
            "type": type,
            "occurred_at": (timezone.now() - datetime.timedelta(hours=hours_ago)).isoformat(),
            "date_precision": "time",
            "latitude": latitude,
            "longitude": longitude,
            "narrative": "Test report.",
            "sources": [
                {
                    "kind": "witness",
                    "description": "a trader",
                    "identity": "Jane Doe, +232 000",
                    "reliability": "C",
                    "credibility": 3,
                }
            ],
        }
        data.update(extra)
        return data

    return make


@pytest.fixture
def file(sl, users, report_data):
    """File a report as the reporter (or another user); returns the Submission."""
    from bluehelmet.core.models import Role
    from bluehelmet.incidents.reports import submit_report

    def do(user=None, **fields):
        data = report_data(**fields)
        return submit_report(
            user or users[Role.REPORTER],
            sl.mission,
            data,
            sources=data.pop("sources"),
            casualties=data.pop("casualties", []),
        )

    return do
