"""Side doors of forces (issue 13): a patrol report form never drops the links to incidents
the editor cannot see, and the incidents met are counted only as far as the viewer sees them."""

import datetime

import pytest
from django.utils import timezone

from bluehelmet.core.models import Role
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.forces.models import Patrol
from bluehelmet.forces.queries import patrols_and_coverage

from .test_patrols_and_equipment import PATROLS, make_incident, plan_data

REPORT = {
    "actual_start": "2001-03-10T08:30",
    "actual_end": "2001-03-10T13:00",
    "community_contacts": 4,
    "notes": "Market calm",
}


@pytest.fixture
def planned(client_for, users, forces, chiefdoms):
    """A patrol planned by the reporter (as in test_patrols_and_equipment)."""
    response = client_for(users[Role.REPORTER]).post(f"{PATROLS}new/", plan_data(forces["Guinea contingent, Bo"]))
    assert response.status_code == 302
    return Patrol.objects.get()


def _incidents(mission):
    met = make_incident(mission, timezone.make_aware(datetime.datetime(2001, 3, 10, 11)))
    red = make_incident(mission, timezone.make_aware(datetime.datetime(2001, 3, 10, 12)))
    red.sensitivity = Sensitivity.RED
    red.save()
    return met, red


def test_a_reporter_editing_a_report_keeps_the_red_incident_an_analyst_linked(
    client_for, users, planned, mission, chiefdoms
):
    met, red = _incidents(mission)
    bo = chiefdoms["Bo chiefdom"]
    analyst = client_for(users[Role.ANALYST])
    assert (
        analyst.post(
            f"{PATROLS}{planned.pk}/report/", {**REPORT, "places": [bo.pk], "incidents": [met.pk, red.pk]}
        ).status_code
        == 302
    )
    reporter = client_for(users[Role.REPORTER])
    page = reporter.get(f"{PATROLS}{planned.pk}/report/")
    assert list(page.context["form"].fields["incidents"].queryset) == [met]  # the RED one is not offered
    assert (
        reporter.post(f"{PATROLS}{planned.pk}/report/", {**REPORT, "places": [bo.pk], "incidents": []}).status_code
        == 302
    )
    planned.refresh_from_db()
    assert planned.status == Patrol.Status.CONDUCTED and list(planned.incidents.all()) == [red]


def test_incidents_met_are_counted_as_far_as_the_viewer_sees(users, planned, mission, chiefdoms):
    met, red = _incidents(mission)
    planned.incidents.set([met, red])
    assert [p.incident_count for p in patrols_and_coverage(users[Role.ANALYST], mission)["patrols"]] == [2]
    assert [p.incident_count for p in patrols_and_coverage(users[Role.REPORTER], mission)["patrols"]] == [1]
