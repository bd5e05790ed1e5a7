"""TLP labels on incidents: who sees which label on every page, feed, map, API and export;
the report form's rule for shared reports; source identities encrypted at rest."""

import csv
import io
import json

import pytest
from django.db import connection

from bluehelmet.core.models import Role, Sharing
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.incidents.feed import visible_incidents
from bluehelmet.incidents.models import Incident, Source

BASE = "/missions/UNAMSIL/incidents/"


@pytest.fixture
def labelled(file, users):
    """One shared report per label (RED and AMBER cannot be shared: stored directly), and a
    RED report of the reporter's own."""
    made = {}
    for label in ("clear", "green"):
        made[label] = file(sharing=Sharing.PUBLIC, sensitivity=label, narrative=f"{label} report").incident
    for label in ("amber", "red"):
        made[label] = file(narrative=f"{label} report", latitude=8.1 if label == "red" else 8.0).incident
    Incident.objects.filter(pk=made["red"].pk).update(sensitivity=Sensitivity.RED, reported_by=users[Role.ANALYST])
    made["own_red"] = file(sensitivity="red", narrative="own red report", latitude=8.2).incident
    return made


def _ids(*incidents):
    return {i.pk for i in incidents}


def _csv_ids(response) -> set[int]:
    return {int(row["id"]) for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))}


def test_each_role_sees_the_labels_it_may(labelled, users, sl):
    assert set(visible_incidents(users[Role.PARTNER], sl.mission).values_list("pk", flat=True)) == _ids(
        labelled["clear"], labelled["green"]
    )
    assert set(visible_incidents(users[Role.REPORTER], sl.mission).values_list("pk", flat=True)) == _ids(
        labelled["clear"], labelled["green"], labelled["amber"], labelled["own_red"]
    )
    assert set(visible_incidents(users[Role.DDR_OFFICER], sl.mission).values_list("pk", flat=True)) == _ids(
        labelled["clear"], labelled["green"], labelled["amber"]
    )
    everything = _ids(*labelled.values())
    for who in (users[Role.ANALYST], users[Role.ADMINISTRATOR], users["superuser"]):
        assert set(visible_incidents(who, sl.mission).values_list("pk", flat=True)) == everything
    assert not visible_incidents(users["outsider"], sl.mission).exists()


def test_labels_apply_to_pages_map_api_and_exports(labelled, users, client_for):
    partner = client_for(users[Role.PARTNER])
    assert partner.get(f"{BASE}{labelled['amber'].pk}/").status_code == 404
    assert partner.get(f"{BASE}{labelled['green'].pk}/").status_code == 200
    listing = partner.get(f"{BASE}list/").content.decode()
    assert "TLP:GREEN" in listing and "TLP:AMBER" not in listing
    features = json.loads(partner.get(f"{BASE}map.geojson").content)["features"]
    assert {f["properties"]["id"] for f in features} == _ids(labelled["clear"], labelled["green"])
    assert _csv_ids(partner.get(f"{BASE}export.csv")) == _ids(labelled["clear"], labelled["green"])
    api = partner.get("/api/incidents/").json()
    assert {r["id"] for r in api["results"]} == _ids(labelled["clear"], labelled["green"])

    reporter = client_for(users[Role.REPORTER])
    assert reporter.get(f"{BASE}{labelled['red'].pk}/").status_code == 404
    page = reporter.get(f"{BASE}{labelled['own_red'].pk}/").content.decode()
    assert "TLP:RED" in page
    assert _csv_ids(reporter.get(f"{BASE}export.csv")) == _ids(
        labelled["clear"], labelled["green"], labelled["amber"], labelled["own_red"]
    )
    assert reporter.get(f"/api/incidents/{labelled['red'].pk}/").status_code == 404

    analyst = client_for(users[Role.ANALYST])
    rows = list(csv.DictReader(io.StringIO(b"".join(analyst.get(f"{BASE}export.csv").streaming_content).decode())))
    assert {int(r["id"]) for r in rows} == _ids(*labelled.values()) and {r["sensitivity"] for r in rows} == {
        "clear",
        "green",
        "amber",
        "red",
    }
    assert analyst.get(f"/api/incidents/{labelled['red'].pk}/").json()["sensitivity"] == "red"


def test_new_reports_are_amber_and_shared_reports_must_be_green_or_clear(file):
    assert file().incident.sensitivity == Sensitivity.AMBER
    assert file(sharing=Sharing.PUBLIC).incident.sensitivity == Sensitivity.GREEN  # shared without a label
    refused = file(sharing=Sharing.PUBLIC, sensitivity="amber")
    assert not refused.ok and "sensitivity" in refused.errors
    assert not file(sensitivity="purple").ok


def test_the_report_page_shows_the_label_field(client_for, users, sl):
    page = client_for(users[Role.REPORTER]).get(f"{BASE}report/").content.decode()
    assert 'name="sensitivity"' in page and "TLP:AMBER" in page


def test_source_identities_are_encrypted_at_rest(file):
    incident = file().incident
    source = incident.sources.get()
    assert source.identity == "Jane Doe, +232 000"
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity FROM incidents_source WHERE id = %s", [source.pk])
        stored = cursor.fetchone()[0]
    assert "Jane" not in stored and stored.startswith("gAAAA")  # a Fernet token
    assert Source.objects.exclude(identity="").count() == 1
