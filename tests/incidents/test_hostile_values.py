"""Hostile values in reports and zones, each once a 500 or silently accepted: casualty counts
past what a database integer holds, ceasefire zones nested too deep, with NaN coordinates or
the size of the world."""

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


@pytest.mark.parametrize("casualties", [
    [{"kind": "killed", "count": 2**62}, {"kind": "killed", "count": 2**62}],  # a sum past 2^63: was a 500
    [{"kind": "killed", "count": 2**63}],
    [{"kind": "injured", "count": 100_001}],  # over the report page's bound for one count
    [{"kind": "abducted", "group": "civilian", "count": 60_000}, {"kind": "abducted", "group": "combatant", "count": 60_000}],
])
def test_api_casualty_counts_have_the_report_pages_bounds(api_reporter, report_data, casualties):
    response = api_reporter.post("/api/incidents/", _report(report_data, casualties), format="json")
    assert response.status_code == 400, response.content
    assert not Incident.objects.exists()


def test_api_casualty_counts_up_to_the_bound_are_stored(api_reporter, report_data):
    response = api_reporter.post("/api/incidents/", _report(report_data, [{"kind": "killed", "count": 100_000}]), format="json")
    assert response.status_code == 201 and response.json()["killed"] == 100_000


def test_the_report_page_refuses_a_total_over_the_bound(sl):
    grid = {f"killed_{group}": Casualty.MAX_COUNT for group in ("civilian", "combatant")}
    form = IncidentReportForm({"narrative": "x", **grid}, mission=sl.mission)
    assert not form.is_valid() and "check the counts" in str(form.non_field_errors())
