"""A real Celery worker, fed through a real Redis broker, is killed (SIGKILL, the whole worker)
in the middle of an import job; a new worker picks the job up and finishes it, once.

Runs where a Redis server answers on 127.0.0.1:6379 (as on CI). To kill the worker reliably
while it is inside the job, the test holds the SQLite write lock: the job has started (it
holds its job lock) and waits to write its status when the worker dies.
"""

import os
import signal
import sqlite3
import subprocess
import time
import uuid

from tests.celery_worker import BIN, NEEDS_REDIS_ONCE, shell
from tests.test_celery_worker import CONFLICT_MONTHS

pytestmark = NEEDS_REDIS_ONCE


def start_worker(env) -> subprocess.Popen:
    # Its own process group, so the kill takes the pool's child processes too.
    return subprocess.Popen(
        [BIN / "celery", "-A", "bluehelmet", "worker", "--concurrency=1", "--loglevel=WARNING"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def job_lock_held(home, job_id) -> bool:
    import fcntl

    path = home / "jobs" / f"import-{job_id}.lock"
    if not path.exists():
        return False
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def status_of(database, job_id) -> str:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute("SELECT status FROM importers_importjob WHERE id = ?", (job_id,)).fetchone()[0]


def test_a_job_of_a_killed_worker_is_redelivered_and_finishes(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BLUEHELMET_JOBS_SYNC")}
    env.update(
        BLUEHELMET_HOME=str(tmp_path),
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        BLUEHELMET_CELERY_QUEUE=f"test-{uuid.uuid4().hex}",
        BLUEHELMET_CELERY_VISIBILITY_TIMEOUT="5",  # Redis hands the job out again after 5 s
    )
    subprocess.run([BIN / "bluehelmet", "migrate", "-v0"], env=env, check=True, timeout=180)
    database = tmp_path / "bluehelmet.sqlite3"
    first = start_worker(env)
    second = None
    blocker = sqlite3.connect(database, timeout=30, isolation_level=None)
    try:
        job_id = int(
            shell(
                env,
                (
                    "from bluehelmet.importers.models import ImportJob\n"
                    f"job = ImportJob.objects.create(kind='conflict-months', file_name='cm.csv', stored_path={str(CONFLICT_MONTHS)!r})\n"
                    "print(job.pk)"
                ),
            )
        )
        blocker.execute("BEGIN IMMEDIATE")  # nobody else writes until we say so
        shell(
            env,
            "from bluehelmet.importers.tasks import run_import_job\nfrom bluehelmet.jobs import submit\n"
            f"submit(run_import_job, {job_id})",
        )
        deadline = time.monotonic() + 90
        while not job_lock_held(tmp_path, job_id) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert job_lock_held(tmp_path, job_id), "the worker never started the job"
        os.killpg(first.pid, signal.SIGKILL)  # the whole worker, in the middle of the job
        first.wait(timeout=30)
        # The pool processes die with the worker's main process, but the kernel may take a
        # moment to reap them and close their files (the lock goes with them).
        deadline = time.monotonic() + 15
        while job_lock_held(tmp_path, job_id) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not job_lock_held(tmp_path, job_id)  # the job lock died with the worker
        blocker.execute("ROLLBACK")
        assert status_of(database, job_id) == "queued"  # the killed run wrote nothing

        second = start_worker(env)
        deadline, status = time.monotonic() + 120, ""
        while time.monotonic() < deadline and status not in ("succeeded", "failed"):
            time.sleep(1)
            status = status_of(database, job_id)
        assert status == "succeeded"
        with sqlite3.connect(database) as connection:
            assert connection.execute("SELECT COUNT(*) FROM incidents_conflictmonth").fetchone()[0] == 144
    finally:
        blocker.close()
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
    output = second.communicate(timeout=30)[0] if second is not None else ""
    assert "Traceback" not in output, output
