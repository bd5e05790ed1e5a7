"""Labels of derived records: an alert and a response task tell what their incidents say (an
alert's title and message name the type, casualties and place), so each carries the strictest
TLP label of what it derives from, and is shown only to those who may see that label.

Rules:
- an alert's label is the strictest of its triggering incident and its member incidents
  (AMBER, mission staff, when it has none: a risk alert);
- a task's label is the strictest of its alert and its incident (AMBER when it has neither);
- both are recomputed whenever a source incident is saved (a new label, a merge), see
  `relabel_derived`, connected to Incident's post_save in IncidentsConfig.ready;
- alerts and tasks are staff records: partners never see them, whatever the label; the other
  roles see those whose label their role admits (core.sensitivity.VISIBLE_TO).
"""

from django.db.models import Q, QuerySet

from bluehelmet.core import freshness
from bluehelmet.core.access import STAFF_ROLES
from bluehelmet.core.models import Membership, Mission
from bluehelmet.core.sensitivity import Sensitivity, sensitivity_scope, strictest

from .models import Alert, Attachment, DuplicateProposal, Incident, IncidentHistory, Notification, ResponseTask, Source


def staff_scope(user, mission_field: str = "mission") -> Q:
    """Records only mission staff see (alerts, tasks): never partners."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    return Q(**{f"{mission_field}__in": Membership.objects.filter(user=user, role__in=STAFF_ROLES).values("mission")})


def alert_scope(user, prefix: str = "") -> Q:
    """A filter keeping the alerts the user may see, in every mission."""
    return staff_scope(user, f"{prefix}mission") & sensitivity_scope(
        user, mission_field=f"{prefix}mission", label_field=f"{prefix}sensitivity", author_field=None
    )


def task_scope(user) -> Q:
    """A filter keeping the response tasks the user may see, in every mission (RED ones: the
    mission's analysts and administrators, and whoever created the task)."""
    return staff_scope(user) & sensitivity_scope(user, author_field="created_by")


def visible_alerts(user, mission: Mission) -> QuerySet[Alert]:
    return Alert.objects.filter(alert_scope(user), mission=mission)


def visible_tasks(user, mission: Mission) -> QuerySet[ResponseTask]:
    return ResponseTask.objects.filter(task_scope(user), mission=mission)


def dashboard_sources(mission: Mission) -> dict[str, QuerySet]:
    """Every record the dashboard's badges count, whoever looks (core.freshness stamps them;
    alerts, tasks and proposals change status in place: track_changes in apps.py)."""
    return {
        "incidents": Incident.objects.filter(mission=mission),
        "alerts": Alert.objects.filter(mission=mission),
        "tasks": ResponseTask.objects.filter(mission=mission),
        "proposals": DuplicateProposal.objects.filter(first__mission=mission),
    }


def alert_label(alert: Alert) -> str:
    labels = set(alert.incidents.values_list("sensitivity", flat=True))
    if alert.incident_id:
        labels.add(Incident.objects.filter(pk=alert.incident_id).values_list("sensitivity", flat=True).first())
    return strictest(labels, default=Sensitivity.AMBER)


def task_label(task: ResponseTask) -> str:
    labels = []
    if task.alert_id:
        labels.append(Alert.objects.filter(pk=task.alert_id).values_list("sensitivity", flat=True).first())
    if task.incident_id:
        labels.append(Incident.objects.filter(pk=task.incident_id).values_list("sensitivity", flat=True).first())
    return strictest(labels, default=Sensitivity.AMBER)


def relabel_task(task: ResponseTask) -> None:
    label = task_label(task)
    if label != task.sensitivity:
        task.sensitivity = label
        ResponseTask.objects.filter(pk=task.pk).update(sensitivity=label)
        freshness.changed(task.mission_id)  # an update() sends no signal


def relabel_alert(alert: Alert) -> None:
    """Give the alert the label of its incidents, and its tasks theirs."""
    label = alert_label(alert)
    if label != alert.sensitivity:
        alert.sensitivity = label
        Alert.objects.filter(pk=alert.pk).update(sensitivity=label)
        freshness.changed(alert.mission_id)  # an update() sends no signal
    for task in alert.tasks.all():
        relabel_task(task)


def relabel_derived(incident: Incident) -> None:
    """Recompute the labels of the alerts and tasks derived from the incident."""
    for alert in Alert.objects.filter(Q(incident=incident) | Q(incidents=incident)).distinct():
        relabel_alert(alert)
    for task in ResponseTask.objects.filter(incident=incident):
        relabel_task(task)


def relabel_on_save(sender, instance: Incident, created: bool, raw: bool = False, **kwargs) -> None:
    """Incident's post_save: a new report has nothing derived from it yet."""
    if not created and not raw:
        relabel_derived(instance)


def visible_history(user, entries: QuerySet[IncidentHistory]) -> QuerySet[IncidentHistory]:
    """History entries less those about an incident, an alert or a task the user may not see
    (a RED report merged into one the user sees, an alert or task labelled RED)."""
    from .feed import incident_scope

    hidden_incidents = Incident.objects.exclude(incident_scope(user)).values("pk")
    hidden_alerts = Alert.objects.exclude(alert_scope(user)).values("pk")
    hidden_tasks = ResponseTask.objects.exclude(task_scope(user)).values("pk")
    return (
        entries.exclude(incident__in=hidden_incidents).exclude(alert__in=hidden_alerts).exclude(task__in=hidden_tasks)
    )


def visible_notifications(user, notifications: QuerySet[Notification]) -> QuerySet[Notification]:
    """A user's notices of the alerts they may (still) see: an alert relabelled RED after it
    was raised no longer shows its title to a reporter subscribed to its rule."""
    return notifications.filter(alert_scope(user, prefix="alert__"))


def _from_visible_reports(user, records: QuerySet) -> QuerySet:
    """Sources or attachments less those that came with a report the user may not see (a RED
    report merged into one the user sees)."""
    from .feed import incident_scope

    return records.filter(
        Q(first_incident__isnull=True)
        | Q(first_incident__in=Incident.objects.filter(incident_scope(user)).values("pk"))
    )


def visible_attachments(user, incident: Incident) -> QuerySet[Attachment]:
    return _from_visible_reports(user, incident.attachments.all())


def visible_sources(user, incident: Incident) -> QuerySet[Source]:
    return _from_visible_reports(user, incident.sources.all())
