"""The report and edit forms' casualties (grid totals and rows by sex and age) and sources,
the report page's JSON answer (what its offline queue relies on), the live feed dropping
rows that no longer match, and the generic upload page leaving incident imports out."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile

from bluehelmet.core.models import Role, SensitiveAccess, Sharing
from bluehelmet.importers.forms import ImportForm
from bluehelmet.incidents.forms import combine_casualties
from bluehelmet.incidents.models import Incident, IncidentHistory

BASE = "/missions/UNAMSIL/incidents/"


def form_data(**extra):
    data = {
        "client_id": str(uuid.uuid4()),
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
        "casualty-TOTAL_FORMS": "0",
        "casualty-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def breakdown(*rows):
    """Rows (kind, group, sex, age, count) as the report page's casualty formset posts them."""
    data = {"casualty-TOTAL_FORMS": str(len(rows) + 1), "casualty-INITIAL_FORMS": "0"}
    for i, (kind, group, sex, age, count) in enumerate(rows):
        data.update(
            {
                f"casualty-{i}-kind": kind,
                f"casualty-{i}-group": group,
                f"casualty-{i}-sex": sex,
                f"casualty-{i}-age": age,
                f"casualty-{i}-count": str(count),
            }
        )
    # An untouched extra row, as the page always has: ignored.
    n = len(rows)
    data.update(
        {
            f"casualty-{n}-kind": "",
            f"casualty-{n}-group": "unknown",
            f"casualty-{n}-sex": "unknown",
            f"casualty-{n}-age": "unknown",
            f"casualty-{n}-count": "",
        }
    )
    return data


def stored_rows(incident):
    return sorted((c.kind, c.group, c.sex, c.age, c.count) for c in incident.casualties.all())


def test_a_breakdown_splits_its_total_and_may_not_exceed_it():
    rows, too_small = combine_casualties(
        {("killed", "civilian"): 5, ("injured", "civilian"): 1, ("killed", "combatant"): None},
        [
            {"kind": "killed", "group": "civilian", "sex": "female", "age": "child", "count": 2},
            {"kind": "injured", "group": "civilian", "sex": "male", "age": "adult", "count": 3},
            {"kind": "killed", "group": "combatant", "sex": "male", "age": "unknown", "count": 4},
        ],
    )
    assert too_small == {("injured", "civilian"): 3}
    assert {(r["kind"], r["group"], r["sex"], r["age"], r["count"]) for r in rows} >= {
        ("killed", "civilian", "female", "child", 2),
        ("killed", "civilian", "unknown", "unknown", 3),
        ("killed", "combatant", "male", "unknown", 4),
    }


def test_the_report_page_stores_the_grid_and_its_breakdown(client_for, users, sl):
    client = client_for(users[Role.REPORTER])
    page = client.get(f"{BASE}report/").content.decode()
    assert (
        'name="casualty-TOTAL_FORMS"' in page and 'id="breakdown-empty-row"' in page and 'name="killed_unknown"' in page
    )
    data = form_data(
        killed_civilian="3",
        abducted_civilian="1",
        **breakdown(("killed", "civilian", "female", "child", 2), ("abducted", "peacekeeper", "male", "adult", 1)),
    )
    assert client.post(f"{BASE}report/", data).status_code == 302
    incident = Incident.objects.get()
    assert (incident.killed, incident.injured, incident.abducted) == (3, 0, 2)
    assert stored_rows(incident) == [
        ("abducted", "civilian", "unknown", "unknown", 1),
        ("abducted", "peacekeeper", "male", "adult", 1),
        ("killed", "civilian", "female", "child", 2),
        ("killed", "civilian", "unknown", "unknown", 1),
    ]


def test_a_breakdown_larger_than_its_total_is_refused_with_nothing_written(client_for, users, sl):
    client = client_for(users[Role.REPORTER])
    response = client.post(
        f"{BASE}report/", form_data(killed_civilian="1", **breakdown(("killed", "civilian", "female", "adult", 2)))
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Less than its breakdown by sex and age (2)" in page and 'id="cell-killed_civilian"' in page
    bad_row = client.post(f"{BASE}report/", form_data(**breakdown(("killed", "civilian", "female", "adult", -1))))
    assert bad_row.status_code == 400 and "greater than or equal to 0" in bad_row.content.decode()
    assert not Incident.objects.exists() and not IncidentHistory.objects.exists()


def test_the_report_page_answers_json_to_its_script(client_for, users, sl):
    client = client_for(users[Role.REPORTER])
    data = form_data()
    first = client.post(f"{BASE}report/", data, HTTP_ACCEPT="application/json")
    incident = Incident.objects.get()
    assert first.status_code == 201 and first.json() == {
        "id": incident.pk,
        "url": f"{BASE}{incident.pk}/",
        "created": True,
    }
    again = client.post(f"{BASE}report/", data, HTTP_ACCEPT="application/json")
    assert again.status_code == 200 and again.json()["created"] is False and Incident.objects.count() == 1
    bad = client.post(
        f"{BASE}report/", {**data, "client_id": str(uuid.uuid4()), "latitude": "95"}, HTTP_ACCEPT="application/json"
    )
    assert bad.status_code == 400 and "latitude" in bad.json()["errors"]


def test_the_edit_page_edits_casualties_and_sources_into_the_history(client_for, users, file, sl):
    casualties = [
        {"kind": "killed", "group": "civilian", "sex": "female", "age": "adult", "count": 1},
        {"kind": "killed", "group": "civilian", "count": 2},
    ]
    incident = file(casualties=casualties).incident
    source = incident.sources.get()
    analyst = client_for(users[Role.ANALYST])
    page = analyst.get(f"{BASE}{incident.pk}/edit/").content.decode()
    assert '<option value="armed-clash" selected>' in page
    assert 'name="killed_civilian" value="3"' in page and 'name="casualty-0-count" value="1"' in page
    assert "Jane Doe" in page  # the analyst sees the identity, and that is logged
    assert SensitiveAccess.objects.filter(user=users[Role.ANALYST], record_id=str(source.pk)).count() == 1

    data = {
        "type": "armed-clash",
        "occurred_at": incident.occurred_at.strftime("%Y-%m-%dT%H:%M"),
        "date_precision": "time",
        "latitude": "7.9",
        "longitude": "-11.2",
        "location_precision": "1",
        "narrative": "Test report.",
        "sharing": "mission",
        "killed_civilian": "3",
        "injured_combatant": "2",
        "edit_reason": "Hospital figures.",
        **breakdown(("killed", "civilian", "female", "adult", 1), ("killed", "civilian", "male", "child", 1)),
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "1",
        "sources-0-id": str(source.pk),
        "sources-0-kind": "witness",
        "sources-0-description": "a trader",
        "sources-0-identity": "Jane Doe, new number",
        "sources-0-reliability": "B",
        "sources-0-credibility": "2",
        "sources-1-kind": "media",
        "sources-1-reliability": "C",
        "sources-1-credibility": "3",
        "sources-1-description": "local radio",
    }
    response = analyst.post(f"{BASE}{incident.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    incident.refresh_from_db()
    assert (incident.killed, incident.injured) == (3, 2)
    assert ("killed", "civilian", "male", "child", 1) in stored_rows(incident)
    assert incident.sources.count() == 2 and incident.sources.get(pk=source.pk).grading == "B2"
    entry = IncidentHistory.objects.get(incident=incident, action="edited")
    assert entry.before["injured"] == 0 and entry.after["injured"] == 2
    assert (
        "1 killed civilian male child" in entry.after["casualties"]
        and "1 killed civilian male child" not in entry.before["casualties"]
    )
    assert "C3" in entry.before[f"source {source.pk}"] and "B2" in entry.after[f"source {source.pk}"]
    assert "Jane Doe" not in str(entry.before) + str(entry.after)  # the history is shown to reporters
    assert entry.after[f"source {source.pk} identity"].startswith("***") and entry.reason == "Hospital figures."
    assert IncidentHistory.objects.filter(incident=incident, action="source added").count() == 1

    # Too large a breakdown is refused on the edit page too, and changes nothing.
    bad = analyst.post(f"{BASE}{incident.pk}/edit/", {**data, "killed_civilian": "1"})
    assert bad.status_code == 400 and "Less than its breakdown" in bad.content.decode()
    assert IncidentHistory.objects.filter(incident=incident, action="edited").count() == 1


def test_a_reporter_edits_sources_without_seeing_or_changing_identities(client_for, users, file, sl):
    incident = file().incident
    source = incident.sources.get()
    reporter = client_for(users[Role.REPORTER])
    page = reporter.get(f"{BASE}{incident.pk}/edit/").content.decode()
    assert "Jane Doe" not in page and 'name="sources-0-identity"' not in page and 'name="sources-1-identity"' in page
    data = {
        "type": "armed-clash",
        "occurred_at": incident.occurred_at.strftime("%Y-%m-%dT%H:%M"),
        "date_precision": "time",
        "latitude": "7.9",
        "longitude": "-11.2",
        "location_precision": "1",
        "narrative": "Test report.",
        "sharing": "mission",
        "edit_reason": "Grading.",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "1",
        "sources-0-id": str(source.pk),
        "sources-0-kind": "witness",
        "sources-0-description": "a trader",
        "sources-0-reliability": "A",
        "sources-0-credibility": "3",
        "sources-0-identity": "an attempt to overwrite",
    }
    assert reporter.post(f"{BASE}{incident.pk}/edit/", data).status_code == 302
    source.refresh_from_db()
    assert (source.grading, source.identity) == ("A3", "Jane Doe, +232 000")
    assert not SensitiveAccess.objects.exists()


def test_the_feed_drops_rows_that_no_longer_match(client_for, users, file, sl):
    analyst = client_for(users[Role.ANALYST])
    incident = file().incident
    other = file(latitude=8.2).incident
    cursor = "2020-01-01T00:00:00+00:00"
    shown = f"{incident.pk},{other.pk}"
    body = analyst.get(f"{BASE}feed/", {"since": cursor, "status": "reported", "shown": shown}).content.decode()
    assert 'data-gone=""' in body
    analyst.post(f"{BASE}{incident.pk}/status/", {"status": "under_verification", "reason": "Checking."})
    body = analyst.get(f"{BASE}feed/", {"since": cursor, "status": "reported", "shown": shown}).content.decode()
    assert f'data-gone="{incident.pk}"' in body and f'id="feed-{other.pk}"' in body
    assert "shown=" not in body  # the page sends it afresh each poll
    # Without filters the changed row comes back, updated.
    body = analyst.get(f"{BASE}feed/", {"since": cursor, "shown": shown}).content.decode()
    assert f'id="feed-{incident.pk}"' in body and "Under verification" in body and 'data-gone=""' in body


def test_a_partner_feed_drops_an_incident_no_longer_shared(client_for, users, file, sl):
    incident = file(sharing=Sharing.PUBLIC).incident
    Incident.objects.filter(pk=incident.pk).update(sharing=Sharing.MISSION)
    body = client_for(users[Role.PARTNER]).get(f"{BASE}feed/", {"shown": f"{incident.pk},x"}).content.decode()
    assert f'data-gone="{incident.pk}"' in body and f'id="feed-{incident.pk}"' not in body


def test_the_generic_upload_page_leaves_incident_imports_to_the_mission_page(client_for, users):
    kinds = dict(ImportForm().fields["kind"].choices)
    assert "incidents-ged" not in kinds and "incidents-acled" not in kinds and "ged" in kinds and "geopko" in kinds
    client = client_for(users[Role.ANALYST])
    page = client.get("/imports/").content.decode()
    assert 'value="incidents-ged"' not in page and "Incidents &gt; Import" in page
    upload = SimpleUploadedFile("events.csv", b"id\n1\n", content_type="text/csv")
    response = client.post("/imports/", {"kind": "incidents-ged", "file": upload})
    assert response.status_code == 400 and "not one of the available choices" in response.content.decode()
