"""A real Celery worker, fed through a real Redis broker, runs an uploaded import job.

Runs where a Redis server answers on 127.0.0.1:6379 (as on CI); the worker and the
commands are separate processes sharing one SQLite file, as in a small deployment.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

import bluehelmet

BIN = Path(sys.executable).parent
CONFLICT_MONTHS = Path(bluehelmet.__file__).parent / "data/cases/sierra_leone_conflict_month_1991_2002.csv"


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(not redis_answers(), reason="no Redis server on 127.0.0.1:6379"),
    # Its processes share their own SQLite file, whatever DATABASE_URL says: the PostgreSQL
    # pass of scripts/test.sh would run the same thing again.
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="runs on its own SQLite file: once, in the SQLite pass"
    ),
]


def shell(env, code: str) -> str:
    done = subprocess.run(
        [BIN / "bluehelmet", "shell", "--no-imports", "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_worker_runs_an_import_job(tmp_path):
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
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
