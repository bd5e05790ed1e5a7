"""Celery mode: a report filed with a broker configured gets its alert from a real worker,
fed through a real Redis broker, after the commit (incidents.checks).

Runs where a Redis server answers on 127.0.0.1:6379 (as on CI); the worker and the command
filing the report are separate processes sharing one SQLite file, as in a small deployment."""

import time

from tests.celery_worker import NEEDS_REDIS_ONCE, running_worker, shell

pytestmark = NEEDS_REDIS_ONCE

FILE_A_REPORT = """
import datetime, uuid
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from bluehelmet.core.models import Mission
from bluehelmet.incidents.models import AlertRule, Incident
from bluehelmet.incidents.reports import submit_report
from bluehelmet.incidents.taxonomy import seed_types
mission = Mission.objects.create(acronym="TESTMIS", name="Test mission")
seed_types(mission)
AlertRule.objects.create(mission=mission, name="Any casualty", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=1)
outcome = submit_report(AnonymousUser(), mission, {
    "client_id": str(uuid.uuid4()), "type": "armed-clash",
    "occurred_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
    "latitude": 8.5, "longitude": -11.5, "narrative": "Filed with a broker.",
}, sources=[{"kind": "witness", "reliability": "C", "credibility": 3}],
   casualties=[{"kind": "killed", "group": "civilian", "count": 2}])
assert outcome.ok, outcome.errors
print(outcome.incident.pk)
"""


def test_a_worker_runs_the_checks_and_the_alert_fires(tmp_path):
    with running_worker(tmp_path) as env:
        incident_id = shell(env, FILE_A_REPORT).splitlines()[-1]
        question = (
            "from bluehelmet.incidents.models import Alert, Incident\n"
            f"print(Incident.objects.get(pk={incident_id}).checks_pending, "
            f"Alert.objects.filter(incident_id={incident_id}).count())"
        )
        state = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and state != "False 1":
            time.sleep(1)
            state = shell(env, question)
        assert state == "False 1"
