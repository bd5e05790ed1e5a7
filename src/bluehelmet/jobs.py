"""Run a long job without making the page wait for it, and never lose one.

With CELERY_BROKER_URL set, jobs go to Celery workers. Otherwise they run in this process:
on a daemon thread (the page returns at once), or right away when BLUEHELMET_JOBS_SYNC is
set (tests).

Resilience (see docs/deployment.md, "Workers and restarts"):
- Celery acknowledges a job only when it has finished (settings: acks late, reject on worker
  lost), so the broker hands a job whose worker was killed to another worker.
- A job runs under `job_lock(kind, pk)`, an exclusive lock on a file that the operating
  system releases when the process dies. A second delivery of a job that a live process on
  this machine is still running gives way; one whose runner died takes over. Every job task
  skips a record that has already finished, and the jobs themselves write all-or-nothing, so
  running a job again is harmless.
- Every app registers its kinds of job (`register_job_kind`, in AppConfig.ready) with the
  model that keeps their state; each job task runs under `job_lock(kind, pk)`.
- Work kept as a flag on its records (a new report's checks, incidents/checks.py) is submitted
  again by the sweeps registered with `register_lost_work_sweep`, run by `recover_stale_jobs`.
- `recover_stale_jobs()` finds records of every registered kind left "running" by a dead runner: in-process jobs whose
  lock is free (the server restarted under them), and any job running longer than
  BLUEHELMET_JOB_TIMEOUT. It marks them failed with the reason (the user can start them
  again). It runs when a Celery worker starts and, in each web process, on its first request
  and then every few minutes (core/resilience.py).
"""

import contextlib
import errno
import fcntl
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

logger = logging.getLogger(__name__)

# The database went away (a restart, a failover, a dropped link): not the job's fault. Job
# tasks re-raise these instead of recording a failure, and Celery tries the job again later.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Options for every job task: retry on a database outage, with backoff, for about 10 minutes.
RETRY_ON_DATABASE_OUTAGE = {
    "autoretry_for": DATABASE_UNAVAILABLE,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 15,
}


def submit(task, *args) -> None:
    if settings.CELERY_BROKER_URL:
        task.delay(*args)
    elif settings.BLUEHELMET_JOBS_SYNC:
        task.apply(args=args)
    else:
        threading.Thread(target=_run_in_thread, args=(task, args), daemon=True, name=f"job-{task.name}").start()


def runs_at_once() -> bool:
    """Whether `submit` runs a job right where it is asked for (sync mode, no broker)."""
    return not settings.CELERY_BROKER_URL and bool(settings.BLUEHELMET_JOBS_SYNC)


def _run_in_thread(task, args) -> None:
    try:
        task.apply(args=args)
    finally:
        # The thread opened its own database connections; nobody else will close them.
        connections.close_all()


# --- Job locks and stale jobs ------------------------------------------------------------


def _lock_path(kind: str, pk) -> Path:
    directory = Path(settings.JOB_LOCK_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{kind}-{int(pk)}.lock"


@contextlib.contextmanager
def job_lock(kind: str, pk):
    """Yield True while this process holds the job's lock, False when a live process on this
    machine holds it (this delivery must give way). The lock dies with its process."""
    handle = open(_lock_path(kind, pk), "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as busy:
            if busy.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def forget_job_lock(kind: str, pk) -> None:
    """Remove a finished job's lock file (a later delivery sees the finished record and
    skips it, so the lock is no longer needed)."""
    _lock_path(kind, pk).unlink(missing_ok=True)


def runner_alive(kind: str, pk) -> bool:
    """Whether a live process on this machine holds the job's lock."""
    path = _lock_path(kind, pk)
    if not path.exists():
        return False
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


# A job that started less than this long ago is never taken for stale.
STARTUP_GRACE = timedelta(seconds=60)


def failure_fields(reason: str) -> dict:
    """What every job record (core.job_records.JobRecord) stores with its failed status."""
    return {"error": reason, "finished": timezone.now()}


@dataclass(frozen=True)
class JobKind:
    """Where a kind of job keeps its state: the model (a core.job_records.JobRecord), its
    "running" and "failed" statuses, the field that dates the run, and what to store with a
    failure (by default the reason in `error` and the time in `finished`)."""

    kind: str
    model: str  # "app_label.Model"
    running: str = "running"
    failed: str = "failed"
    # The field dating the run; with two, the first that is set (a job marked running before
    # its runner stamped `started` is dated by its request).
    since_field: str | tuple[str, ...] = ("started", "created")
    fail_fields: Callable[[str], dict] = failure_fields  # reason -> {field: value}

    def model_class(self):
        return apps.get_model(self.model)


_job_kinds: list[JobKind] = []


def register_job_kind(job: JobKind) -> JobKind:
    """Put a kind of job under stale-job recovery. Each app registers the kinds it runs in
    its AppConfig.ready (this module imports no app); a kind name is registered once."""
    if job in _job_kinds:
        return job
    if any(known.kind == job.kind for known in _job_kinds):
        raise ValueError(f"job kind {job.kind!r} is already registered")
    _job_kinds.append(job)
    return job


def job_kinds() -> list[JobKind]:
    return list(_job_kinds)


# Work left pending by a runner that died and kept as a flag on its records rather than as a
# job record (a new report's checks): each app registers a callable that submits it again.
_lost_work_sweeps: list[Callable[[], None]] = []


def register_lost_work_sweep(sweep: Callable[[], None]) -> None:
    """Run `sweep` with every stale-job recovery (in AppConfig.ready; registered once)."""
    if sweep not in _lost_work_sweeps:
        _lost_work_sweeps.append(sweep)


def recover_stale_jobs(now=None) -> list[tuple[str, int, str]]:
    """Mark failed, with the reason, every job left "running" by a runner that is gone.
    Returns (kind, id, reason) for each. Safe to run at any time, from any process."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    timeout = timedelta(seconds=settings.BLUEHELMET_JOB_TIMEOUT)
    in_process = not settings.CELERY_BROKER_URL
    recovered = []
    for job in job_kinds():
        model = job.model_class()
        fields = (job.since_field,) if isinstance(job.since_field, str) else job.since_field
        since_of = Coalesce(*fields) if len(fields) > 1 else F(fields[0])
        running = model.objects.filter(status=job.running).annotate(since=since_of)
        for pk, since in running.values_list("pk", "since"):
            if runner_alive(job.kind, pk):
                continue
            if in_process:
                if since is not None and since > now - STARTUP_GRACE:
                    continue  # just handed to its runner (a record made running outside a task)
                # No broker will hand the job to anyone else: its runner (a thread of a web
                # process that has since stopped) is gone for good.
                reason = _(
                    "The job stopped before it finished (the server restarted or lost its database); start it again."
                )
            elif since is not None and since < now - timeout:
                reason = _("The job did not finish within %(minutes)d minutes and was stopped; start it again.") % {
                    "minutes": settings.BLUEHELMET_JOB_TIMEOUT // 60
                }
            else:
                continue  # a Celery worker elsewhere may be running it; the broker redelivers it if not
            # Conditional on the status, so a run that finished meanwhile is left alone.
            if model.objects.filter(pk=pk, status=job.running).update(status=job.failed, **job.fail_fields(reason)):
                logger.warning("%s job %s left running: %s", job.kind, pk, reason)
                recovered.append((job.kind, pk, reason))
    for sweep in _lost_work_sweeps:
        sweep()
    return recovered
