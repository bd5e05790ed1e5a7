"""Background jobs of this area (run through bluehelmet.jobs.submit)."""

import logging

from celery import shared_task
from django.utils import timezone

from bluehelmet.core.models import Mission
from bluehelmet.jobs import DATABASE_UNAVAILABLE, RETRY_ON_DATABASE_OUTAGE, JobKind, forget_job_lock, job_lock

from .effects import compute_mission_effects
from .models import Indicator, Report
from .report import write_report_files
from .results import compute_indicator as compute_one_indicator
from .results import compute_mission_indicators

logger = logging.getLogger(__name__)
FINISHED = (Report.Status.SUCCEEDED, Report.Status.FAILED)


def _report_failure(reason: str) -> dict:
    return {"error": reason, "finished": timezone.now()}


# Registered by PerformanceConfig.ready (stale-job recovery, bluehelmet.jobs): a report whose
# runner died is closed with the reason instead of staying "running".
JOB_KIND = JobKind("report", "performance.Report", "running", "failed", "created", _report_failure)


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
    with job_lock("report", report_id) as mine:
        status = Report.objects.values_list("status", flat=True).get(pk=report_id)
        if not mine or status in FINISHED:
            return status
        status = _generate_report(report_id)
    forget_job_lock("report", report_id)
    return status


def _generate_report(report_id: int) -> str:
    report = Report.objects.select_related("mission", "created_by").get(pk=report_id)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING)
    try:
        html_path, pdf_path = write_report_files(report)
    except DATABASE_UNAVAILABLE:
        raise  # tried again when the database is back
    except Exception as failure:  # the job must not stay "running"; the page shows the error
        logger.exception("report %s failed", report.pk)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, error=str(failure)[:2000], finished=timezone.now()
        )
        return Report.Status.FAILED
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.SUCCEEDED, html_path=str(html_path), pdf_path=str(pdf_path), finished=timezone.now()
    )
    return Report.Status.SUCCEEDED
