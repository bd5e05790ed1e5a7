"""Demo records sit in the mission's own period: UNAMSIL's exercise incidents, their alerts,
history and sources are not dated today, years after the mission ended (issue 15)."""

import datetime

from bluehelmet.core.demo import exercise_moment
from bluehelmet.core.models import Mission
from bluehelmet.incidents import demo
from bluehelmet.incidents.models import Alert, Incident, IncidentHistory, Source


def test_exercise_moment_is_inside_the_mission():
    ended = Mission(acronym="X", start=datetime.date(1999, 10, 1), end=datetime.date(2005, 12, 1))
    assert datetime.date(1999, 10, 1) < exercise_moment(ended).date() < datetime.date(2005, 12, 1)
    running = Mission(acronym="Y", start=datetime.date(2014, 4, 1))
    assert exercise_moment(running).year >= 2020


def test_the_unamsil_exercise_is_dated_in_unamsils_period(mission):
    Mission.objects.filter(pk=mission.pk).update(start=datetime.date(1999, 10, 1), end=datetime.date(2005, 12, 1))
    demo.load(progress=lambda line: None)
    first, last = datetime.date(1999, 10, 1), datetime.date(2005, 12, 31)
    incidents = Incident.objects.filter(mission=mission)
    assert incidents.count() >= 5 and Alert.objects.filter(mission=mission).exists()

    def inside(moments):
        return all(first <= moment.date() <= last for moment in moments)

    assert inside(incidents.values_list("occurred_at", flat=True))
    assert inside(incidents.values_list("reported_at", flat=True))
    assert inside(Alert.objects.filter(mission=mission).values_list("created_at", flat=True))
    assert inside(IncidentHistory.objects.filter(mission=mission).values_list("at", flat=True))
    assert inside(Source.objects.filter(incident__mission=mission).values_list("added_at", flat=True))
    # Reported after it happened, an alert after the reports it is about.
    assert all(i.reported_at > i.occurred_at for i in incidents)
    for alert in Alert.objects.filter(mission=mission, incident__isnull=False):
        assert alert.created_at >= alert.incident.occurred_at
