"""Reading the audit trail: the change history (django-auditlog's LogEntry, see
core/history.py) and the views of sensitive records (SensitiveAccess), as an administrator
may see them, filtered, and as CSV.

Who sees what:
- a superuser: everything;
- an administrator of a mission: the changes of records that belong to that mission (the
  mission itself and every record with a `mission` field: the entry is tagged with it when
  written), and the views of sensitive records of that mission. Changes of records tied to
  a mission only through another record (a source through its incident), of shared records
  (places, organizations) and of accounts carry no mission: superusers only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from auditlog.models import LogEntry
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import gate
from .exports import csv_lines
from .history import MASK, masked_fields
from .models import Role, SensitiveAccess

ACTIONS = {"create": LogEntry.Action.CREATE, "update": LogEntry.Action.UPDATE, "delete": LogEntry.Action.DELETE}
ACTION_LABELS = {"create": _("created"), "update": _("changed"), "delete": _("deleted")}
# The actions of log_sensitive_access / log_sensitive_export (core/audit.py).
ACCESS_ACTION_LABELS = {
    "view": _("viewed"),
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "export": _("exported"),
}
M2M_OPERATIONS = {"add": _("added"), "delete": _("removed"), "clear": _("all removed")}
# A before/after value longer than this is cut on the page (the CSV keeps it whole).
VALUE_LENGTH = 200


def administered_mission_ids(user) -> list[int] | None:
    """None for a superuser (every mission), else the missions the user administers."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    return gate.missions_as(user, Role.ADMINISTRATOR)


def can_read_audit(user) -> bool:
    missions = administered_mission_ids(user)
    return missions is None or bool(missions)


def visible_changes(user) -> QuerySet[LogEntry]:
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    missions = administered_mission_ids(user)
    if missions is None:
        return entries
    return entries.filter(additional_data__mission__in=missions)


def visible_accesses(user) -> QuerySet[SensitiveAccess]:
    accesses = SensitiveAccess.objects.select_related("user", "mission").order_by("-at", "-id")
    missions = administered_mission_ids(user)
    if missions is None:
        return accesses
    return accesses.filter(mission__in=missions)


class AuditFilterForm(forms.Form):
    """The filters of both lists; `record_type` choices are set per list."""

    user = forms.CharField(label=_("User"), required=False, max_length=150, help_text=_("user name"))
    record_type = forms.ChoiceField(label=_("Record type"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, record_types: list[tuple[str, str]], actions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", _("all"))] + record_types
        self.fields["action"].choices = [("", _("all"))] + actions

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("This date is before the start date."))
        return cleaned


def change_filter_form(data, entries: QuerySet[LogEntry]) -> AuditFilterForm:
    types = ContentType.objects.filter(pk__in=entries.order_by().values("content_type").distinct())
    record_types = sorted(((f"{t.app_label}.{t.model}", _label(t)) for t in types), key=lambda choice: str(choice[1]))
    return AuditFilterForm(data, record_types=record_types, actions=list(ACTION_LABELS.items()))


def access_filter_form(data, accesses: QuerySet[SensitiveAccess]) -> AuditFilterForm:
    labels = accesses.order_by("record_type").values_list("record_type", flat=True).distinct()
    record_types = sorted(((label, model_label(label)) for label in labels), key=lambda choice: str(choice[1]))
    actions = [
        (a, access_action_label(a)) for a in accesses.order_by("action").values_list("action", flat=True).distinct()
    ]
    return AuditFilterForm(data, record_types=record_types, actions=actions)


def _label(content_type: ContentType) -> str:
    """A record type for people: the model's name in the reader's language, with its area
    (two areas may name a model alike)."""
    model = content_type.model_class()
    if model is None:  # a model since removed
        return f"{content_type.app_label}.{content_type.model}"
    return f"{capfirst(model._meta.verbose_name)} ({model._meta.app_config.verbose_name})"


def model_label(label: str) -> str:
    """The name of a model given as "app_label.ModelName" (SensitiveAccess.record_type)."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(capfirst(model._meta.verbose_name))


def access_action_label(action: str) -> str:
    return str(capfirst(ACCESS_ACTION_LABELS.get(action, action)))


def _day_bounds(cleaned: dict) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    tz = datetime.UTC
    since = datetime.datetime.combine(cleaned["since"], datetime.time.min, tz) if cleaned.get("since") else None
    until = (
        datetime.datetime.combine(cleaned["until"] + datetime.timedelta(days=1), datetime.time.min, tz)
        if cleaned.get("until")
        else None
    )
    return since, until


def filter_changes(entries: QuerySet[LogEntry], cleaned: dict) -> QuerySet[LogEntry]:
    if cleaned.get("user"):
        entries = entries.filter(Q(actor__username=cleaned["user"]) | Q(actor_email=cleaned["user"]))
    if cleaned.get("record_type"):
        app_label, _dot, model = cleaned["record_type"].partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model)
    if cleaned.get("action") in ACTIONS:
        entries = entries.filter(action=ACTIONS[cleaned["action"]])
    since, until = _day_bounds(cleaned)
    if since:
        entries = entries.filter(timestamp__gte=since)
    if until:
        entries = entries.filter(timestamp__lt=until)
    return entries


def filter_accesses(accesses: QuerySet[SensitiveAccess], cleaned: dict) -> QuerySet[SensitiveAccess]:
    if cleaned.get("user"):
        accesses = accesses.filter(username=cleaned["user"])
    if cleaned.get("record_type"):
        accesses = accesses.filter(record_type=cleaned["record_type"])
    if cleaned.get("action"):
        accesses = accesses.filter(action=cleaned["action"])
    since, until = _day_bounds(cleaned)
    if since:
        accesses = accesses.filter(at__gte=since)
    if until:
        accesses = accesses.filter(at__lt=until)
    return accesses


def actor_name(entry: LogEntry) -> str:
    if entry.actor_id:
        return entry.actor.get_username()
    return entry.actor_email or ""


def change_action(entry: LogEntry) -> str:
    return {value: key for key, value in ACTIONS.items()}.get(entry.action, str(entry.action))


def change_rows(entries: QuerySet[LogEntry]) -> Iterator[dict]:
    """One dict per entry, with before/after per field (personal fields are masked at write)."""
    for entry in entries:
        yield {
            "entry": entry,
            "when": entry.timestamp,
            "user": actor_name(entry),
            "action": change_action(entry),
            "record_type": f"{entry.content_type.app_label}.{entry.content_type.model}",
            "record_id": entry.object_pk,
            "record": entry.object_repr,
            "changes": [(field, values) for field, values in (entry.changes_dict or {}).items()],
            "mission": (entry.additional_data or {}).get("mission"),
        }


def readable_change_rows(entries) -> list[dict]:
    """The rows of change_rows for a page: action, record type and fields named in the
    reader's language, and before/after values as people read them (choice labels, yes/no,
    the related record's name). Related records are read in one query per model."""
    rows = list(change_rows(entries))
    wanted: dict[type, set] = {}
    for row in rows:
        model = row["entry"].content_type.model_class()
        row["model"] = model
        row["action_label"] = capfirst(ACTION_LABELS.get(row["action"], row["action"]))
        row["record_label"] = capfirst(model._meta.verbose_name) if model else row["record_type"]
        for name, values in row["changes"]:
            field = _field(model, name)
            if _is_foreign_key(field) and not isinstance(values, dict):
                wanted.setdefault(field.related_model, set()).update(
                    v for v in values if v not in (None, "None", "", MASK)
                )
    related = {model: _names_of(model, keys) for model, keys in wanted.items()}
    for row in rows:
        row["details"] = [_readable_change(row["model"], name, values, related) for name, values in row["changes"]]
    return rows


def readable_access_rows(accesses) -> list[dict]:
    """The views of sensitive records for a page, with action and record type in the reader's language."""
    return [
        {
            "access": access,
            "action_label": access_action_label(access.action),
            "record_label": model_label(access.record_type),
            "detail": access.translated_detail(),
        }
        for access in accesses
    ]


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_foreign_key(field) -> bool:
    return isinstance(field, (models.ForeignKey, models.OneToOneField))


def _names_of(model, keys: set) -> dict[str, str]:
    """{str(pk): name} of the related records still there. A model holding personal data is
    named by type and number, never by its __str__ (which may show that data)."""
    if masked_fields(model):
        return {}
    pks = set()
    for key in keys:
        try:
            pks.add(model._meta.pk.to_python(key))
        except Exception:  # noqa: BLE001 - a value logged before the key's type changed stays as logged
            continue
    return {str(pk): str(record) for pk, record in model._default_manager.in_bulk(pks).items()}


def _readable_change(model, name: str, values, related: dict) -> dict:
    field = _field(model, name)
    if field is not None and field.auto_created and not field.concrete:  # a reverse relation: the other model's name
        label = capfirst(field.related_model._meta.verbose_name_plural)
    else:
        label = capfirst(field.verbose_name) if field is not None and getattr(field, "verbose_name", None) else name
    if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
        operation = values.get("operation", "")
        objects = ", ".join(map(str, values.get("objects", [])))
        return {"field": label, "operation": M2M_OPERATIONS.get(operation, operation), "objects": objects}
    before, after = (list(values) + [None, None])[:2]
    return {
        "field": label,
        "before": _readable_value(field, before, related),
        "after": _readable_value(field, after, related),
    }


def _readable_value(field, value, related: dict) -> str | None:
    if value is None or value == "None" or value == "":
        return None
    if value == MASK:
        return str(_("[hidden]"))
    if field is not None and getattr(field, "flatchoices", None):
        labels = {str(key): label for key, label in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if _is_foreign_key(field):
        names = related.get(field.related_model, {})
        return names.get(str(value)) or f"{field.related_model._meta.verbose_name} #{value}"
    if isinstance(field, models.BooleanField) or isinstance(value, bool):
        if str(value) in ("True", "False"):
            return str(_("yes") if str(value) == "True" else _("no"))
    if isinstance(value, (dict, list)):
        if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
            value = ", ".join(map(str, value))
        else:
            # Structured results (a model's estimates...): their keys are code, not words for
            # people; the page says how much changed, the CSV export holds the whole value.
            return ngettext("structured data (%(count)s entry)", "structured data (%(count)s entries)", len(value)) % {
                "count": len(value)
            }
    text = str(value)
    return text if len(text) <= VALUE_LENGTH else text[:VALUE_LENGTH].rstrip() + "…"


def _format_change(field: str, values) -> str:
    if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
        return f"{field}: {values.get('operation', '')} {', '.join(map(str, values.get('objects', [])))}"
    before, after = (list(values) + [None, None])[:2]
    return f"{field}: {before} -> {after}"


def changes_csv_lines(entries: QuerySet[LogEntry]) -> Iterator[str]:
    header = ["timestamp", "user", "action", "record_type", "record_id", "record", "mission", "changes", "remote_addr"]
    rows = (
        (
            row["when"].isoformat(),
            row["user"],
            row["action"],
            row["record_type"],
            row["record_id"],
            row["record"],
            row["mission"] or "",
            "; ".join(_format_change(f, v) for f, v in row["changes"]),
            row["entry"].remote_addr or "",
        )
        for row in change_rows(entries.iterator(chunk_size=2000))
    )
    return csv_lines(header, rows)


def accesses_csv_lines(accesses: QuerySet[SensitiveAccess]) -> Iterator[str]:
    header = ["timestamp", "user", "action", "record_type", "record_id", "mission", "detail"]
    rows = (
        (
            access.at.isoformat(),
            access.who,
            access.action,
            access.record_type,
            access.record_id,
            access.mission.acronym if access.mission_id else "",
            access.detail,
        )
        for access in accesses.iterator(chunk_size=2000)
    )
    return csv_lines(header, rows)
