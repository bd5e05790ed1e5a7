"""Hostile values in reports and zones, each once a 500 or silently accepted: casualty counts
past what a database integer holds, ceasefire zones nested too deep, with NaN coordinates or
the size of the world."""

import json
import uuid

import pytest
from rest_framework.test import APIClient

from bluehelmet.incidents.forms import IncidentReportForm
from bluehelmet.incidents.models import Casualty, Incident


@pytest.fixture
def api_reporter(users, sl):
    client = APIClient()
    client.force_authenticate(users["reporter"])
    return client


def _report(report_data, casualties):
    return {"mission": "UNAMSIL", "client_id": str(uuid.uuid4()), **report_data(casualties=casualties)}


@pytest.mark.parametrize(
    "casualties",
    [
        [{"kind": "killed", "count": 2**62}, {"kind": "killed", "count": 2**62}],  # a sum past 2^63: was a 500
        [{"kind": "killed", "count": 2**63}],
        [{"kind": "injured", "count": 100_001}],  # over the report page's bound for one count
        [
            {"kind": "abducted", "group": "civilian", "count": 60_000},
            {"kind": "abducted", "group": "combatant", "count": 60_000},
        ],
    ],
)
def test_api_casualty_counts_have_the_report_pages_bounds(api_reporter, report_data, casualties):
    response = api_reporter.post("/api/incidents/", _report(report_data, casualties), format="json")
    assert response.status_code == 400, response.content
    assert not Incident.objects.exists()


def test_api_casualty_counts_up_to_the_bound_are_stored(api_reporter, report_data):
    response = api_reporter.post(
        "/api/incidents/", _report(report_data, [{"kind": "killed", "count": 100_000}]), format="json"
    )
    assert response.status_code == 201 and response.json()["killed"] == 100_000


def test_the_report_page_refuses_a_total_over_the_bound(sl):
    grid = {f"killed_{group}": Casualty.MAX_COUNT for group in ("civilian", "combatant")}
    form = IncidentReportForm({"narrative": "x", **grid}, mission=sl.mission)
    assert not form.is_valid() and "check the counts" in str(form.non_field_errors())


def _zone(client, sl, geometry: str):
    from bluehelmet.incidents.models import MonitoredZone

    before = MonitoredZone.objects.count()
    response = client.post(
        f"/missions/UNAMSIL/incidents/ceasefires/{sl.lome.pk}/",
        {"name": "Zone", "kind": "buffer", "geometry": geometry},
    )
    return response, MonitoredZone.objects.count() - before


@pytest.fixture
def analyst_client(client, users, sl):
    client.force_login(users["analyst"])
    return client


def _polygon(ring) -> str:
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.mark.parametrize(
    "geometry,message",
    [
        ('{"type": "Polygon", "coordinates": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
        ('{"type": "Polygon", "coordinates": [' + "[" * 5_000 + "]" * 5_000 + "]}", "nested too deeply"),
        ('{"type": "Polygon", "coordinates": [' + "[" * 50 + "]" * 50 + "]}", "as finite numbers"),
        ('{"type": "MultiPolygon", "coordinates": [1, 2]}', "arrays of polygons, rings and points"),
        (
            '{"type": "Polygon", "coordinates": [[[-12, 8], [-11.9, 8], [-11.9, NaN], [-12, 8]]]}',
            "NaN is not a coordinate",
        ),
        (
            '{"type": "Polygon", "coordinates": [[[-12, 8], [-11.9, 8], [-11.9, Infinity], [-12, 8]]]}',
            "Infinity is not a coordinate",
        ),
        ('{"type": "Polygon", "coordinates": [[[-12, 8], [-11.9, 8], [-11.9, "8"], [-12, 8]]]}', "as finite numbers"),
        ('{"type": "FeatureCollection", "features": ["x"]}', "not a GeoJSON geometry"),
        (None, "spans at most 10 degrees"),  # the world
        (None, "outside the mission's host countries"),  # a small square at 0,0
    ],
)
def test_hostile_zones_get_a_field_error(analyst_client, sl, geometry, message):
    if geometry is None:
        ring = (
            [[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]]
            if "spans" in message
            else [[0, 0], [0.1, 0], [0.1, 0.1], [0, 0.1], [0, 0]]
        )
        geometry = _polygon(ring)
    response, added = _zone(analyst_client, sl, geometry)
    assert response.status_code == 400 and added == 0
    assert message in response.content.decode().replace("&#x27;", "'")


def test_a_zone_along_the_border_within_the_margin_is_accepted(analyst_client, sl):
    # Sierra Leone's outline in the fixture ends at -13.3 E: a zone reaching 0.1 degree past it.
    response, added = _zone(
        analyst_client, sl, _polygon([[-13.4, 8], [-13.0, 8], [-13.0, 8.3], [-13.4, 8.3], [-13.4, 8]])
    )
    assert response.status_code == 302 and added == 1
