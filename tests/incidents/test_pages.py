"""The incident pages: roles, the live feed's cursor, source identities and their log,
the report form, exports."""

import csv
import datetime
import io
import json
import uuid

import pytest
from django.utils import timezone

from bluehelmet.core.models import Role, SensitiveAccess, Sharing
from bluehelmet.incidents.models import Alert, AlertRule, Incident, IncidentHistory, ResponseTask

BASE = "/missions/UNAMSIL/incidents/"


@pytest.fixture
def seen(file, sl):
    """Two incidents: one shared with partners, one for mission staff only."""
    shared = file(sharing=Sharing.PUBLIC, narrative="Shared report.").incident
    private = file(latitude=8.9, longitude=-12.0, narrative="Staff-only report.").incident
    return shared, private


def test_pages_answer_by_role(client_for, users, seen):
    shared, private = seen
    pages = [
        "",
        "list/",
        "report/",
        f"{private.pk}/",
        "alerts/",
        "tasks/",
        "ceasefires/",
        "duplicates/",
        "alerts/rules/",
        "types/",
        "import/",
    ]
    expected = {
        Role.ANALYST: [200] * 11,
        Role.REPORTER: [200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403],
        Role.PARTNER: [200, 200, 403, 404, 403, 403, 200, 403, 403, 403, 403],
    }
    for role, codes in expected.items():
        client = client_for(users[role])
        got = [client.get(BASE + page).status_code for page in pages]
        assert got == codes, role
    assert client_for(users["outsider"]).get(BASE).status_code == 404


def test_partners_see_shared_incidents_without_sources(client_for, users, seen):
    shared, private = seen
    client = client_for(users[Role.PARTNER])
    body = client.get(BASE).content.decode()
    assert "Shared report" not in body  # narratives are not in the feed
    assert f'id="feed-{shared.pk}"' in body and f'id="feed-{private.pk}"' not in body
    detail = client.get(f"{BASE}{shared.pk}/").content.decode()
    assert "Shared report." in detail and "a trader" not in detail and 'id="history"' not in detail


def test_reporters_see_gradings_analysts_see_identities_on_request_and_it_is_logged(client_for, users, seen):
    _shared, incident = seen
    source = incident.sources.get()
    reporter = client_for(users[Role.REPORTER])
    page = reporter.get(f"{BASE}{incident.pk}/").content.decode()
    assert "C3" in page and "Jane Doe" not in page and "Show identity" not in page
    identity_url = f"{BASE}{incident.pk}/sources/{source.pk}/identity/"
    assert reporter.get(identity_url).status_code == 403
    assert not SensitiveAccess.objects.exists()

    analyst = client_for(users[Role.ANALYST])
    page = analyst.get(f"{BASE}{incident.pk}/").content.decode()
    assert "Show identity" in page and "Jane Doe" not in page
    response = analyst.get(identity_url)
    assert response.status_code == 200 and "Jane Doe" in response.content.decode()
    access = SensitiveAccess.objects.get()
    assert (access.user, access.record_type, access.record_id, access.mission) == (
        users[Role.ANALYST],
        "incidents.Source",
        str(source.pk),
        incident.mission,
    )


def test_the_live_feed_sends_what_changed_since_the_cursor(client_for, users, file, sl):
    client = client_for(users[Role.ANALYST])
    old = file(hours_ago=5).incident
    Incident.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=10))
    cursor = timezone.now().isoformat()
    new = file(latitude=8.2, hours_ago=1).incident
    body = client.get(f"{BASE}feed/", {"since": cursor}).content.decode()
    assert f'id="feed-{new.pk}"' in body and f'id="feed-{old.pk}"' not in body
    assert 'hx-swap-oob="afterbegin:#incident-feed"' in body and 'id="feed-poller"' in body
    # Filters apply to the feed too.
    body = client.get(f"{BASE}feed/", {"since": cursor, "type": "demonstration-riot"}).content.decode()
    assert 'id="feed-' not in body.replace('id="feed-poller"', "")
    # A bad cursor is treated as "now", not as an error.
    assert client.get(f"{BASE}feed/", {"since": "yesterday"}).status_code == 200


def test_map_data_has_points_and_heat(client_for, users, seen):
    data = client_for(users[Role.ANALYST]).get(f"{BASE}map.geojson").json()
    assert data["total"] == 2 and len(data["features"]) == 2 and len(data["heat"]) == 2
    assert data["features"][0]["properties"]["url"].startswith(BASE)
    partner = client_for(users[Role.PARTNER]).get(f"{BASE}map.geojson").json()
    assert partner["total"] == 1


def test_the_report_form_files_once_and_shows_field_errors(client_for, users, sl):
    client = client_for(users[Role.REPORTER])
    form = client.get(f"{BASE}report/").content.decode()
    assert 'name="client_id"' in form
    client_id = str(uuid.uuid4())
    data = {
        "client_id": client_id,
        "type": "armed-clash",
        "occurred_at": "2024-03-01T10:30",
        "date_precision": "time",
        "latitude": "7.9",
        "longitude": "-11.2",
        "narrative": "Form report.",
        "sharing": "mission",
        "source-kind": "witness",
        "source-reliability": "B",
        "source-credibility": "2",
        "killed_civilian": "2",
    }
    first = client.post(f"{BASE}report/", data)
    assert first.status_code == 302
    again = client.post(f"{BASE}report/", data, follow=True)
    assert "already received" in again.content.decode()
    incident = Incident.objects.get()
    assert incident.killed == 2 and first["Location"].endswith(f"/{incident.pk}/")

    bad = client.post(
        f"{BASE}report/", {**data, "client_id": str(uuid.uuid4()), "occurred_at": "1990-01-01T10:00", "latitude": "91"}
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "before the mission started" in page and "less than or equal to 90" in page
    assert Incident.objects.count() == 1


def test_actions_by_role(client_for, users, seen):
    _shared, incident = seen
    reporter = client_for(users[Role.REPORTER])
    assert reporter.post(f"{BASE}{incident.pk}/status/", {"status": "verified", "reason": "x"}).status_code == 403
    analyst = client_for(users[Role.ANALYST])
    analyst.post(f"{BASE}{incident.pk}/status/", {"status": "verified", "reason": "Seen by the patrol."})
    incident.refresh_from_db()
    assert incident.status == Incident.Status.VERIFIED
    # An edit goes to the history with before, after and why.
    response = analyst.post(
        f"{BASE}{incident.pk}/edit/",
        {
            "type": "armed-clash",
            "occurred_at": incident.occurred_at.strftime("%Y-%m-%dT%H:%M"),
            "date_precision": "day",
            "latitude": "8.9",
            "longitude": "-12.0",
            "location_precision": "1",
            "narrative": "Corrected narrative.",
            "sharing": "mission",
            "edit_reason": "Typo.",
        },
    )
    assert response.status_code == 302
    entry = IncidentHistory.objects.get(incident=incident, action="edited")
    assert entry.before == {"date_precision": "time", "narrative": "Staff-only report."}
    assert entry.after == {"date_precision": "day", "narrative": "Corrected narrative."} and entry.reason == "Typo."


def test_alert_and_task_pages(client_for, users, seen, sl):
    _shared, incident = seen
    rule = AlertRule.objects.create(mission=sl.mission, name="Zone", kind=AlertRule.Kind.ZONE)
    alert = Alert.objects.create(mission=sl.mission, rule=rule, severity="high", title="Test alert", incident=incident)
    analyst = client_for(users[Role.ANALYST])
    assert analyst.post(f"{BASE}alerts/{alert.pk}/acknowledge/", {"note": "Seen."}).status_code == 302
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    response = analyst.post(
        f"{BASE}tasks/new/",
        {"alert": alert.pk, "title": "Patrol", "assignee": users[Role.ANALYST].pk, "due_at": "2030-01-01T10:00"},
    )
    task = ResponseTask.objects.get()
    assert response["Location"].endswith(f"/tasks/{task.pk}/") and task.incident == incident
    done = analyst.post(f"{BASE}tasks/{task.pk}/", {"status": "done", "outcome": ""})
    assert done.status_code == 400 and "outcome" in done.content.decode()
    analyst.post(f"{BASE}tasks/{task.pk}/", {"status": "done", "outcome": "Calm restored."})
    task.refresh_from_db()
    assert task.status == ResponseTask.Status.DONE
    assert "Alerts answered within 24 hours" in analyst.get(f"{BASE}tasks/").content.decode()
    # Rules: a cluster rule without its numbers is refused field by field.
    bad = analyst.post(f"{BASE}alerts/rules/", {"name": "Cluster", "kind": "cluster", "severity": "high"})
    assert bad.status_code == 400 and AlertRule.objects.count() == 1


def test_exports(client_for, users, seen, sl):
    shared, private = seen
    client = client_for(users[Role.ANALYST])
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(f"{BASE}export.csv").streaming_content).decode())))
    assert {int(r["id"]) for r in rows} == {shared.pk, private.pk}
    assert rows[0]["type"] == "Armed clash"
    ged = list(csv.DictReader(io.StringIO(b"".join(client.get(f"{BASE}export.ged.csv").streaming_content).decode())))
    assert ged[0]["id"].startswith("bh-") and ged[0]["type_of_violence"] == "1" and ged[0]["country"] == "Sierra Leone"
    geojson = json.loads(b"".join(client.get(f"{BASE}export.geojson").streaming_content))
    assert len(geojson["features"]) == 2 and geojson["features"][0]["geometry"]["type"] == "Point"
    partner = client_for(users[Role.PARTNER])
    rows = list(csv.DictReader(io.StringIO(b"".join(partner.get(f"{BASE}export.csv").streaming_content).decode())))
    assert [int(r["id"]) for r in rows] == [shared.pk]
    assert client.get(f"{BASE}export.xlsx").status_code == 404


def test_a_zone_drawn_on_the_map_flags_incidents_already_inside(client_for, users, file, sl):
    incident = file(latitude=7.9, longitude=-11.2).incident
    assert not incident.in_zone
    polygon = {
        "type": "Polygon",
        "coordinates": [[[-11.3, 7.8], [-11.1, 7.8], [-11.1, 8.0], [-11.3, 8.0], [-11.3, 7.8]]],
    }
    client = client_for(users[Role.ANALYST])
    response = client.post(
        f"{BASE}ceasefires/{sl.lome.pk}/",
        {"name": "Kenema exercise zone", "kind": "buffer", "geometry": json.dumps(polygon)},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.in_zone and incident.agreement == sl.lome
    bad = client.post(
        f"{BASE}ceasefires/{sl.lome.pk}/",
        {
            "name": "Line",
            "kind": "buffer",
            "geometry": json.dumps({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
        },
    )
    assert bad.status_code == 400 and "must be a polygon" in bad.content.decode()
    page = client.get(f"{BASE}ceasefires/{sl.lome.pk}/").content.decode()
    assert "compliance-chart-config" in page and "Revolutionary United Front" in page
