"""The allocation optimiser as a background job (bluehelmet.jobs.submit)."""

import logging

from celery import shared_task
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from bluehelmet.core.job_records import run_job
from bluehelmet.jobs import DATABASE_UNAVAILABLE, RETRY_ON_DATABASE_OUTAGE, JobKind, failure_fields

from .models import AllocationPlan
from .planning import plan_parameters, run_plan

logger = logging.getLogger(__name__)


# Registered by ForcesConfig.ready (stale-job recovery, bluehelmet.jobs).
JOB_KIND = JobKind("allocation", "forces.AllocationPlan")


@shared_task(**RETRY_ON_DATABASE_OUTAGE)
def run_allocation_plan(plan_id: int) -> str:
    """Solve a queued plan as the user who asked for it (their view of the data). Returns
    the final status; a crash marks the run failed with the reason, never leaves it running.
    Delivered twice (a worker killed mid-run, see bluehelmet.jobs): a finished plan is left
    alone, one that a live process runs is left to it; run_plan is atomic."""
    return run_job(AllocationPlan, JOB_KIND.kind, plan_id, _run_allocation_plan)


def _run_allocation_plan(record: AllocationPlan) -> None:
    try:
        run_plan(record.actor or AnonymousUser(), record.mission, plan_parameters(record.parameters), record=record)
    except DATABASE_UNAVAILABLE:
        raise  # tried again when the database is back (run_plan is atomic)
    except Exception as exc:  # the page must learn why, and the run must not stay "running"
        logger.exception("allocation plan %s failed", record.pk)
        reason = _("The optimiser stopped unexpectedly: %(subject)s") % {
            "subject": str(exc)[:300] or exc.__class__.__name__
        }
        AllocationPlan.objects.filter(pk=record.pk).update(
            status=AllocationPlan.Status.FAILED, **failure_fields(reason)
        )
