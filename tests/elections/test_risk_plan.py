import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from bluehelmet.core.models import Place
from bluehelmet.elections import risk, security
from bluehelmet.elections.incidents import report_election_incident, round_incidents
from bluehelmet.elections.models import ElectionIncident, PollingStation, SecurityAssignment, StationRisk
from bluehelmet.forces.models import Base, Unit, UnitPosting
from bluehelmet.incidents.models import Incident
from bluehelmet.incidents.taxonomy import seed_types


def _incident(round_, station, days_before=10):
    seed_types(round_.election.mission)
    return report_election_incident(
        AnonymousUser(),
        round_,
        station,
        {
            "type": "election-violence",
            "occurred_at": f"{round_.date - datetime.timedelta(days=days_before)}T10:00",
            "narrative": "Exercise: rally attacked",
            "source-kind": "un_personnel",
            "source-reliability": "B",
            "source-credibility": 2,
            "source-description": "exercise patrol",
        },
    )


def test_incident_is_filed_in_the_incident_system_with_the_election_tag(round_, users):
    station = PollingStation.objects.get(code="C1-1")
    outcome = _incident(round_, station)
    assert outcome.ok, outcome.errors
    incident = Incident.objects.get()
    assert incident.latitude == station.centre.latitude and "C1-1" in incident.location_description
    assert ElectionIncident.objects.get().station == station
    assert list(round_incidents(users["reporter"], round_)) == [incident]
    assert list(round_incidents(users["partner"], round_)) == []  # not shared
    bad = report_election_incident(AnonymousUser(), round_, station, {"type": "election-violence", "narrative": ""})
    assert not bad.ok and "narrative" in bad.errors and Incident.objects.count() == 1


def test_risk_from_incidents_and_access(round_):
    _incident(round_, PollingStation.objects.get(code="C1-1"))
    _incident(round_, PollingStation.objects.get(code="C1-2"), days_before=400)  # more than a year before: not counted
    assert risk.compute_station_risk(round_) == 5
    near = StationRisk.objects.get(station__code="C1-2")
    far = StationRisk.objects.get(station__code="C2-1")
    assert near.detail["incidents"] == 1 and far.detail["incidents"] == 0
    assert near.events is None and near.early_warning is None  # no GED data loaded, no forecast
    assert near.access == 0 and far.access == 1
    assert 0 < near.score < far.score <= 1
    features = risk.risk_map(round_)["features"]
    assert len(features) == 5 and {f["properties"]["level"] for f in features} <= {"low", "medium", "high"}


def test_security_plan_assigns_units(round_, mission, country, users):
    def base(name, lat, lon):
        place = Place.objects.create(
            key=f"site:{name}", kind=Place.Kind.SITE, name=name, country=country, latitude=lat, longitude=lon
        )
        return Base.objects.create(mission=mission, place=place)

    base("Kenema", 7.88, -11.19)
    daru = base("Daru", 7.99, -10.84)
    unit = Unit.objects.create(mission=mission, name="Exercise battalion", actual_strength=100)
    UnitPosting.objects.create(unit=unit, base=daru, start=datetime.date(2002, 1, 1))
    risk.compute_station_risk(round_)
    plan = security.run_security_plan(
        users["analyst"], round_, security.PlanParameters(troops_per_station=25, patrol_radius_km=20, max_move_km=100)
    )
    # 100 troops cover 4 stations; from Kenema it reaches the 3 near ones, from Daru none.
    assert plan.status == "optimal" and plan.posture_day == round_.date
    # Calm stations weigh FLOOR_WEIGHT; the far ones (reached on foot) 0.2 / 0.55 each.
    far = 0.2 / 0.55
    assert plan.posture_share == 0 and plan.share_covered == pytest.approx(3 * 0.05 / (3 * 0.05 + 2 * far))
    assert set(SecurityAssignment.objects.values_list("station__code", flat=True)) == {"C1-1", "C1-2", "C1-3"}
    assert plan.result["units"][0]["base"] == "Kenema" and plan.result["units"][0]["home"] == "Daru"
    assert security.plan_map(plan)["units"][0]["stations"] == 3
    assert plan.created_by == users["analyst"]
    # The plan only uses the units the planner may see: a partner sees none of these.
    assert security.run_security_plan(users["partner"], round_, security.PlanParameters()) is None


def test_no_plan_without_units(round_):
    risk.compute_station_risk(round_)
    assert security.run_security_plan(AnonymousUser(), round_, security.PlanParameters()) is None
