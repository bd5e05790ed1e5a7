"""Incidents, alerts and response tasks can be discussed (core.comments): by the mission's staff
(`incidents.report`; partners read shared reports, not the staff's discussion of them), on
the records each may see (the same querysets as the pages), each comment written to the
incident history."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bluehelmet.core.comments import Commentable, register

from . import feed, history, labels
from .models import Alert, Incident, ResponseTask


def record_comment(user, record, comment, action: str) -> None:
    """The comment in the record's history: "Comment added · who" and its number (not its text,
    which its author may withdraw; the audit trail keeps that)."""
    subject = {Incident: "incident", Alert: "alert", ResponseTask: "task"}[type(record)]
    history.record(user, action, **{subject: record}, after={"comment": f"#{comment.pk}"})


register(
    Commentable(
        model="incidents.incident",
        read="incidents.report",
        write="incidents.report",
        visible=feed.visible_incidents,
        url=lambda acronym, incident: reverse("incidents:detail", args=[acronym, incident.pk]),
        label=lambda incident: incident.sensitivity,
        title=lambda incident: _("incident #%(id)s") % {"id": incident.pk},
        history=record_comment,
    )
)
register(
    Commentable(
        model="incidents.alert",
        read="incidents.report",
        write="incidents.report",
        visible=labels.visible_alerts,
        url=lambda acronym, alert: reverse("incidents:alert", args=[acronym, alert.pk]),
        label=lambda alert: alert.sensitivity,
        title=lambda alert: _("alert #%(id)s %(title)s") % {"id": alert.pk, "title": alert.title},
        history=record_comment,
    )
)
register(
    Commentable(
        model="incidents.responsetask",
        read="incidents.report",
        write="incidents.report",
        visible=labels.visible_tasks,
        url=lambda acronym, task: reverse("incidents:task", args=[acronym, task.pk]),
        label=lambda task: task.sensitivity,
        title=lambda task: _("task #%(id)s %(title)s") % {"id": task.pk, "title": task.title},
        history=record_comment,
    )
)
