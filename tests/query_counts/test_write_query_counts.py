"""Cheap writes (issue 16): filing one report, through the API or the report page, runs at
most WRITE_BUDGET SQL statements, whatever the number of its casualty rows and sources and
of the mission's alert rules. The duplicate check and the alert rules run after the commit,
as a job (incidents.checks): counted apart, and still firing."""

import datetime
import json
import threading
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bluehelmet.core.models import Role
from bluehelmet.incidents.models import Alert, AlertRule, DuplicateProposal, Incident, IncidentType, Notification

from .test_read_query_counts import statements

WRITE_BUDGET = 15
KINDS = ("killed", "injured", "abducted")
GROUPS = ("civilian", "combatant", "peacekeeper", "unknown")


@pytest.fixture
def rules(sl, users):
    """One rule of each incident kind, with a subscriber each."""
    clash = IncidentType.objects.get(mission=sl.mission, code="armed-clash")
    made = [
        AlertRule.objects.create(mission=sl.mission, name="Zone", kind=AlertRule.Kind.ZONE),
        AlertRule.objects.create(
            mission=sl.mission, name="Casualties", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=1
        ),
        AlertRule.objects.create(
            mission=sl.mission, name="Cluster", kind=AlertRule.Kind.CLUSTER, min_count=2, radius_km=50, window_hours=48
        ),
    ]
    made[2].incident_types.add(clash)
    for rule in made:
        rule.subscribers.add(users[Role.ANALYST])
    return made


@pytest.fixture
def jobs_in_threads(settings):
    """Jobs as a web process without a broker runs them: on a thread, after the commit (the
    request's statements are then the request's own). Yields a function waiting for them."""
    settings.BLUEHELMET_JOBS_SYNC = False
    settings.CELERY_BROKER_URL = ""

    def finish():
        for thread in threading.enumerate():
            if thread.name.startswith("job-"):
                thread.join(timeout=60)

    yield finish
    finish()


def report(report_data, n):
    data = report_data(
        latitude=8.8,  # inside the exercise zone
        longitude=-12.0,
        casualties=[
            {"kind": KINDS[i % 3], "group": GROUPS[i // 3 % 4], "sex": "male", "age": "adult", "count": 1 + i}
            for i in range(n)
        ],
    )
    data["sources"] = [{**data["sources"][0], "description": f"witness {i}"} for i in range(n)]
    return {"mission": "UNAMSIL", "client_id": str(uuid.uuid4()), **data}


def file(client, body) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/incidents/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"], statements(queries)


def form_report(n: int) -> dict:
    """The report page's form: the casualty grid's totals and `n` rows of their breakdown."""
    rows = [(KINDS[i % 3], GROUPS[i // 3 % 4]) for i in range(n)]
    data = {
        "client_id": str(uuid.uuid4()),
        "type": "armed-clash",
        "occurred_at": "2000-03-01T10:30",
        "date_precision": "time",
        "latitude": "8.8",
        "longitude": "-12.0",
        "narrative": "Form report.",
        "sharing": "mission",
        "source-kind": "witness",
        "source-reliability": "B",
        "source-credibility": "2",
        "casualty-TOTAL_FORMS": str(n),
        "casualty-INITIAL_FORMS": "0",
    }
    for i, (kind, group) in enumerate(rows):
        data.update(
            {
                f"casualty-{i}-kind": kind,
                f"casualty-{i}-group": group,
                f"casualty-{i}-sex": "female",
                f"casualty-{i}-age": "adult",
                f"casualty-{i}-count": str(1 + i),
            }
        )
    return data


def file_form(client, data) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/missions/UNAMSIL/incidents/report/", data, headers={"Accept": "application/json"})
    assert response.status_code == 201, response.content
    return response.json()["id"], statements(queries)


@pytest.mark.django_db(transaction=True)
def test_filing_a_report_costs_the_same_for_1_and_10_casualties_and_sources(
    sl, users, rules, report_data, client_for, jobs_in_threads
):
    client = client_for(users[Role.REPORTER])
    file(client, report(report_data, 1))  # warm the per-process caches; also the cluster's first member
    jobs_in_threads()
    first_id, one = file(client, report(report_data, 1))
    jobs_in_threads()
    ten_id, ten = file(client, report(report_data, 10))
    jobs_in_threads()
    print(f"\nQUERYCOUNT report: 1 casualty/source {len(one)}, 10 casualties/sources {len(ten)}")
    filed = Incident.objects.get(pk=ten_id)
    assert filed.casualties.count() == 10 and filed.sources.count() == 10
    assert not filed.checks_pending
    # The rules still fire (after the commit): zone, casualties and cluster.
    assert set(Alert.objects.filter(incident_id=ten_id).values_list("rule__kind", flat=True)) >= {"zone", "casualties"}
    assert Alert.objects.filter(rule__kind="cluster", incidents=ten_id).exists()
    assert Notification.objects.filter(alert__incident_id=ten_id, user=users[Role.ANALYST]).count() == 2
    # And the duplicates are proposed: the three reports lie at the same place and time.
    assert DuplicateProposal.objects.filter(second_id=ten_id).count() == 2
    assert len(ten) == len(one), (len(one), len(ten))
    assert len(ten) <= WRITE_BUDGET, len(ten)


@pytest.mark.django_db(transaction=True)
def test_the_report_page_costs_the_same_for_1_and_10_casualty_rows(sl, users, rules, client_for, jobs_in_threads):
    client = client_for(users[Role.REPORTER])
    file_form(client, form_report(1))
    jobs_in_threads()
    _first, one = file_form(client, form_report(1))
    ten_id, ten = file_form(client, form_report(10))
    jobs_in_threads()
    print(f"\nQUERYCOUNT report page: 1 casualty row {len(one)}, 10 casualty rows {len(ten)}")
    assert Incident.objects.get(pk=ten_id).casualties.count() == 10
    assert Alert.objects.filter(incident_id=ten_id, rule__kind="casualties").exists()
    assert len(ten) == len(one), (len(one), len(ten))
    assert len(ten) <= WRITE_BUDGET, len(ten)


@pytest.mark.django_db(transaction=True)
def test_many_rules_cost_the_request_nothing_more(sl, users, rules, report_data, client_for, jobs_in_threads):
    client = client_for(users[Role.REPORTER])
    file(client, report(report_data, 3))
    jobs_in_threads()
    _first, few = file(client, report(report_data, 3))
    jobs_in_threads()
    for i in range(30):
        rule = AlertRule.objects.create(
            mission=sl.mission, name=f"Casualties {i}", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=1 + i
        )
        rule.subscribers.add(users[Role.ANALYST])
    file(client, report(report_data, 3))  # the rules changed: the caches are rebuilt once
    jobs_in_threads()
    many_id, many = file(client, report(report_data, 3))
    jobs_in_threads()
    print(f"\nQUERYCOUNT report: 3 rules {len(few)}, 33 rules {len(many)}")
    assert len(many) == len(few) <= WRITE_BUDGET, (len(few), len(many))
    # Every rule whose threshold the report reaches (6 casualties: thresholds 1 to 6) fired.
    assert Alert.objects.filter(incident_id=many_id, rule__kind="casualties").count() == 1 + 6


@pytest.mark.django_db(transaction=True)
def test_the_checks_job_costs_the_same_for_1_and_10_casualties_and_sources(
    sl, users, rules, report_data, client_for, monkeypatch
):
    """The job after the commit: its statements follow the alerts it raises (here a zone and a
    casualty alert each, the reports being days apart: no cluster, no duplicate), not the
    report's rows."""
    from bluehelmet.incidents import checks

    monkeypatch.setattr(checks, "schedule", lambda incident_id: None)  # run below, counted
    client = client_for(users[Role.REPORTER])
    counts = {}
    for n, days_ago in ((1, 20), (1, 10), (10, 1)):  # the first warms the caches
        body = report(report_data, n)
        body["occurred_at"] = (timezone.now() - datetime.timedelta(days=days_ago)).isoformat()
        incident_id, _statements = file(client, body)
        with CaptureQueriesContext(connection) as queries:
            assert checks.run(incident_id)
        counts[n] = len(statements(queries))
        assert set(Alert.objects.filter(incident_id=incident_id).values_list("rule__kind", flat=True)) == {
            "zone",
            "casualties",
        }
    print(f"\nQUERYCOUNT checks job: 1 casualty/source {counts[1]}, 10 casualties/sources {counts[10]}")
    assert counts[1] == counts[10]
