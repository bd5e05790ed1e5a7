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

import csv
import datetime
from collections.abc import Iterator

from auditlog.models import LogEntry
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Membership, Role, SensitiveAccess

ACTIONS = {"create": LogEntry.Action.CREATE, "update": LogEntry.Action.UPDATE, "delete": LogEntry.Action.DELETE}
ACTION_LABELS = {"create": _("created"), "update": _("changed"), "delete": _("deleted")}


def administered_mission_ids(user) -> list[int] | None:
    """None for a superuser (every mission), else the missions the user administers."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    return list(Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).values_list("mission_id", flat=True))


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
    return AuditFilterForm(data, record_types=record_types, actions=[(key, label) for key, label in ACTION_LABELS.items()])


def access_filter_form(data, accesses: QuerySet[SensitiveAccess]) -> AuditFilterForm:
    record_types = [(t, t) for t in accesses.order_by("record_type").values_list("record_type", flat=True).distinct()]
    actions = [(a, a) for a in accesses.order_by("action").values_list("action", flat=True).distinct()]
    return AuditFilterForm(data, record_types=record_types, actions=actions)


def _label(content_type: ContentType) -> str:
    model = content_type.model_class()
    return f"{model._meta.verbose_name} ({model._meta.label})" if model else f"{content_type.app_label}.{content_type.model}"


def _day_bounds(cleaned: dict) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    tz = datetime.timezone.utc
    since = datetime.datetime.combine(cleaned["since"], datetime.time.min, tz) if cleaned.get("since") else None
    until = datetime.datetime.combine(cleaned["until"] + datetime.timedelta(days=1), datetime.time.min, tz) if cleaned.get("until") else None
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
        accesses = accesses.filter(user__username=cleaned["user"])
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


class _Echo:
    def write(self, text: str) -> str:
        return text


def _safe(value) -> str:
    """Spreadsheet formula injection neutralised: a leading = + - @ is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _format_change(field: str, values) -> str:
    if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
        return f"{field}: {values.get('operation', '')} {', '.join(map(str, values.get('objects', [])))}"
    before, after = (list(values) + [None, None])[:2]
    return f"{field}: {before} -> {after}"


def changes_csv_lines(entries: QuerySet[LogEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["timestamp", "user", "action", "record_type", "record_id", "record", "mission", "changes", "remote_addr"])
    for row in change_rows(entries.iterator(chunk_size=2000)):
        entry = row["entry"]
        yield writer.writerow([_safe(v) for v in (
            row["when"].isoformat(), row["user"], row["action"], row["record_type"], row["record_id"], row["record"],
            row["mission"] or "", "; ".join(_format_change(f, v) for f, v in row["changes"]), entry.remote_addr or "",
        )])


def accesses_csv_lines(accesses: QuerySet[SensitiveAccess]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["timestamp", "user", "action", "record_type", "record_id", "mission", "detail"])
    for access in accesses.iterator(chunk_size=2000):
        yield writer.writerow([_safe(v) for v in (
            access.at.isoformat(), access.user.get_username() if access.user_id else "", access.action, access.record_type,
            access.record_id, access.mission.acronym if access.mission_id else "", access.detail,
        )])

