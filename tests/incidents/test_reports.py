"""Filing reports: what is stored, idempotency by client id, and the field-level errors."""

import datetime
import uuid

from django.utils import timezone

from bluehelmet.core.models import Role
from bluehelmet.incidents import reports
from bluehelmet.incidents.models import Casualty, Incident, IncidentHistory, Source
from bluehelmet.incidents.reports import submit_report


def test_a_report_is_stored_with_its_place_casualties_sources_and_history(file, sl, users):
    casualties = [
        {"kind": "killed", "group": "civilian", "sex": "female", "age": "child", "count": 2},
        {"kind": "injured", "group": "combatant", "count": 3},
    ]
    outcome = file(perpetrators=[sl.ruf.pk], targets=[sl.government.pk], casualties=casualties)
    assert outcome.ok and outcome.created, outcome.errors
    incident = outcome.incident
    assert incident.place == sl.kenema and incident.priogrid_gid is not None
    assert (incident.killed, incident.injured, incident.abducted) == (2, 3, 0)
    assert incident.casualties.get(kind="killed").sex == Casualty.Sex.FEMALE
    assert list(incident.perpetrators.all()) == [sl.ruf] and list(incident.targets.all()) == [sl.government]
    source = incident.sources.get()
    assert (source.grading, source.identity, source.first_incident) == ("C3", "Jane Doe, +232 000", incident)
    assert incident.status == Incident.Status.REPORTED and incident.reported_by == users[Role.REPORTER]
    assert not incident.in_zone
    entry = IncidentHistory.objects.get(incident=incident)
    assert entry.action == "reported" and entry.after["type"] == "Armed clash"


def test_the_same_client_id_is_stored_once(file):
    client_id = str(uuid.uuid4())
    first = file(client_id=client_id)
    again = file(client_id=client_id, narrative="sent again after a dropped connection")
    assert first.created and not again.created
    assert again.incident.pk == first.incident.pk
    assert Incident.objects.filter(client_id=client_id).count() == 1
    assert again.incident.narrative == "Test report."


def test_a_client_id_of_another_mission_is_refused(file, other_mission, report_data, users):
    client_id = str(uuid.uuid4())
    file(client_id=client_id)
    outcome = submit_report(users[Role.REPORTER], other_mission, report_data(client_id=client_id), sources=[])
    assert not outcome.ok and "client_id" in outcome.errors


def test_a_simultaneous_resend_returns_the_stored_report(file, monkeypatch):
    """Two sendings of one report racing: the second one's insert fails on the unique
    client id and answers with the stored report instead of an error."""
    client_id = str(uuid.uuid4())
    first = file(client_id=client_id)
    real = reports.stored_report
    calls = []

    def looked_up(mission, key):
        calls.append(key)
        return real(mission, key)

    monkeypatch.setattr(reports, "stored_report", looked_up)
    again = file(client_id=client_id)
    assert again.ok and not again.created and again.incident.pk == first.incident.pk
    assert Incident.objects.count() == 1
    # A valid report is not looked up before its insert (a new report costs no query for
    # it): the stored one is found once the insert failed, whoever committed first.
    assert calls == [uuid.UUID(client_id)]


def test_bad_reports_get_field_errors_and_write_nothing(file, sl):
    cases = [
        ({"occurred_at": (timezone.now() + datetime.timedelta(days=2)).isoformat()}, "occurred_at", "future"),
        ({"occurred_at": "1998-01-01T10:00:00"}, "occurred_at", "before the mission started"),
        ({"latitude": 95}, "latitude", "less than or equal to 90"),
        ({"longitude": -200}, "longitude", "greater than or equal to -180"),
        ({"latitude": 48.85, "longitude": 2.35}, "latitude", "outside the mission's host countries"),
        ({"type": "alien-landing"}, "type", "Unknown incident type"),
        ({"narrative": ""}, "narrative", "required"),
        ({"latitude": None}, "latitude", "both latitude and longitude"),
        ({"latitude": None, "longitude": None}, "latitude", "Pick the place"),
        ({"sources": []}, "sources", "at least one source"),
        (
            {"sources": [{"kind": "witness", "reliability": "Z", "credibility": 9}]},
            "sources",
            "not one of the available choices",
        ),
        ({"casualties": [{"kind": "killed", "count": -1}]}, "casualties", "greater than or equal to 0"),
    ]
    for fields, field, text in cases:
        outcome = file(**fields)
        assert not outcome.ok, fields
        assert text in str(outcome.errors[field]), (fields, outcome.errors)
    assert Incident.objects.count() == Source.objects.count() == IncidentHistory.objects.count() == 0


def test_an_admin_area_stands_in_for_coordinates(file, sl):
    outcome = file(latitude=None, longitude=None, place=sl.bombali.pk)
    assert outcome.ok, outcome.errors
    incident = outcome.incident
    assert (incident.latitude, incident.longitude, incident.place) == (9.1, -12.1, sl.bombali)
    assert incident.location_precision == Incident.LocationPrecision.ADM2


def test_a_report_in_the_buffer_zone_is_flagged_and_linked_to_the_agreement(file, sl):
    incident = file(latitude=8.9, longitude=-12.0, type="ceasefire-violation").incident
    assert incident.in_zone and incident.agreement == sl.lome
    assert list(incident.zones.all()) == [sl.zone]


def test_a_batch_answers_per_report(sl, users, report_data):
    client_id = str(uuid.uuid4())
    batch = [
        report_data(client_id=client_id),
        report_data(client_id=client_id),
        report_data(type="nonsense"),
        "not a report",
    ]
    results = reports.submit_batch(users[Role.REPORTER], sl.mission, batch)
    assert [r["status"] for r in results] == ["created", "duplicate", "invalid", "invalid"]
    assert results[0]["id"] == results[1]["id"]
    assert "type" in results[2]["errors"]
    assert Incident.objects.count() == 1
