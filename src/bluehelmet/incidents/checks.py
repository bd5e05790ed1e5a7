"""What a new report goes through once it is stored, off the request: proposals of likely
duplicates and the mission's alert rules (with their alerts, history and notices).

Never lost: the report is stored with `checks_pending` set, in the same INSERT, so the work
to do is in the database as soon as the report is. After the commit, a job runs the checks
(`schedule`, through bluehelmet.jobs: a Celery worker, a thread of this process, or at once in
sync mode); the job clears the flag in the same transaction as the proposals and alerts it
writes. If the process dies after the commit and before the job has finished (a web worker
killed, the broker down, a worker killed mid-job), the flag stays set and the stale-job sweep
(bluehelmet.jobs.recover_stale_jobs: at every worker start and every few minutes in each web
process) runs the checks of every report still pending after a grace period. The claim (an
UPDATE conditional on the flag, in the job's transaction) makes a second delivery of the same
job, or a sweep racing the job, do nothing.

Run after the commit, the checks also see reports filed at the same moment by others: two
reports of the same clash sent together each see the other, which a check inside each
request's own transaction could not.
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from bluehelmet import jobs

from . import alerts, verification
from .models import Incident

logger = logging.getLogger(__name__)

# Reports pending longer than this are taken for lost by the sweep (their own job would
# have run by then); at most this many per sweep, the rest at the next one.
LOST_AFTER = timedelta(seconds=60)
SWEEP_BATCH = 200


def run(incident_id: int) -> bool:
    """The checks of one stored report, once: False when already done (or no such report)."""
    with transaction.atomic():
        if not Incident.objects.filter(pk=incident_id, checks_pending=True).update(checks_pending=False):
            return False
        incident = Incident.objects.select_related("mission", "type", "place").get(pk=incident_id)
        verification.propose_duplicates(incident)
        alerts.evaluate_incident(incident)
    return True


def schedule(incident_id: int) -> None:
    """Run the report's checks once it is committed: now, in sync mode (inside the caller's
    transaction, so stored with the report); otherwise as a job submitted after the commit."""
    from .tasks import run_report_checks

    if jobs.runs_at_once():
        run(incident_id)
    else:
        transaction.on_commit(partial(jobs.submit, run_report_checks, incident_id), robust=True)


def pending_ids(now=None) -> list[int]:
    """Reports whose checks should have run by now."""
    now = now or timezone.now()
    return list(
        Incident.objects.filter(checks_pending=True, reported_at__lt=now - LOST_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def run_pending(now=None) -> int:
    """Run the checks of every report left pending (a job lost with its process); returns
    how many ran."""
    done = 0
    for incident_id in pending_ids(now):
        done += run(incident_id)
    return done


def resubmit_pending() -> None:
    """The stale-job sweep's part (registered with bluehelmet.jobs): one job for every lost
    report's checks, when there are any."""
    from .tasks import run_lost_report_checks

    if pending_ids():
        logger.warning("incident reports left with their checks pending: running them again")
        jobs.submit(run_lost_report_checks)
