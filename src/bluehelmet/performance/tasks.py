"""Background jobs of this area (run through bluehelmet.jobs.submit)."""

import logging

from celery import shared_task
from django.utils import timezone

from bluehelmet.core.models import Mission

from .effects import compute_mission_effects
from .models import Indicator, Report
from .report import write_report_files
from .results import compute_indicator as compute_one_indicator
from .results import compute_mission_indicators

logger = logging.getLogger(__name__)


@shared_task
def compute_indicators(mission_id: int) -> dict:
    return compute_mission_indicators(Mission.objects.get(pk=mission_id))


@shared_task
def compute_indicator(indicator_id: int) -> int:
    return compute_one_indicator(Indicator.objects.get(pk=indicator_id))


@shared_task
def compute_all_indicators() -> int:
    """For a periodic schedule (Celery beat or cron): every mission's formula indicators."""
    missions = Mission.objects.filter(objectives__isnull=False).distinct()
    for mission in missions:
        compute_mission_indicators(mission)
    return missions.count()


@shared_task
def compute_effects(mission_id: int) -> list[str]:
    return [estimate.kind for estimate in compute_mission_effects(Mission.objects.get(pk=mission_id))]


@shared_task
def generate_report(report_id: int) -> str:
    report = Report.objects.select_related("mission", "created_by").get(pk=report_id)
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING)
    try:
        html_path, pdf_path = write_report_files(report)
    except Exception as failure:  # the job must not stay "running"; the page shows the error
        logger.exception("report %s failed", report.pk)
        Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED, error=str(failure)[:2000], finished=timezone.now())
        return Report.Status.FAILED
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.SUCCEEDED, html_path=str(html_path), pdf_path=str(pdf_path), finished=timezone.now()
    )
    return Report.Status.SUCCEEDED
