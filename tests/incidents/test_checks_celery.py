"""Celery mode: a report filed with a broker configured gets its alert from a real worker,
fed through a real Redis broker, after the commit (incidents.checks).

Runs where a Redis server answers on 127.0.0.1:6379 (as on CI); the worker and the command
filing the report are separate processes sharing one SQLite file, as in a small deployment."""

import os
import subprocess
import time
import uuid

import pytest

from tests.test_celery_worker import BIN, redis_answers, shell

pytestmark = [
    pytest.mark.skipif(not redis_answers(), reason="no Redis server on 127.0.0.1:6379"),
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="runs on its own SQLite file: once, in the SQLite pass"
    ),
]

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
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BLUEHELMET_JOBS_SYNC")}
    env.update(
        BLUEHELMET_HOME=str(tmp_path),
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        BLUEHELMET_CELERY_QUEUE=f"test-{uuid.uuid4().hex}",  # no other worker takes our job
    )
    subprocess.run([BIN / "bluehelmet", "migrate", "-v0"], env=env, check=True, timeout=120)
    worker = subprocess.Popen(
        [BIN / "celery", "-A", "bluehelmet", "worker", "--pool=solo", "--loglevel=WARNING"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
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
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
