"""The background side of uploads: run one ImportJob and record how it went."""

import logging
import time

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from bluehelmet.core.job_records import run_job
from bluehelmet.jobs import DATABASE_UNAVAILABLE, RETRY_ON_DATABASE_OUTAGE, JobKind

from .base import ImportFailed
from .models import ImportJob
from .progress import write_progress
from .registry import run_import

logger = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.5  # seconds between progress writes


# Registered by ImportersConfig.ready (stale-job recovery, bluehelmet.jobs).
JOB_KIND = JobKind("import", "importers.ImportJob")


@shared_task(**RETRY_ON_DATABASE_OUTAGE)
def run_import_job(job_id: int) -> str:
    """Import the job's stored file. Options (mission, country) come from summary["options"],
    where the upload view puts them. Returns the final status. Safe to deliver twice (a
    worker killed mid-job, see bluehelmet.jobs): a finished job is left alone, one that a
    live process runs is left to it, and the import itself is all-or-nothing."""
    return run_job(ImportJob, JOB_KIND.kind, job_id, _run_import_job)


def _run_import_job(job: ImportJob) -> None:
    options = dict(job.summary.get("options", {}))
    # Which missions' administrators follow the job (importers.uploads): kept in the final summary.
    targets = {"missions": job.summary["missions"]} if "missions" in job.summary else {}
    last = {"at": 0.0}

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last["at"] >= PROGRESS_INTERVAL or done == total:
            last["at"] = now
            write_progress(job, done, total)

    try:
        summary = run_import(job.kind, job.stored_path, progress=progress, **options)
    except ImportFailed as failure:
        finish(
            job,
            ImportJob.Status.FAILED,
            {"options": options, **targets, "error_count": failure.total},
            failure.as_dicts(),
        )
    except DATABASE_UNAVAILABLE:
        raise  # tried again when the database is back (nothing was written: one transaction)
    except Exception as exc:  # a bug, a full disk...: the job must not stay "running"
        logger.exception("import job %s crashed", job.pk)
        reason = _("the import stopped unexpectedly: %(error)s") % {"error": exc}
        finish(job, ImportJob.Status.FAILED, {"options": options, **targets}, [], reason=reason)
    else:
        finish(
            job, ImportJob.Status.SUCCEEDED, {"options": options, **targets, **summary.as_dict()}, [], rows=summary.rows
        )


def finish(job: ImportJob, status: str, summary: dict, errors: list, rows: int | None = None, reason: str = "") -> None:
    """Record the outcome; `reason`: why a job stopped (not a refused file, whose rows say it)."""
    fields = {"status": status, "summary": summary, "errors": errors, "error": reason, "finished": timezone.now()}
    if rows is not None:
        fields.update(rows_done=rows, rows_total=rows)
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    write_progress(job, None, None)
