"""A real Celery worker, fed through a real Redis broker, runs an uploaded import job
(tests/celery_worker.py)."""

import time
from pathlib import Path

import bluehelmet
from tests.celery_worker import NEEDS_REDIS_ONCE, running_worker, shell

pytestmark = NEEDS_REDIS_ONCE

CONFLICT_MONTHS = Path(bluehelmet.__file__).parent / "data/cases/sierra_leone_conflict_month_1991_2002.csv"


def test_worker_runs_an_import_job(tmp_path):
    with running_worker(tmp_path) as env:
        job_id = shell(
            env,
            (
                "from bluehelmet.importers.models import ImportJob\n"
                "from bluehelmet.importers.tasks import run_import_job\n"
                "from bluehelmet.jobs import submit\n"
                f"job = ImportJob.objects.create(kind='conflict-months', file_name='cm.csv', stored_path={str(CONFLICT_MONTHS)!r})\n"
                "submit(run_import_job, job.pk)\n"
                "print(job.pk)"
            ),
        )
        status = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and status not in ("succeeded", "failed"):
            time.sleep(1)
            status = shell(
                env,
                f"from bluehelmet.importers.models import ImportJob; print(ImportJob.objects.get(pk={job_id}).status)",
            )
        assert status == "succeeded"
        rows = shell(env, "from bluehelmet.datasets.models import ConflictMonth; print(ConflictMonth.objects.count())")
        assert rows == "144"
