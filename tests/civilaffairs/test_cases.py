"""Civil affairs business steps: alerts to incidents, grievances, provision assessments,
engagement coverage, and personal data encrypted at rest."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from bluehelmet.civilaffairs import cases
from bluehelmet.civilaffairs.coverage import coverage
from bluehelmet.civilaffairs.indicators import engagement_coverage
from bluehelmet.civilaffairs.models import (
    CommunityAlert,
    Grievance,
    GrievanceEvent,
    Implementation,
    PartnerContact,
    ProvisionStatus,
)
from bluehelmet.core.models import Sharing
from bluehelmet.incidents.models import Incident, IncidentType, Source
from bluehelmet.performance.formulas import compute_formula

from .factories import make_engagement

d = datetime.date


def _incident_fields(ca, **extra):
    return {
        "type": IncidentType.objects.get(mission=ca.mission, code="attack-on-civilians"),
        "occurred_at": timezone.make_aware(datetime.datetime(2001, 3, 9, 2, 0), datetime.UTC),
        "date_precision": Incident.DatePrecision.DAY,
        "place": ca.kenema,
        "narrative": "Village attacked overnight.",
        "reliability": "C",
        "credibility": 3,
        "sharing": Sharing.MISSION,
        **extra,
    }


def test_an_alert_becomes_one_incident_with_a_community_source(ca):
    officer = ca.users["civil_affairs"]
    submission = cases.alert_to_incident(officer, ca.alert, _incident_fields(ca))
    assert submission.ok, submission.errors
    incident = submission.incident
    ca.alert.refresh_from_db()
    assert ca.alert.status == CommunityAlert.Status.INCIDENT and ca.alert.incident == incident
    assert (
        incident.mission == ca.mission and incident.type.code == "attack-on-civilians" and incident.place == ca.kenema
    )
    source = Source.objects.get(incident=incident)
    assert source.kind == Source.Kind.COMMUNITY and f"alert {ca.alert.pk}" in source.description
    assert "+232" not in source.identity + source.description + incident.narrative  # the sender stays in the alert
    assert incident.history.exists()  # through the incidents area's own submission
    with pytest.raises(cases.TriageError):
        cases.alert_to_incident(officer, ca.alert, _incident_fields(ca))
    assert Incident.objects.count() == 1


def test_a_refused_report_changes_nothing(ca):
    future = timezone.now() + datetime.timedelta(days=3)
    submission = cases.alert_to_incident(ca.users["civil_affairs"], ca.alert, _incident_fields(ca, occurred_at=future))
    assert not submission.ok and "occurred_at" in submission.errors
    ca.alert.refresh_from_db()
    assert ca.alert.status == CommunityAlert.Status.NEW and ca.alert.incident is None
    assert not Incident.objects.exists()


def test_triage_steps(ca):
    officer = ca.users["civil_affairs"]
    cases.acknowledge_alert(officer, ca.alert, "passed to the team site")
    ca.alert.refresh_from_db()
    assert ca.alert.status == "acknowledged" and ca.alert.triaged_by == officer and "team site" in ca.alert.triage_note
    with pytest.raises(cases.TriageError):
        cases.acknowledge_alert(officer, ca.alert)
    cases.dismiss_alert(officer, ca.alert, "settled locally")
    ca.alert.refresh_from_db()
    assert ca.alert.status == "dismissed"
    with pytest.raises(cases.TriageError):
        cases.dismiss_alert(officer, ca.alert, "again")


def test_grievance_history_is_appended_and_final_states_are_final(ca):
    officer = ca.users["civil_affairs"]
    grievance = Grievance.objects.create(
        mission=ca.mission,
        received_on=d(2001, 4, 3),
        against=Grievance.Against.MISSION,
        place=ca.kenema,
        summary="Fence damaged by a patrol vehicle.",
    )
    with pytest.raises(ValueError):
        cases.move_grievance(officer, grievance, Grievance.Status.ASSIGNED, d(2001, 4, 5), "no one named")
    cases.move_grievance(officer, grievance, Grievance.Status.ASSIGNED, d(2001, 4, 5), "assigned", assigned_to=officer)
    with pytest.raises(ValueError):
        cases.move_grievance(officer, grievance, Grievance.Status.RESOLVED, d(2001, 4, 1), "before the previous step")
    cases.move_grievance(officer, grievance, Grievance.Status.RESOLVED, d(2001, 4, 20), "repaired")
    grievance.refresh_from_db()
    assert grievance.status == "resolved" and grievance.closed_on == d(2001, 4, 20) and grievance.assigned_to == officer
    with pytest.raises(ValueError):
        cases.move_grievance(officer, grievance, Grievance.Status.INVESTIGATING, d(2001, 5, 1), "reopen")
    assert list(GrievanceEvent.objects.filter(grievance=grievance).values_list("status", flat=True)) == [
        "assigned",
        "resolved",
    ]


def test_provision_shows_its_latest_assessment_by_date(ca):
    officer = ca.users["civil_affairs"]
    cases.assess_provision(officer, ca.provision, Implementation.INTERMEDIATE, d(2002, 7, 31), "inaugurated")
    cases.assess_provision(officer, ca.provision, Implementation.MINIMAL, d(2000, 2, 29), "act passed (entered late)")
    assert (ca.provision.status, ca.provision.status_on) == (Implementation.INTERMEDIATE, d(2002, 7, 31))
    assert ProvisionStatus.objects.filter(provision=ca.provision).count() == 2
    assert ca.provision.overdue_on(d(2003, 1, 1))
    with pytest.raises(ValueError):
        cases.assess_provision(officer, ca.provision, Implementation.FULL, d(1999, 1, 1), "before the signing")
    cases.assess_provision(officer, ca.provision, Implementation.FULL, d(2004, 10, 31), "final report")
    assert not ca.provision.overdue_on(d(2005, 1, 1))


def test_engagement_coverage_of_high_risk_districts(ca):
    # Violence near Kenema (shared fixture: GED events in January 1999 in Kenema and Freetown).
    assert engagement_coverage(ca.mission, d(1999, 1, 1), d(1999, 12, 31)) == 0.0
    make_engagement(ca.mission, ca.western, d(1999, 6, 1))
    result = coverage(ca.mission, d(1999, 1, 1), d(1999, 12, 31))
    assert result.source == "events" and set(result.risk) == {ca.kenema.pk, ca.western.pk}
    assert result.share == 0.5 and result.split() == ([ca.western], [ca.kenema])
    # 2001: only the community alert of an attack in Kenema, where the fixture's engagement was held.
    assert engagement_coverage(ca.mission, d(2001, 1, 1), d(2001, 12, 31)) == 1.0
    ca.alert.status = CommunityAlert.Status.DISMISSED
    ca.alert.save()
    assert engagement_coverage(ca.mission, d(2001, 1, 1), d(2001, 12, 31)) is None
    value = compute_formula("engagement_coverage", ca.mission, d(1999, 1, 1), d(1999, 12, 31))
    assert value.value == pytest.approx(50.0)


def test_engagement_coverage_uses_the_forecast_when_there_is_one(ca, monkeypatch):
    monkeypatch.setattr(
        "bluehelmet.civilaffairs.coverage.latest_place_risk_or_none", lambda m: {ca.western.pk: 0.8, ca.kenema.pk: 0.2}
    )
    result = coverage(ca.mission, d(2001, 1, 1), d(2001, 12, 31))
    assert result.source == "earlywarning" and result.risk == {ca.western.pk: 0.8} and result.share == 0.0


def test_no_engagement_records_is_no_data(mission, sierra_leone):
    assert engagement_coverage(mission, d(1999, 1, 1), d(1999, 12, 31)) is None


def test_personal_data_is_encrypted_at_rest(ca):
    contact = PartnerContact.objects.get(partner=ca.partner)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT full_name, phone FROM {PartnerContact._meta.db_table} WHERE id = %s", [contact.pk])
        name, phone = cursor.fetchone()
        cursor.execute(f"SELECT sender FROM {CommunityAlert._meta.db_table} WHERE id = %s", [ca.alert.pk])
        (sender,) = cursor.fetchone()
    assert "Aminata" not in name and "555" not in phone and "+232" not in sender
    assert contact.full_name == "Aminata Test-Contact"


def test_an_sms_is_stored_once_per_message_id(ca):
    gateway, secret = cases.new_gateway(ca.mission, "phone")
    assert cases.gateway_for_secret(secret) == gateway and cases.gateway_for_secret("wrong") is None
    fields, errors = cases.parse_sms(
        {
            "from": "+23276000111",
            "message": "Armed men near Pendembu",
            "message_id": "m1",
            "sent_timestamp": "984123000000",
        }
    )
    assert not errors and fields["received_at"].year == 2001
    first, created = cases.receive_sms(gateway, fields)
    again, created_again = cases.receive_sms(gateway, fields)
    assert created and not created_again and first == again
    assert first.sender == "+23276000111" and first.channel == "sms" and first.status == "new"
