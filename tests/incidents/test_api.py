"""The incident API: filing one report or a batch (idempotent by client id), reading by role."""

import uuid

import pytest
from rest_framework.test import APIClient

from bluehelmet.core.models import Role, Sharing
from bluehelmet.incidents.models import Incident


@pytest.fixture
def api_as(db):
    def login(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


def body(report_data, **fields):
    return {"mission": "UNAMSIL", "client_id": str(uuid.uuid4()), **report_data(**fields)}


def test_a_report_is_created_then_answered_with_the_stored_record(api_as, users, sl, report_data):
    client = api_as(users[Role.REPORTER])
    report = body(
        report_data, casualties=[{"kind": "killed", "group": "civilian", "sex": "male", "age": "adult", "count": 1}]
    )
    first = client.post("/api/incidents/", report, format="json")
    assert first.status_code == 201, first.json()
    again = client.post("/api/incidents/", {**report, "narrative": "resent"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert again.json()["narrative"] == "Test report." and again.json()["client_id"] == report["client_id"]
    assert Incident.objects.count() == 1
    record = first.json()
    assert record["type"] == "armed-clash" and record["killed"] == 1 and record["sources"][0]["reliability"] == "C"
    assert "identity" not in record["sources"][0]


def test_field_errors_and_refusals(api_as, users, sl, other_mission, report_data):
    reporter = api_as(users[Role.REPORTER])
    bad = reporter.post(
        "/api/incidents/",
        body(report_data, type="nope", latitude=100, occurred_at="2999-01-01T00:00:00Z"),
        format="json",
    )
    assert bad.status_code == 400 and {"type", "latitude", "occurred_at"} <= set(bad.json())
    assert (
        reporter.post("/api/incidents/", {**body(report_data), "mission": "MINUSCA"}, format="json").status_code == 400
    )
    assert reporter.post("/api/incidents/", ["not", "an", "object"], format="json").status_code == 400
    partner = api_as(users[Role.PARTNER])
    assert partner.post("/api/incidents/", body(report_data), format="json").status_code == 403
    assert APIClient().post("/api/incidents/", body(report_data), format="json").status_code in (401, 403)
    assert reporter.put("/api/incidents/1/", {}, format="json").status_code in (403, 405)
    assert Incident.objects.count() == 0


def test_a_batch_answers_per_report(api_as, users, sl, report_data):
    client = api_as(users[Role.REPORTER])
    kept = body(report_data)
    reports = [kept, kept, body(report_data, narrative=""), body(report_data, latitude=7.95)]
    response = client.post("/api/incidents/batch/", {"mission": "UNAMSIL", "reports": reports}, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "duplicate", "invalid", "created"]
    assert results[2]["errors"] == {"narrative": ["This field is required."]}
    assert Incident.objects.count() == 2
    assert client.post("/api/incidents/batch/", {"mission": "UNAMSIL", "reports": []}, format="json").status_code == 400


def test_reading_by_role(api_as, users, sl, file, other_member):
    shared = file(sharing=Sharing.PUBLIC).incident
    private = file(latitude=8.2).incident
    analyst = api_as(users[Role.ANALYST]).get("/api/incidents/", {"mission": "UNAMSIL"}).json()
    assert {r["id"] for r in analyst["results"]} == {shared.pk, private.pk}
    partner = api_as(users[Role.PARTNER]).get("/api/incidents/").json()
    assert [r["id"] for r in partner["results"]] == [shared.pk] and partner["results"][0]["sources"] == []
    assert api_as(other_member).get("/api/incidents/").json()["count"] == 0
    assert api_as(users[Role.PARTNER]).get("/api/alerts/").json()["count"] == 0
    assert api_as(users[Role.PARTNER]).get("/api/response-tasks/").json()["count"] == 0
    assert api_as(users[Role.PARTNER]).get("/api/ceasefires/").json()["count"] == 1  # agreements are public by default
    sl.lome.sharing = Sharing.MISSION
    sl.lome.save()
    assert api_as(users[Role.PARTNER]).get("/api/ceasefires/").json()["count"] == 0
    assert api_as(users[Role.ANALYST]).get("/api/ceasefires/").json()["count"] == 1
