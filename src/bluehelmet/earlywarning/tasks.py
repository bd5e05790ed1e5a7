"""Background side of forecast runs."""

from celery import shared_task
from django.utils import timezone

from bluehelmet.jobs import RETRY_ON_DATABASE_OUTAGE, JobKind


def _forecast_failure(reason: str) -> dict:
    return {"error": reason, "finished": timezone.now()}


# Registered by EarlyWarningConfig.ready (stale-job recovery, bluehelmet.jobs).
JOB_KIND = JobKind("forecast", "earlywarning.ForecastRun", "running", "failed", "started", _forecast_failure)


@shared_task(**RETRY_ON_DATABASE_OUTAGE)
def run_forecast_job(run_id: int) -> str:
    """Compute and store one queued forecast run; returns its final status. Safe to deliver
    twice (see bluehelmet.jobs): a finished run is left alone, one that a live process runs
    is left to it, and the result is stored all at once."""
    from bluehelmet.jobs import forget_job_lock, job_lock

    from .models import ForecastRun
    from .runs import execute_run

    with job_lock("forecast", run_id) as mine:
        run = ForecastRun.objects.get(pk=run_id)
        if not mine or run.is_finished:
            return run.status
        status = execute_run(run_id).status
    forget_job_lock("forecast", run_id)
    return status
