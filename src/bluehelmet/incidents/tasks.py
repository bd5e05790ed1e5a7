"""Background jobs of this area (run through bluehelmet.jobs.submit): a new report's
duplicate check and alert rules (incidents.checks)."""

from celery import shared_task

from bluehelmet.jobs import RETRY_ON_DATABASE_OUTAGE

from . import checks


@shared_task(**RETRY_ON_DATABASE_OUTAGE)
def run_report_checks(incident_id: int) -> bool:
    """A stored report's checks; delivered twice, the second finds them done."""
    return checks.run(incident_id)


@shared_task(**RETRY_ON_DATABASE_OUTAGE)
def run_lost_report_checks() -> int:
    """The checks of reports whose own job was lost (see incidents.checks)."""
    return checks.run_pending()


@shared_task(**RETRY_ON_DATABASE_OUTAGE)
def escalate_overdue_tasks_task() -> int:
    """Escalate the overdue open response tasks (incidents.escalation); run by Celery beat and
    by the stale-job sweep. Returns how many were escalated."""
    from .escalation import escalate_overdue_tasks

    return len(escalate_overdue_tasks())
