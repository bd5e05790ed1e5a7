"""Retention: personal data anonymised once it has been kept long enough.

Each app declares what to anonymise in a module `<app>/retention.py` (found at start-up,
like admin.py) by calling `register`:

    from bluehelmet.core.retention import RetentionRule, register

    register(RetentionRule(
        category="incident_sources",            # a key of settings.BLUEHELMET_RETENTION_DAYS
        model="incidents.Source",
        age_field="incident__occurred_at",      # date or datetime the period runs from (lookups allowed)
        replace={"identity": ""},               # field -> new value, or a function of the record
        pending=~Q(identity=""),                # records not anonymised yet (encrypted values
                                                # cannot be queried: use a plain marker)
        condition=~Q(incident__status="reported"),  # optional: only closed cases
    ))

The period of a category comes from settings.BLUEHELMET_RETENTION_DAYS (environment
variable BLUEHELMET_RETENTION_DAYS="incident_sources=730,ddr_participants=1825"); 0 turns the
category off. `bluehelmet apply_retention [--dry-run]` applies every rule (daily from cron, or
the Celery beat entry `apply-retention`). Records are saved one by one, so each
anonymisation is in the change history (values masked, reason "retention:<category>");
aggregate facts (counts, categories, dates, places) are kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from . import history
from .discovery import discover

BATCH = 500


@dataclass(frozen=True)
class RetentionRule:
    category: str
    model: str
    age_field: str
    replace: dict[str, Any | Callable[[models.Model], Any]]
    pending: Q
    condition: Q = field(default_factory=Q)

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


@dataclass
class Outcome:
    category: str
    model: str
    days: int
    cutoff: datetime.date | None
    due: int
    anonymised: int = 0


_rules: list[RetentionRule] = []


def register(rule: RetentionRule) -> RetentionRule:
    """Add a rule (registering the same rule twice keeps one)."""
    if rule not in _rules:
        _rules.append(rule)
    return rule


def rules() -> list[RetentionRule]:
    discover("retention")
    return list(_rules)


def retention_days(category: str) -> int:
    return int(settings.BLUEHELMET_RETENTION_DAYS.get(category, 0))


def due(rule: RetentionRule, today: datetime.date | None = None) -> tuple[models.QuerySet, datetime.date | None]:
    """The records the rule would anonymise today, and the cut-off date (None: rule off)."""
    model = rule.model_class()
    days = retention_days(rule.category)
    if days <= 0:
        return model.objects.none(), None
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=days)
    last_field = _age_field(model, rule.age_field)
    if isinstance(last_field, models.DateTimeField):
        bound = datetime.datetime.combine(cutoff, datetime.time.min, tzinfo=datetime.UTC)
    else:
        bound = cutoff
    records = model._base_manager.filter(rule.pending, rule.condition, **{f"{rule.age_field}__lt": bound})
    return records.order_by("pk"), cutoff


def _age_field(model, path: str) -> models.Field:
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def anonymise(record: models.Model, rule: RetentionRule) -> None:
    for name, value in rule.replace.items():
        setattr(record, name, value(record) if callable(value) else value)
    record.save(update_fields=list(rule.replace))


def apply_retention(*, dry_run: bool = False, today: datetime.date | None = None) -> list[Outcome]:
    """Apply every registered rule; one transaction per rule, so a failure leaves that rule's
    records as they were. Returns what was (or, dry run, would be) anonymised."""
    outcomes = []
    for rule in rules():
        records, cutoff = due(rule, today)
        outcome = Outcome(rule.category, rule.model, retention_days(rule.category), cutoff, records.count())
        if not dry_run and outcome.due:
            with transaction.atomic(), history.audit_reason(f"retention:{rule.category}"):
                pks = list(records.values_list("pk", flat=True))
                for start in range(0, len(pks), BATCH):
                    for record in records.model._base_manager.filter(pk__in=pks[start : start + BATCH]):
                        anonymise(record, rule)
                        outcome.anonymised += 1
        outcomes.append(outcome)
    return outcomes
