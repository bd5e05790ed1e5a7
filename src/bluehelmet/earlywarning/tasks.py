"""Background side of forecast runs."""

from celery import shared_task


@shared_task
def run_forecast_job(run_id: int) -> str:
    """Compute and store one queued forecast run; returns its final status."""
    from .runs import execute_run

    return execute_run(run_id).status
