"""Background jobs of this area (run through bluehelmet.jobs.submit)."""

import logging

from celery import shared_task
from django.utils import timezone

from bluehelmet.core.job_records import run_job
from bluehelmet.core.models import Mission
from bluehelmet.jobs import DATABASE_UNAVAILABLE, RETRY_ON_DATABASE_OUTAGE, JobKind

from .effects import compute_mission_effects
from .models import Indicator, Report
from .report import write_report_files
from .results import compute_indicator as compute_one_indicator
from .results import compute_mission_indicators

logger = logging.getLogger(__name__)

# Registered by PerformanceConfig.ready (stale-job recovery, bluehelmet.jobs): a report whose
# runner died is closed with the reason instead of staying "running".
JOB_KIND = JobKind("report", "performance.Report")


@shared_task
def compute_indicators(mission_id: int) -> dict:
    return compute_mission_indicators(Mission.objects.get(pk=mission_id))


@shared_task
def compute_indicator(indicator_id: int) -> int:
    return compute_one_indicator(Indicator.objects.get(pk=indicator_id))


@shared_task
def compute_effects(mission_id: int) -> list[str]:
    return [estimate.kind for estimate in compute_mission_effects(Mission.objects.get(pk=mission_id))]


@shared_task(**RETRY_ON_DATABASE_OUTAGE)
def generate_report(report_id: int) -> str:
    """Write the report's files; returns its final status. Safe to deliver twice (see
    bluehelmet.jobs): a finished report is left alone, one that a live process writes is left
    to it."""
    return run_job(Report, JOB_KIND.kind, report_id, _generate_report)


def _generate_report(report: Report) -> None:
    try:
        html_path, pdf_path = write_report_files(report)
    except DATABASE_UNAVAILABLE:
        raise  # tried again when the database is back
    except Exception as failure:  # the job must not stay "running"; the page shows the error
        logger.exception("report %s failed", report.pk)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, error=str(failure)[:2000], finished=timezone.now()
        )
        return
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.SUCCEEDED, html_path=str(html_path), pdf_path=str(pdf_path), finished=timezone.now()
    )
