"""Retention rules of the incidents area (see core/retention.py): a source's identity and
contact is wiped once the incident's verification is closed and the retention period
(`incident_sources`, counted from the incident's date) is over. The source's kind,
description (not identifying by design) and grading stay, so the incident keeps its evidence
weight."""

from django.db.models import Q

from bluehelmet.core.retention import RetentionRule, register

from .models import Incident

register(
    RetentionRule(
        category="incident_sources",
        model="incidents.Source",
        age_field="incident__occurred_at",
        replace={"identity": ""},
        pending=~Q(identity=""),
        condition=~Q(incident__status__in=[Incident.Status.REPORTED, Incident.Status.UNDER_VERIFICATION]),
    )
)
