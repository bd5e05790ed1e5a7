"""Escalation of overdue response tasks: a task still open past its due time is marked
`escalated_at`, once, and whoever must push it is told: its creator and the mission's
administrators.

- In the app: the inbox (incidents/inbox.py) shows escalated tasks, first, to the task's
  assignee and team, its creator and the mission's administrators.
- By e-mail: to those of them with an address who may see the task (its label), through
  incidents.notifiers, like alerts.

When it runs (see docs/deployment.md, "Workers and restarts"):
- with Celery beat, every five minutes (CELERY_BEAT_SCHEDULE "escalate-overdue-tasks");
- in every case, with the stale-job sweep (`register_lost_work_sweep` in apps.py): each web
  process, at its first request and then every few minutes, and each Celery worker at start
  submit the job when an overdue task waits; so the embedded mode (no Celery) needs nothing;
- by hand or from cron: `bluehelmet escalate_tasks`.
Running it twice, or in two processes at once, escalates a task once: the mark is a
conditional UPDATE (escalated_at IS NULL), and only the process that set it tells people.
"""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bluehelmet import jobs
from bluehelmet.core.models import Membership, Role

from . import history, labels, notifiers
from .models import ResponseTask

logger = logging.getLogger(__name__)


def overdue(now=None) -> QuerySet[ResponseTask]:
    """Open tasks past their due time not escalated yet."""
    return ResponseTask.objects.filter(
        status__in=ResponseTask.OPEN_STATUSES, due_at__lt=now or timezone.now(), escalated_at__isnull=True
    )


def escalate_overdue_tasks(now=None, mission=None) -> list[ResponseTask]:
    """Escalate every overdue open task (of `mission`, when given) once; returns those this
    call escalated."""
    now = now or timezone.now()
    escalated = []
    tasks = overdue(now) if mission is None else overdue(now).filter(mission=mission)
    for task in tasks.select_related("mission", "created_by", "team", "assignee"):
        with transaction.atomic():
            # Conditional: a concurrent run that got there first leaves nothing to update.
            if not ResponseTask.objects.filter(pk=task.pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            task.escalated_at = now
            history.record(
                None,
                "task escalated",
                incident=task.incident,
                alert=task.alert,
                task=task,
                after={"task": task.pk, "escalated_at": now, "due_at": task.due_at},
            )
            transaction.on_commit(lambda task=task: tell_escalation(task))
        escalated.append(task)
    if escalated:
        logger.info("escalated %d overdue response tasks", len(escalated))
    return escalated


def escalation_recipients(task: ResponseTask) -> list:
    """The task's creator and the mission's administrators who may see the task."""
    admins = Membership.objects.filter(mission_id=task.mission_id, role=Role.ADMINISTRATOR).values("user")
    users = get_user_model().objects.filter(Q(pk__in=admins) | Q(pk=task.created_by_id), is_active=True)
    return [user for user in users if labels.visible_tasks(user, task.mission).filter(pk=task.pk).exists()]


def tell_escalation(task: ResponseTask) -> int:
    """E-mail the recipients with an address; returns how many were sent."""
    path = reverse("incidents:task", args=[task.mission.acronym, task.pk])
    subject = _("[%(mission)s] Overdue response task: %(title)s") % {
        "mission": task.mission.acronym,
        "title": task.title,
    }
    body = _("The task was due %(due)s and is still %(status)s. Assigned to: %(who)s.") % {
        "due": timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M"),
        "status": task.get_status_display().lower(),
        "who": task.assigned_to or "—",
    }
    sent = 0
    for user in escalation_recipients(task):
        if user.email:
            sent += notifiers.send_alert_email(user.email, subject, f"{body}\n\n{path}")
    return sent


def submit_if_overdue() -> None:
    """The stale-job sweep's part (registered with bluehelmet.jobs): one escalation job when an
    overdue task waits (one cheap query otherwise)."""
    from .tasks import escalate_overdue_tasks_task

    if overdue().exists():
        jobs.submit(escalate_overdue_tasks_task)
