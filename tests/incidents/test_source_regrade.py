"""A source can be re-graded (not only another added), with a reason kept in the history;
only those who may edit the incident's sources may do it (issue 15, section 5)."""

from bluehelmet.core.models import Role
from bluehelmet.incidents.models import IncidentHistory


def _grade(client, incident, source, reliability="A", credibility=1, reason="Confirmed by a patrol."):
    return client.post(
        f"/missions/UNAMSIL/incidents/{incident.pk}/sources/{source.pk}/grade/",
        {
            f"grade{source.pk}-reliability": reliability,
            f"grade{source.pk}-credibility": credibility,
            f"grade{source.pk}-reason": reason,
        },
    )


def test_an_analyst_regrades_a_source_with_history(client_for, users, file):
    incident = file().incident
    source = incident.sources.get()
    client = client_for(users[Role.ANALYST])
    assert f"grade{source.pk}-reliability" in client.get(f"/missions/UNAMSIL/incidents/{incident.pk}/").content.decode()
    assert _grade(client, incident, source).status_code == 302
    source.refresh_from_db()
    assert source.grading == "A1" and incident.sources.count() == 1
    entry = IncidentHistory.objects.get(incident=incident, action="source regraded")
    assert entry.before == {"grading": "C3"} and entry.after["grading"] == "A1"
    assert entry.reason == "Confirmed by a patrol." and entry.user == users[Role.ANALYST]


def test_regrading_needs_a_reason_and_a_valid_grade(client_for, users, file):
    incident = file().incident
    source = incident.sources.get()
    client = client_for(users[Role.ANALYST])
    _grade(client, incident, source, reason="")
    _grade(client, incident, source, reliability="Z")
    source.refresh_from_db()
    assert source.grading == "C3" and not IncidentHistory.objects.filter(action="source regraded").exists()


def test_who_may_not_edit_the_sources_may_not_regrade(client_for, users, file):
    incident = file().incident
    source = incident.sources.get()
    # A partner has no access to sources at all; another reporter did not file this report.
    assert _grade(client_for(users[Role.PARTNER]), incident, source).status_code in (403, 404)
    other = users[Role.REPORTER].__class__.objects.create_user("other-reporter")
    from bluehelmet.core.models import Membership

    Membership.objects.create(user=other, mission=incident.mission, role=Role.REPORTER)
    assert _grade(client_for(other), incident, source).status_code == 403
    source.refresh_from_db()
    assert source.grading == "C3"
