"""A mission's forecast builds its covariates from the database: Geo-PKO and its own
postings, patrols, incidents, community alerts, ceasefires and their zones, polling days
and populations, counting only what the run's readers may see."""

import datetime
import uuid

import numpy as np
import pytest
from django.utils import timezone

from bluehelmet.analytics.forecast.covariates import FAMILIES, NO_BASE_KM
from bluehelmet.analytics.panel import PanelError, month_id
from bluehelmet.civilaffairs.models import CommunityAlert
from bluehelmet.core.models import Place, Sharing
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.earlywarning.forecasting import build_panels
from bluehelmet.earlywarning.models import ForecastRun
from bluehelmet.earlywarning.queries import run_notes
from bluehelmet.earlywarning.runs import create_run, execute_run
from bluehelmet.elections.models import Election, Round
from bluehelmet.forces.models import Base, Patrol, Unit, UnitPosting
from bluehelmet.incidents.models import Agreement, Incident, IncidentType, MonitoredZone

from .conftest import SMALL_MODEL

pytestmark = pytest.mark.django_db

BRIA = (6.5423, 21.9863)  # the Haute-Kotto events of car_history are drawn around Bria
HAUTE_KOTTO = "Haute-Kotto province"


def _at(year, month, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


@pytest.fixture
def records(car_history):
    """One record of each kind at Bria, plus records the forecast must not count."""
    mission, country = car_history, car_history.host_countries.get()
    lat, lon = BRIA
    base_place = Place.objects.create(
        key="base:Bria", kind=Place.Kind.BASE, name="Bria base", country=country, latitude=lat, longitude=lon
    )
    unit = Unit.objects.create(mission=mission, name="Bria battalion")
    base = Base.objects.create(mission=mission, place=base_place)
    UnitPosting.objects.create(
        unit=unit, base=base, start=datetime.date(2020, 6, 10), end=datetime.date(2020, 12, 31), troops=450
    )
    Patrol.objects.create(
        mission=mission,
        unit=unit,
        kind=Patrol.Kind.FOOT,
        status=Patrol.Status.CONDUCTED,
        start=_at(2021, 5),
        route={"type": "LineString", "coordinates": [[lon - 0.05, lat], [lon + 0.05, lat]]},
    )
    kind = IncidentType.objects.create(mission=mission, code="attack", name="Attack")

    def incident(status, sensitivity=Sensitivity.AMBER):
        Incident.objects.create(
            mission=mission,
            client_id=uuid.uuid4(),
            type=kind,
            occurred_at=_at(2021, 3),
            latitude=lat,
            longitude=lon,
            narrative="Generated for a test",
            status=status,
            sensitivity=sensitivity,
        )

    incident(Incident.Status.REPORTED)
    incident(Incident.Status.UNDER_VERIFICATION)
    incident(Incident.Status.VERIFIED)
    incident(Incident.Status.VERIFIED, Sensitivity.RED)  # analysts only: not in a mission-wide count
    incident(Incident.Status.FALSE)  # found false: not counted
    town = Place.objects.create(
        key="geonames:test-bria",
        kind=Place.Kind.LOCALITY,
        name="Bria",
        country=country,
        latitude=lat,
        longitude=lon,
        gazetteer_population=43000,
    )
    for exercise in (False, True):  # a made-up alert is not counted
        CommunityAlert.objects.create(
            mission=mission, received_at=_at(2021, 7), text="Armed men seen", place=town, exercise=exercise
        )
    agreement = Agreement.objects.create(
        mission=mission,
        name="Test ceasefire",
        effective_from=datetime.date(2021, 1, 1),
        ends_on=datetime.date(2021, 6, 30),
    )
    square = [[lon - 0.5, lat - 0.5], [lon + 0.5, lat - 0.5], [lon + 0.5, lat + 0.5], [lon - 0.5, lat + 0.5]]
    MonitoredZone.objects.create(
        agreement=agreement,
        name="Bria zone",
        geometry={"type": "Polygon", "coordinates": [[*square, square[0]]]},
        min_lon=lon - 0.5,
        min_lat=lat - 0.5,
        max_lon=lon + 0.5,
        max_lat=lat + 0.5,
    )
    election = Election.objects.create(mission=mission, name="Test election")
    Round.objects.create(election=election, number=1, date=datetime.date(2021, 10, 15))
    return mission


def test_the_run_builds_every_family_from_the_database(records):
    panels, *_rest, cutoff = build_panels(records, families=tuple(FAMILIES))
    panel = panels["admin"]
    row = list(panel.units).index(HAUTE_KOTTO)
    bangui = list(panel.units).index("Bangui province")

    def at(name, year, month, unit=row):
        return float(panel.covariates[name][unit, month_id(year, month) - panel.first_month])

    # The mission's own posting: 450 troops June-December 2020, a site within a few km.
    assert at("troops_25km", 2020, 5) == 0 and at("troops_25km", 2020, 6) == 450 and at("troops_25km", 2020, 12) == 450
    assert at("troops_25km", 2021, 1) == 0 and at("un_site_km", 2021, 1) == NO_BASE_KM
    assert at("un_site_km", 2020, 8) < 25 and at("un_site_km", 2020, 8, bangui) > 300
    assert at("patrols_25km", 2021, 5) == 1 and panel.covariates["patrols_25km"].sum() == 1
    # Reported: every report not found false and visible to the mission's staff (3); verified: 1.
    assert at("incidents_reported_25km", 2021, 3) == 3 and at("incidents_verified_25km", 2021, 3) == 1
    assert at("community_alerts_25km", 2021, 7) == 1 and panel.covariates["community_alerts_25km"].sum() == 1
    assert at("ceasefire", 2021, 2) == 1 and at("ceasefire", 2021, 2, bangui) == 1 and at("ceasefire", 2021, 7) == 0
    assert at("ceasefire_zone", 2021, 2) == 1 and at("ceasefire_zone", 2021, 2, bangui) == 0
    assert [at("months_to_election", 2021, m) for m in (8, 10, 11)] == [2, 0, 24]
    assert at("population_50km", 2019, 1) == 43000 and at("population_50km", 2019, 1, bangui) == 0
    # Cells too; Bria's cell centre is 35 km from Bria, outside the 25 km counts.
    assert {"un_site_km", "troops_50km", "ceasefire_zone", "months_to_election", "population_50km"} <= set(
        panels["pgm"].covariates
    )
    assert cutoff == month_id(2021, 12)


def test_a_run_shared_with_partners_counts_only_what_partners_see(records):
    panels, *_rest = build_panels(records, families=tuple(FAMILIES), sharing=Sharing.PUBLIC)
    # The incidents, alerts, posting, patrol and election are the mission's own (AMBER or
    # mission-only): nothing left to count, so those covariates are left out; the public
    # ceasefire and the gazetteer's population stay.
    assert set(panels["admin"].covariates) == {"ceasefire", "ceasefire_zone", "population_50km"}


def test_a_run_uses_the_families_of_its_options(records):
    run = execute_run(
        create_run(
            records, backtest_origins=1, model_options=SMALL_MODEL, covariates=["patrols", "incidents", "ceasefires"]
        ).pk
    )
    assert run.status == ForecastRun.Status.SUCCEEDED, run.error
    features = {name for name, _gain in run.importance["admin"]}
    assert {"patrols_25km_t-0", "incidents_verified_25km_mean_12m", "ceasefire_zone_t-0"} <= features
    assert not any(name.startswith(("troops_", "population_")) for name in features)
    assert {
        "code": "covariates",
        "level": "admin",
        "names": ", ".join(
            sorted(
                ["ceasefire", "ceasefire_zone", "incidents_reported_25km", "incidents_verified_25km", "patrols_25km"]
            )
        ),
    } in run.notes
    assert any("patrols_25km" in text for text in run_notes(run))
    # Without covariates the features are the history alone.
    bare = execute_run(create_run(records, backtest_origins=0, model_options=SMALL_MODEL, covariates=[]).pk)
    assert all(not name.startswith(("troops_", "patrols_")) for name, _gain in bare.importance["admin"])
    assert np.isfinite([gain for _name, gain in bare.importance["admin"]]).all()


def test_an_unknown_family_is_refused(car_history):
    with pytest.raises(PanelError, match="unknown covariate family weather"):
        create_run(car_history, covariates=["weather"])
