"""Background side of forecast runs."""

from celery import shared_task

from bluehelmet.jobs import RETRY_ON_DATABASE_OUTAGE, JobKind

# Registered by EarlyWarningConfig.ready (stale-job recovery, bluehelmet.jobs).
JOB_KIND = JobKind("forecast", "earlywarning.ForecastRun")


@shared_task(**RETRY_ON_DATABASE_OUTAGE)
def run_forecast_job(run_id: int) -> str:
    """Compute and store one queued forecast run; returns its final status. Safe to deliver
    twice (see bluehelmet.jobs): a finished run is left alone, one that a live process runs
    is left to it, and the result is stored all at once."""
    from bluehelmet.core.job_records import run_job

    from .models import ForecastRun
    from .runs import execute_run

    return run_job(ForecastRun, JOB_KIND.kind, run_id, lambda run: execute_run(run.pk))
