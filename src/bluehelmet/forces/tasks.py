"""The allocation optimiser as a background job (bluehelmet.jobs.submit)."""

import logging

from celery import shared_task
from django.contrib.auth.models import AnonymousUser

from bluehelmet.jobs import DATABASE_UNAVAILABLE, RETRY_ON_DATABASE_OUTAGE, JobKind, forget_job_lock, job_lock

from .models import AllocationPlan
from .planning import plan_parameters, run_plan

logger = logging.getLogger(__name__)


def _plan_failure(reason: str) -> dict:
    return {"problems": [{"constraint": "run", "subject": reason, "shortfall": 0, "reason": "crashed"}]}


# Registered by ForcesConfig.ready (stale-job recovery, bluehelmet.jobs).
JOB_KIND = JobKind("allocation", "forces.AllocationPlan", "running", "failed", "created_at", _plan_failure)


@shared_task(**RETRY_ON_DATABASE_OUTAGE)
def run_allocation_plan(plan_id: int) -> str:
    """Solve a queued plan as the user who asked for it (their view of the data). Returns
    the final status; a crash marks the run failed with the reason, never leaves it running."""
    with job_lock("allocation", plan_id) as mine:
        # Delivered twice (a worker killed mid-run, see bluehelmet.jobs): a finished plan is
        # left alone, one that a live process runs is left to it; run_plan is atomic.
        status = AllocationPlan.objects.values_list("status", flat=True).get(pk=plan_id)
        if not mine or status not in AllocationPlan.PENDING:
            return status
        status = _run_allocation_plan(plan_id)
    forget_job_lock("allocation", plan_id)
    return status


def _run_allocation_plan(plan_id: int) -> str:
    record = AllocationPlan.objects.select_related("mission", "created_by").get(pk=plan_id)
    AllocationPlan.objects.filter(pk=plan_id).update(status=AllocationPlan.Status.RUNNING)
    record.status = AllocationPlan.Status.RUNNING
    try:
        run_plan(
            record.created_by or AnonymousUser(), record.mission, plan_parameters(record.parameters), record=record
        )
    except DATABASE_UNAVAILABLE:
        raise  # tried again when the database is back (run_plan is atomic)
    except Exception as exc:  # the page must learn why, and the run must not stay "running"
        logger.exception("allocation plan %s failed", plan_id)
        failure = {
            "constraint": "run",
            "subject": str(exc)[:300] or exc.__class__.__name__,
            "shortfall": 0,
            "reason": "crashed",
        }
        AllocationPlan.objects.filter(pk=plan_id).update(status=AllocationPlan.Status.FAILED, problems=[failure])
    return AllocationPlan.objects.values_list("status", flat=True).get(pk=plan_id)
