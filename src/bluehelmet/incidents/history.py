"""The append-only incident history: every report, state change, edit, merge, alert,
acknowledgement and response task step, with who, when, before/after and why."""

import datetime
import re
import uuid

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import labels
from .models import Alert, Incident, IncidentHistory, ResponseTask

# The incident fields a snapshot holds, for before/after of edits.
SNAPSHOT_FIELDS = (
    "type",
    "status",
    "occurred_at",
    "date_precision",
    "latitude",
    "longitude",
    "location_precision",
    "place",
    "location_description",
    "narrative",
    "killed",
    "injured",
    "abducted",
    "sharing",
    "sensitivity",
    "agreement",
    "in_zone",
    "merged_into",
)


def _plain(value):
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def snapshot(incident: Incident, fields=SNAPSHOT_FIELDS) -> dict:
    """The incident's values as JSON-ready text and numbers (related records by name)."""
    values = {name: _plain(getattr(incident, name)) for name in fields}
    values["perpetrators"] = sorted(str(o) for o in incident.perpetrators.all()) if incident.pk else []
    values["targets"] = sorted(str(o) for o in incident.targets.all()) if incident.pk else []
    values["casualties"] = (
        sorted(f"{c.count} {c.kind} {c.group} {c.sex} {c.age}" for c in incident.casualties.all())
        if incident.pk
        else []
    )
    return values


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, on both sides."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    user,
    action: str,
    *,
    incident: Incident | None = None,
    alert: Alert | None = None,
    task: ResponseTask | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> IncidentHistory:
    mission_id = next(obj.mission_id for obj in (incident, alert, task) if obj is not None)
    return IncidentHistory.objects.create(
        mission_id=mission_id,
        incident=incident,
        alert=alert,
        task=task,
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        before={k: _plain(v) for k, v in (before or {}).items()},
        after={k: _plain(v) for k, v in (after or {}).items()},
        reason=reason,
    )


def incident_history(incident: Incident, user=None) -> QuerySet[IncidentHistory]:
    """Everything that happened to the incident, to reports merged into it, to its alerts
    and to its response tasks, oldest first; for `user`, less the entries about a report,
    alert or task that user may not see (a RED report merged into this one)."""
    merged = Incident.objects.filter(merged_into=incident).values("pk")
    entries = (
        IncidentHistory.objects.filter(
            Q(incident=incident)
            | Q(incident__in=merged)
            | Q(alert__incident=incident)
            | Q(task__incident=incident)
            | Q(alert__incidents=incident)
        )
        .select_related("user", "alert", "task", "incident")
        .distinct()
        .order_by("at", "id")
    )
    if user is not None:
        entries = labels.visible_history(user, entries)
    return entries


ACTION_LABELS = {
    "reported": _("Reported"),
    "imported": _("Imported"),
    "status": _("Status changed"),
    "edited": _("Edited"),
    "source added": _("Source added"),
    "source regraded": _("Source re-graded"),
    "attachment added": _("Attachment added"),
    "merged": _("Merged a duplicate into this incident"),
    "merged into": _("Merged into another incident"),
    "duplicate rejected": _("Proposed duplicate rejected"),
    "alert raised": _("Alert raised"),
    "alert acknowledged": _("Alert acknowledged"),
    "alert closed": _("Alert closed"),
    "task created": _("Response task created"),
    "task updated": _("Response task updated"),
    "comment added": _("Comment added"),
    "comment withdrawn": _("Comment withdrawn"),
    "task escalated": _("Response task overdue: escalated"),
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


# Keys of before/after that are not a field of an incident, an alert or a response task.
CHANGE_LABELS = {
    "alert": _("alert"),
    "rule": _("alert rule"),
    "dataset": _("dataset"),
    "id": _("identifier"),
    "file": _("file"),
    "source": _("source"),
    "grading": _("grading"),
    "attachment": _("attachment"),
    "name": _("name"),
    "bytes": _("size (bytes)"),
    "task": _("task"),
    "comment": _("comment"),
    "merged": _("merged report"),
    "sources moved": _("sources moved"),
    "not a duplicate of": _("not a duplicate of"),
    "casualties": _("casualties"),
}
SOURCE_KEY = re.compile(r"^source (\d+)( identity)?$")


def _models_of(entry) -> tuple:
    """The models whose fields an entry's keys name, the one it is about first: a task's
    "status" is the task's (open, done...), not the incident's (reported, verified...)."""
    if entry is not None and entry.task_id:
        return (ResponseTask, Alert, Incident)
    if entry is not None and entry.alert_id:
        return (Alert, Incident, ResponseTask)
    return (Incident, Alert, ResponseTask)


def _field(key: str, entry=None):
    for model in _models_of(entry):
        try:
            return model._meta.get_field(key)
        except FieldDoesNotExist:
            continue
    return None


def _shown(field, value):
    """A stored value as people read it: a choice by its label (in the reader's language)."""
    choices = dict(getattr(field, "flatchoices", None) or ())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return choices.get(value, value)


def change_label(key: str) -> str:
    """The name of a before/after key in the reader's language (the keys are field names)."""
    if key in CHANGE_LABELS:
        return CHANGE_LABELS[key]
    source = SOURCE_KEY.match(key)
    if source:
        label = _("identity of source #%(n)s") if source.group(2) else _("source #%(n)s")
        return label % {"n": source.group(1)}
    field = _field(key)
    return capfirst(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else key


def described(entries) -> list[tuple]:
    """History entries with their action's label and their changes as rows of
    (label, before, after, whether there was a before), for the history panels."""
    rows = []
    for entry in entries:
        before = entry.before or {}
        changes = [
            (
                change_label(key),
                _shown(_field(key, entry), before.get(key)),
                _shown(_field(key, entry), value),
                key in before,
            )
            for key, value in (entry.after or {}).items()
        ]
        rows.append((entry, action_label(entry.action), changes))
    return rows
