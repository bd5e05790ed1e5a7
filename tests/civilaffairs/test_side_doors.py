"""Side doors of civil affairs (issue 13): a community alert turned into an incident keeps its
label; partners see neither non-shared engagements on a partner page nor the staff's triage
notes on their own alerts; coverage counts only what the viewer may see."""

import datetime

from django.urls import reverse

from bluehelmet.civilaffairs import cases
from bluehelmet.civilaffairs.forms import AlertIncidentForm
from bluehelmet.core.models import Role, Sharing
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.incidents.models import Incident, IncidentType

from .factories import make_alert, make_engagement

SECRET = "Tongo-field-RED-canary"


def url(name, ca, *args):
    return reverse(f"civilaffairs:{name}", args=[ca.mission.acronym, *args])


def _form_data(ca, **extra):
    kind = IncidentType.objects.get(mission=ca.mission, code="attack-on-civilians")
    return {
        "type": kind.pk,
        "occurred_at": "2001-03-09T02:00",
        "date_precision": "day",
        "place": ca.kenema.pk,
        "narrative": f"Village attacked: {SECRET}",
        "reliability": "C",
        "credibility": "3",
        "sharing": "mission",
        **extra,
    }


def test_a_red_alert_becomes_a_red_incident(ca, client_for):
    red = make_alert(ca.mission, ca.kenema, text=SECRET, sensitivity=Sensitivity.RED)
    form = AlertIncidentForm(alert=red, user=ca.users[Role.ANALYST])
    assert form["sensitivity"].value() == Sensitivity.RED
    client = client_for(ca.users[Role.ANALYST])  # RED: analysts and administrators triage it
    response = client.post(url("alert-triage", ca, red.pk, "incident"), _form_data(ca, sensitivity="red"))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.sensitivity == Sensitivity.RED
    # Not shown to a reporter, whatever page they try.
    assert (
        client_for(ca.users[Role.REPORTER]).get(f"/missions/{ca.mission.acronym}/incidents/{incident.pk}/").status_code
        == 404
    )


def test_a_lower_label_or_sharing_a_red_alert_is_refused(ca, client_for):
    red = make_alert(ca.mission, ca.kenema, text=SECRET, sensitivity=Sensitivity.RED)
    client = client_for(ca.users[Role.ANALYST])
    for extra in (
        {"sensitivity": "amber"},
        {"sensitivity": "green", "sharing": "public"},
        {"sensitivity": "red", "sharing": "public"},
    ):
        response = client.post(url("alert-triage", ca, red.pk, "incident"), _form_data(ca, **extra))
        assert response.status_code == 400, extra
    assert not Incident.objects.exists()


def test_the_incident_never_takes_a_lower_label_than_the_alert(ca):
    """Whatever the caller passes (a form of an older page, a script), the report carries the alert's label."""
    amber = make_alert(ca.mission, ca.kenema, sensitivity=Sensitivity.AMBER)
    fields = {
        "type": IncidentType.objects.get(mission=ca.mission, code="attack-on-civilians"),
        "occurred_at": datetime.datetime(2001, 3, 9, 2, 0, tzinfo=datetime.UTC),
        "date_precision": "day",
        "place": ca.kenema,
        "narrative": "Village attacked.",
        "reliability": "C",
        "credibility": 3,
        "sharing": Sharing.MISSION,
    }
    submission = cases.alert_to_incident(ca.users[Role.CIVIL_AFFAIRS], amber, fields)
    assert submission.ok and submission.incident.sensitivity == Sensitivity.AMBER
    red = make_alert(ca.mission, ca.western, sensitivity=Sensitivity.RED)
    submission = cases.alert_to_incident(
        ca.users[Role.ANALYST], red, {**fields, "place": ca.western, "sensitivity": "green"}
    )
    assert submission.ok and submission.incident.sensitivity == Sensitivity.RED


def test_a_partner_page_shows_partners_only_shared_engagements(ca, client_for):
    hidden = make_engagement(ca.mission, ca.kenema, datetime.date(2001, 3, 2), title=SECRET)
    shared = make_engagement(
        ca.mission, ca.kenema, datetime.date(2001, 3, 3), title="Open town hall", sharing=Sharing.PUBLIC
    )
    ca.partner.sharing = Sharing.PUBLIC
    ca.partner.save()
    hidden.partners.add(ca.partner)
    shared.partners.add(ca.partner)
    partner = client_for(ca.users[Role.PARTNER]).get(url("partner", ca, ca.partner.pk))
    assert partner.status_code == 200
    body = partner.content.decode()
    assert "Open town hall" in body and SECRET not in body
    assert SECRET in client_for(ca.users[Role.CIVIL_AFFAIRS]).get(url("partner", ca, ca.partner.pk)).content.decode()


def test_partners_see_no_triage_note_nor_who_triaged_their_alert(ca, client_for):
    officer = ca.users[Role.CIVIL_AFFAIRS]
    officer.username = "officer-kenema-canary"
    officer.save()
    own = make_alert(ca.mission, ca.kenema, sensitivity=Sensitivity.GREEN, created_by=ca.users[Role.PARTNER])
    cases.acknowledge_alert(officer, own, f"Sender is unreliable: {SECRET}")
    body = client_for(ca.users[Role.PARTNER]).get(url("alert", ca, own.pk)).content.decode()
    assert "Acknowledged" in body
    assert SECRET not in body and "officer-kenema-canary" not in body
    staff = client_for(ca.users[Role.ANALYST]).get(url("alert", ca, own.pk)).content.decode()
    assert SECRET in staff and "officer-kenema-canary" in staff


def _red_fatal_incident(ca, when):
    import uuid

    from shapely.geometry import shape

    from bluehelmet.incidents.locating import mission_locator

    kind = IncidentType.objects.get(mission=ca.mission, code="attack-on-civilians")
    inside = shape(ca.kenema.geometry).representative_point()
    lat, lon = inside.y, inside.x
    assert mission_locator(ca.mission).locate(lat, lon) == ca.kenema
    return Incident.objects.create(
        mission=ca.mission,
        client_id=uuid.uuid4(),
        type=kind,
        occurred_at=when,
        latitude=lat,
        longitude=lon,
        narrative=SECRET,
        killed=3,
        sensitivity=Sensitivity.RED,
    )


def test_coverage_counts_only_what_the_viewer_may_see(ca, client_for):
    from bluehelmet.civilaffairs.coverage import coverage

    _red_fatal_incident(ca, datetime.datetime(2002, 5, 1, 10, tzinfo=datetime.UTC))
    make_alert(
        ca.mission,
        ca.kenema,
        sensitivity=Sensitivity.RED,
        received_at=datetime.datetime(2002, 5, 2, 10, tzinfo=datetime.UTC),
    )
    first, last = datetime.date(2002, 1, 1), datetime.date(2002, 12, 31)
    assert coverage(ca.mission, first, last, user=ca.users[Role.ANALYST]).risk == {ca.kenema.pk: 2}
    assert coverage(ca.mission, first, last, user=ca.users[Role.REPORTER]).risk == {}
    page = client_for(ca.users[Role.REPORTER]).get(url("coverage", ca) + "?weeks=52&on=2002-12-31")
    assert page.status_code == 200 and page.context["coverage"].risk == {}
    page = client_for(ca.users[Role.ANALYST]).get(url("coverage", ca) + "?weeks=52&on=2002-12-31")
    assert page.context["coverage"].risk == {ca.kenema.pk: 2}
