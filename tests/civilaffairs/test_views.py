"""Civil affairs pages per role: who sees personal data (and that it is logged), who may
change what, partners submitting alerts, CSV exports, field-level errors."""

import csv
import io

import pytest
from django.urls import reverse

from bluehelmet.civilaffairs.models import CommunityAlert, Engagement, Partner
from bluehelmet.core.models import Role, SensitiveAccess
from bluehelmet.core.sensitivity import Sensitivity

from .factories import make_alert


def url(name, ca, *args):
    return reverse(f"civilaffairs:{name}", args=[ca.mission.acronym, *args])


def _csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("role", [Role.CIVIL_AFFAIRS, Role.ADMINISTRATOR])
def test_contacts_are_shown_to_civil_affairs_and_administrators_and_logged(ca, client_for, role):
    client = client_for(ca.users[role])
    response = client.get(url("partner", ca, ca.partner.pk))
    assert response.status_code == 200 and "Aminata Test-Contact" in response.content.decode()
    log = SensitiveAccess.objects.get(user=ca.users[role])
    assert log.record_type == "civilaffairs.Partner" and log.record_id == str(ca.partner.pk)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.REPORTER, Role.HUMANITARIAN])
def test_other_roles_see_the_partner_without_contacts(ca, client_for, role):
    client = client_for(ca.users[role])
    body = client.get(url("partner", ca, ca.partner.pk)).content.decode()
    assert ca.partner.name in body and "Aminata" not in body and "555" not in body
    assert client.get(url("contacts-export", ca)).status_code == 403
    assert client.post(url("contact-new", ca, ca.partner.pk), {"full_name": "X"}).status_code == 403
    assert not SensitiveAccess.objects.exists()


def test_contacts_export_is_limited_and_logged(ca, client_for):
    response = client_for(ca.users[Role.CIVIL_AFFAIRS]).get(url("contacts-export", ca))
    rows = _csv(response)
    # A leading + is quoted like any spreadsheet formula (incidents.export.neutralize_formula).
    assert rows == [
        {
            "partner": ca.partner.name,
            "kind": "Women's group",
            "place": "Kenema",
            "full_name": "Aminata Test-Contact",
            "position": "Chair",
            "phone": "'+232 76 555 123",
            "email": "chair@example.org",
        }
    ]
    assert SensitiveAccess.objects.filter(action="export").count() == 1


def test_partner_users_see_public_records_only_and_can_submit_alerts(ca, client_for):
    client = client_for(ca.users[Role.PARTNER])
    assert client.get(url("partner", ca, ca.partner.pk)).status_code == 404  # mission-only partner record
    ca.partner.sharing = "public"
    ca.partner.save()
    assert client.get(url("partner", ca, ca.partner.pk)).status_code == 200
    assert client.get(url("partner-new", ca)).status_code == 403
    assert client.get(url("alert", ca, ca.alert.pk)).status_code == 404  # TLP:AMBER
    response = client.post(
        url("alert-new", ca),
        {
            "category": "threat",
            "place": ca.kenema.pk,
            "location": "Near the market",
            "text": "Men with guns asking for the chief.",
            "sender": "+232 76 999 000",
        },
    )
    assert response.status_code == 302
    alert = CommunityAlert.objects.exclude(pk=ca.alert.pk).get()
    assert (
        alert.created_by == ca.users[Role.PARTNER]
        and alert.channel == "form"
        and alert.sensitivity == Sensitivity.AMBER
    )
    body = client.get(response["Location"]).content.decode()
    assert "Men with guns" in body and "999" not in body  # its own alert, without the sender
    assert client.post(url("alert-triage", ca, alert.pk, "acknowledge"), {}).status_code == 403


def test_alert_form_gives_field_errors(ca, client_for):
    response = client_for(ca.users[Role.REPORTER]).post(url("alert-new", ca), {"category": "nonsense", "text": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert {"category", "text", "location"} <= set(form.errors)
    assert CommunityAlert.objects.count() == 1


def test_red_alerts_are_hidden_from_other_staff(ca, client_for):
    red = make_alert(ca.mission, ca.kenema, sensitivity=Sensitivity.RED, text="Named informant says...")
    assert client_for(ca.users[Role.REPORTER]).get(url("alert", ca, red.pk)).status_code == 404
    assert client_for(ca.users[Role.ANALYST]).get(url("alert", ca, red.pk)).status_code == 200
    rows = _csv(client_for(ca.users[Role.REPORTER]).get(url("export", ca, "alerts")))
    assert len(rows) == 1 and "Named informant" not in str(rows)


def test_alert_sender_shown_to_civil_affairs_and_logged(ca, client_for):
    body = client_for(ca.users[Role.CIVIL_AFFAIRS]).get(url("alert", ca, ca.alert.pk)).content.decode()
    assert "+232 77 100 001" in body
    assert (
        SensitiveAccess.objects.filter(record_type="civilaffairs.CommunityAlert", record_id=str(ca.alert.pk)).count()
        == 1
    )
    body = client_for(ca.users[Role.ANALYST]).get(url("alert", ca, ca.alert.pk)).content.decode()
    assert "+232 77 100 001" not in body and "Turn into an incident" in body


def test_turn_an_alert_into_an_incident_in_one_step(ca, client_for):
    from bluehelmet.incidents.models import Incident, IncidentType

    client = client_for(ca.users[Role.CIVIL_AFFAIRS])
    kind = IncidentType.objects.get(mission=ca.mission, code="attack-on-civilians")
    data = {
        "type": kind.pk,
        "occurred_at": "2001-03-09T02:00",
        "date_precision": "day",
        "place": ca.kenema.pk,
        "narrative": "Village attacked",
        "reliability": "C",
        "credibility": "3",
        "sharing": "mission",
    }
    bad = client.post(url("alert-triage", ca, ca.alert.pk, "incident"), {**data, "type": ""})
    assert bad.status_code == 400 and "type" in bad.context["incident_form"].errors and not Incident.objects.exists()
    response = client.post(url("alert-triage", ca, ca.alert.pk, "incident"), data)
    assert response.status_code == 302
    ca.alert.refresh_from_db()
    assert ca.alert.status == "incident" and Incident.objects.get() == ca.alert.incident


def test_only_civil_affairs_and_administrators_edit(ca, client_for):
    data = {
        "name": "Kono Youth",
        "kind": "youth_group",
        "place": ca.kenema.pk,
        "relationship": "active",
        "trust": "2",
        "sharing": "mission",
    }
    for role in (Role.ANALYST, Role.REPORTER, Role.DDR_OFFICER, Role.PARTNER):
        assert client_for(ca.users[role]).post(url("partner-new", ca), data).status_code == 403
    client = client_for(ca.users[Role.CIVIL_AFFAIRS])
    bad = client.post(url("partner-new", ca), {**data, "place": "999999", "trust": "9"})
    assert bad.status_code == 400 and {"place", "trust"} <= set(bad.context["form"].errors)
    assert client.post(url("partner-new", ca), data).status_code == 302
    assert Partner.objects.filter(name="Kono Youth", mission=ca.mission).exists()
    again = client.post(url("partner-new", ca), {**data, "name": "kono youth"})
    assert again.status_code == 400 and "name" in again.context["form"].errors


def test_log_an_engagement_and_a_commitment(ca, client_for):
    client = client_for(ca.users[Role.CIVIL_AFFAIRS])
    response = client.post(
        url("engagement-new", ca),
        {
            "kind": "dialogue",
            "held_on": "2001-06-02",
            "place": ca.western.pk,
            "title": "Dialogue",
            "partners": [ca.partner.pk],
            "women": "4",
            "men": "6",
            "young_women": "0",
            "young_men": "3",
            "girls": "0",
            "boys": "1",
            "sharing": "mission",
        },
    )
    assert response.status_code == 302
    engagement = Engagement.objects.get(title="Dialogue")
    assert engagement.participants == 14 and list(engagement.partners.all()) == [ca.partner]
    future = client.post(
        url("engagement-new", ca),
        {
            "kind": "dialogue",
            "held_on": "2999-01-01",
            "place": ca.western.pk,
            "title": "x",
            "women": "-1",
            "sharing": "mission",
        },
    )
    assert future.status_code == 400 and {"held_on", "women"} <= set(future.context["form"].errors)
    assert (
        client.post(
            url("commitment-new", ca, engagement.pk),
            {"text": "Patrol the road", "made_by": "UNAMSIL", "status": "open"},
        ).status_code
        == 302
    )
    assert engagement.commitments.get().text == "Patrol the road"


def test_provision_status_update_from_the_page(ca, client_for):
    client = client_for(ca.users[Role.CIVIL_AFFAIRS])
    response = client.post(
        url("provision", ca, ca.provision.pk), {"status": "2", "on": "2002-07-31", "note": "Commission inaugurated"}
    )
    assert response.status_code == 302
    ca.provision.refresh_from_db()
    assert ca.provision.status == 2
    assert (
        client_for(ca.users[Role.ANALYST])
        .post(url("provision", ca, ca.provision.pk), {"status": "3", "on": "2004-10-31", "note": "x"})
        .status_code
        == 403
    )
    page = client.get(url("agreement", ca, ca.agreement.pk)).content.decode()
    assert "overdue" in page and "implementation-data" in page


@pytest.mark.parametrize(
    "table",
    ["partners", "engagements", "commitments", "alerts", "grievances", "mediations", "agreements", "provisions"],
)
def test_every_list_exports_to_csv(ca, client_for, table):
    client = client_for(ca.users[Role.ANALYST])
    assert client.get(url("list", ca, table)).status_code == 200
    response = client.get(url("export", ca, table))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    expected = {"partners": 1, "engagements": 1, "alerts": 1, "agreements": 1, "provisions": 1}.get(table, 0)
    assert len(rows) == expected
    assert "Aminata" not in str(rows)


def test_pages_answer_every_member_and_hide_the_mission_from_others(ca, client_for):
    pages = [
        url("index", ca),
        url("coverage", ca),
        url("surveys", ca),
        url("engagement", ca, ca.engagement.pk),
        url("agreement", ca, ca.agreement.pk),
    ]
    for page in pages:
        assert client_for(ca.users[Role.REPORTER]).get(page).status_code == 200, page
        assert client_for(ca.users["outsider"]).get(page).status_code == 404, page
    assert client_for(ca.users[Role.PARTNER]).get(url("coverage", ca)).status_code == 403
    assert client_for(ca.users[Role.CIVIL_AFFAIRS]).get(url("gateways", ca)).status_code == 403
    assert client_for(ca.users[Role.ADMINISTRATOR]).get(url("gateways", ca)).status_code == 200


def test_coverage_page_lists_districts_without_engagement(ca, client_for):
    response = client_for(ca.users[Role.CIVIL_AFFAIRS]).get(url("coverage", ca), {"weeks": "4", "on": "1999-06-30"})
    assert response.status_code == 200
    assert [p.name for p in response.context["missed"]] == ["Kenema", "Western Area"] or {
        p.name for p in response.context["missed"]
    } == {"Kenema", "Western Area"}
    bad = client_for(ca.users[Role.CIVIL_AFFAIRS]).get(url("coverage", ca), {"weeks": "0"})
    assert bad.status_code == 200 and "weeks" in bad.context["form"].errors
