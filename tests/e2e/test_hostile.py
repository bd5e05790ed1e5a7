"""Stored script payloads in a real browser: an incident (its type, place description and
narrative) and a lesson hold markup that would run if any page or script inserted it
as HTML. The incidents map, feed, list and detail, the mission overview map and the lessons
search are opened, every map marker's popup opened too: no dialog, no script run, and the
text shows literally. The records are removed afterwards (the demo data is shared)."""

import datetime

import pytest
from playwright.sync_api import expect

from bluehelmet.core.models import Mission
from bluehelmet.incidents.models import Alert, Incident, IncidentHistory, IncidentType, ResponseTask
from bluehelmet.incidents.reports import submit_report
from bluehelmet.performance.models import Lesson

PAYLOAD = '"><img src=x onerror="window.__xss=1;alert(1)">'
SCRIPT = "<script>window.__xss=1;alert(1)</script>"


@pytest.fixture
def hostile_records(demo_data, django_db_blocker):
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        mission = Mission.objects.get(acronym="UNAMSIL")
        reporter = get_user_model().objects.get(username="analyst")
        kind = IncidentType.objects.create(mission=mission, code="hostile-exercise", name=f"Exercise {PAYLOAD}")
        data = {
            "type": kind.code,
            "occurred_at": (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=3)).isoformat(),
            "date_precision": "time",
            "latitude": 8.48,
            "longitude": -13.23,
            "location_description": f"Freetown {SCRIPT}",
            "narrative": f"Exercise narrative {SCRIPT} {PAYLOAD} {{{{ 7|add:7 }}}}",
        }
        submission = submit_report(
            reporter,
            mission,
            data,
            casualties=[],
            sources=[
                {
                    "kind": "witness",
                    "description": f"a trader {PAYLOAD}",
                    "identity": "Exercise",
                    "reliability": "C",
                    "credibility": 3,
                }
            ],
        )
        assert submission.ok, submission.errors
        incident = submission.incident
        lesson = Lesson.objects.create(
            mission=mission,
            title=f"Hostile exercise lesson {PAYLOAD}",
            observation=SCRIPT,
            lesson=f"Escape everything {PAYLOAD}",
            date=datetime.date(2001, 5, 1),
            exercise=True,
        )
    yield incident
    with django_db_blocker.unblock():
        lesson.delete()
        remove_incidents_of_type(kind)


def remove_incidents_of_type(kind) -> None:
    """The test's incident, with what its filing set off (alerts, tasks, the append-only
    history, which protects them: removed in bulk, as only a test may)."""
    from django.db.models import Q

    mine = Q(incident__type=kind) | Q(alert__incident__type=kind) | Q(task__incident__type=kind)
    IncidentHistory.objects.filter(mine).delete()
    ResponseTask.objects.filter(Q(incident__type=kind) | Q(alert__incident__type=kind)).delete()
    Alert.objects.filter(incident__type=kind).delete()
    Incident.objects.filter(type=kind).delete()
    kind.delete()


def open_every_popup(page) -> None:
    """Click each map marker (Leaflet inserts its popup's HTML when it opens)."""
    page.wait_for_timeout(500)
    markers = page.locator(".leaflet-marker-icon, path.leaflet-interactive")
    for i in range(min(markers.count(), 150)):
        try:
            markers.nth(i).click(timeout=500, force=True)
        except Exception:  # a marker under another, or out of view: the next one
            continue
    page.wait_for_timeout(300)


def test_stored_payloads_never_run(page, log_in, hostile_records):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in("analyst", "bluehelmet-analyst")
    pk = hostile_records.pk
    for path, shown in (
        ("/missions/UNAMSIL/incidents/", None),
        ("/missions/UNAMSIL/incidents/feed/", None),
        ("/missions/UNAMSIL/incidents/list/", "Exercise"),
        (f"/missions/UNAMSIL/incidents/{pk}/", "Exercise narrative"),
        ("/missions/UNAMSIL/", None),
        ("/missions/UNAMSIL/lessons/?q=hostile", "Hostile exercise lesson"),
    ):
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        open_every_popup(page)
        assert page.evaluate("window.__xss") is None, f"a stored payload ran on {path}"
        assert page.locator("img[src='x']").count() == 0, path
        if shown:
            expect(page.locator("body")).to_contain_text(shown)
    page.goto(f"/missions/UNAMSIL/incidents/{pk}/")
    expect(page.locator("body")).to_contain_text(SCRIPT)  # shown as text
    expect(page.locator("body")).to_contain_text("{{ 7|add:7 }}")  # never rendered as a template
    assert not dialogs, dialogs
