"""Rapid response: tasks created from an alert or an incident, worked and closed."""

from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from bluehelmet.core.models import Mission, Team

from . import history, labels
from .models import SEVERITY_RANK, Alert, Incident, ResponseTask

CLOSED_STATUSES = (ResponseTask.Status.DONE, ResponseTask.Status.CANCELLED)


class TaskStateError(ValueError):
    pass


def create_task(
    user,
    mission: Mission,
    *,
    title: str,
    due_at,
    assignee=None,
    team: Team | None = None,
    alert: Alert | None = None,
    incident: Incident | None = None,
) -> ResponseTask:
    if team is not None and team.mission_id != mission.pk:
        raise ValueError("a task is assigned to a team of its own mission")
    if incident is None and alert is not None:
        incident = alert.incident
    with transaction.atomic():
        task = ResponseTask(
            mission=mission,
            alert=alert,
            incident=incident,
            title=title,
            assignee=assignee,
            team=team,
            due_at=due_at,
            created_by=user,
        )
        task.sensitivity = labels.task_label(task)  # the strictest of its alert and incident
        task.save()
        history.record(
            user,
            "task created",
            incident=incident,
            alert=alert,
            task=task,
            after={
                "task": task.pk,
                "title": title,
                "assigned_to": task.assigned_to,
                "due_at": due_at,
                "status": task.status,
            },
        )
    return task


def update_task(task: ResponseTask, user, *, status: str, outcome: str = "", reason: str = "") -> ResponseTask:
    """Move a task on. Work starts at the first move to in progress or done (the time to
    respond ends there); done and cancelled close it, done with an outcome."""
    if task.status in CLOSED_STATUSES:
        raise TaskStateError(_("This task is closed."))
    if status == ResponseTask.Status.DONE and not (outcome or task.outcome).strip():
        raise TaskStateError(_("Say what the outcome was."))
    with transaction.atomic():
        before = {"status": task.status, "outcome": task.outcome}
        now = timezone.now()
        task.status = status
        if outcome:
            task.outcome = outcome
        if status in (ResponseTask.Status.IN_PROGRESS, ResponseTask.Status.DONE) and task.started_at is None:
            task.started_at = now
        if status in CLOSED_STATUSES:
            task.closed_at = now
        task.save(update_fields=["status", "outcome", "started_at", "closed_at"])
        after = {"status": task.status, "outcome": task.outcome, "task": task.pk}
        history.record(
            user,
            "task updated",
            incident=task.incident,
            alert=task.alert,
            task=task,
            before=before,
            after=after,
            reason=reason,
        )
    return task


def open_tasks_by_urgency(mission: Mission) -> QuerySet[ResponseTask]:
    """Open and running tasks: the most severe alerts first, then the earliest due."""
    severity = Case(
        *(When(alert__severity=s, then=Value(-rank)) for s, rank in SEVERITY_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        ResponseTask.objects.filter(mission=mission, status__in=ResponseTask.OPEN_STATUSES)
        .select_related("alert", "incident", "incident__type", "assignee", "team")
        .annotate(urgency=severity)
        .order_by("due_at", "urgency", "id")
    )
