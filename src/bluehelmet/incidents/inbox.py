"""What the incidents area puts in a user's inbox (core/inbox.py):

- alerts of the rules they follow, not read yet (their in-app notices);
- open response tasks for them or a team they belong to, and overdue tasks escalated to them
  (they created the task, or administer its mission), escalated ones first;
- for those who verify (incidents.analyse), the reports awaiting verification.

Every filter is built from the user's accesses (`gated`): a record shows only in the missions
where the role has the capability, and only with a label the role admits (alerts and tasks
carry the strictest label of their incidents), so a reporter never sees a RED task, even one
assigned to them, and a partner sees none of these.
"""

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.inbox import InboxItem, gated, queryset_source, register
from bluehelmet.core.models import Role, Team

from .models import Incident, Notification, ResponseTask

# --- alerts of the rules the user follows ---------------------------------------------------


def _unread_alerts(user, accesses):
    scope = gated(accesses, "incidents.report", mission_field="alert__mission", label_field="alert__sensitivity")
    if scope is None:
        return None
    return (
        Notification.objects.filter(scope, user=user, read_at__isnull=True)
        .select_related("alert", "alert__mission", "alert__rule")
        .order_by("-created_at", "-pk")
    )


def _alert_item(notice: Notification) -> InboxItem:
    alert = notice.alert
    return InboxItem(
        mission_acronym=alert.mission.acronym,
        title=alert.title,
        url=reverse("incidents:alert", args=[alert.mission.acronym, alert.pk]),
        when=notice.created_at,
        what=f"{alert.get_severity_display()} · {alert.rule.name} · {alert.get_status_display()}",
        sensitivity=alert.sensitivity,
    )


# --- response tasks -------------------------------------------------------------------------


def _my_tasks(user, accesses):
    scope = gated(accesses, "incidents.report")
    if scope is None:
        return None
    administered = [access.mission.pk for access in accesses if access.role == Role.ADMINISTRATOR]
    mine = (
        Q(assignee=user)
        | Q(team__in=Team.objects.filter(members=user).values("pk"))
        | Q(escalated_at__isnull=False, created_by=user)
        | Q(escalated_at__isnull=False, mission__in=administered)
    )
    return (
        ResponseTask.objects.filter(scope, mine, status__in=ResponseTask.OPEN_STATUSES)
        .select_related("mission", "assignee", "team")
        .order_by(F("escalated_at").asc(nulls_last=True), "due_at", "pk")
    )


def _task_item(task: ResponseTask) -> InboxItem:
    now = timezone.now()
    return InboxItem(
        mission_acronym=task.mission.acronym,
        title=task.title,
        url=reverse("incidents:task", args=[task.mission.acronym, task.pk]),
        when=task.created_at,
        what=f"{task.get_status_display()} · {task.assigned_to}",
        due=task.due_at,
        overdue=task.due_at < now,
        sensitivity=task.sensitivity,
        escalated=task.escalated_at is not None,
    )


# --- reports awaiting verification ------------------------------------------------------------

AWAITING_VERIFICATION = (Incident.Status.REPORTED, Incident.Status.UNDER_VERIFICATION)


def _awaiting_verification(user, accesses):
    scope = gated(accesses, "incidents.analyse")
    if scope is None:
        return None
    return (
        Incident.objects.filter(scope, status__in=AWAITING_VERIFICATION, merged_into__isnull=True)
        .select_related("mission", "type")
        .order_by("reported_at", "pk")  # the longest waiting first
    )


def _incident_item(incident: Incident) -> InboxItem:
    return InboxItem(
        mission_acronym=incident.mission.acronym,
        title=f"#{incident.pk} {incident.type.name if incident.type_id else ''}".strip(),
        url=reverse("incidents:detail", args=[incident.mission.acronym, incident.pk]),
        when=incident.reported_at,
        what=f"{incident.get_status_display()} · {incident.location_description or ''}".strip(" ·"),
        sensitivity=incident.sensitivity,
    )


register(queryset_source("incidents.alerts", _("Alerts of the rules I follow"), _unread_alerts, _alert_item))
register(queryset_source("incidents.tasks", _("Tasks for me or my team"), _my_tasks, _task_item))
register(
    queryset_source(
        "incidents.verification", _("Reports awaiting verification"), _awaiting_verification, _incident_item
    )
)
