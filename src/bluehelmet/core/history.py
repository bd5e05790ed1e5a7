"""The change history of every record, kept by django-auditlog.

Why django-auditlog rather than django-simple-history: one table (`auditlog_logentry`) holds
every change of every model as a before/after diff, and AUDITLOG_INCLUDE_ALL_MODELS tracks
models added later with no registration and no per-model history table or migration.
simple-history needs a shadow table and a migration per model, which a new app easily
forgets.

What this module adds to the library:
- `protect_personal_fields()` (run once in CoreConfig.ready): every encrypted field
  (core.crypto.EncryptedTextField) and every field named in AUDIT_MASKED_FIELDS is masked in
  the diff, so personal data never reaches the audit table in plain text, for models added
  later too; many-to-many fields are tracked as well.
- each entry is tagged with the mission of its record (`additional_data["mission"]`), so a
  mission's administrators can read their missions' history (core.audit_trail); a record
  whose __str__ shows a masked value is named "<model> #<pk>" instead;
- the actor: `AuditActorMiddleware` records the logged-in user of a page or API call (API
  token users included, who are only known once DRF has authenticated the request); outside
  a request (commands, cron, workers) the entry says `command:<OS user>`, or the user named
  by `bluehelmet --actor USERNAME ...` / BLUEHELMET_ACTOR; a background job's changes are
  the person's who started it (`acting_for`, set by core.job_records.run_job).
- Bulk imports (bulk_create / update of up to hundreds of thousands of rows) send no signals
  and are not logged row by row: the import is recorded by its ImportJob (file, who, when,
  row counts, errors), whose creation is itself in the history.
"""

from __future__ import annotations

import contextlib
import contextvars
import getpass
import os

from django.contrib.auth import get_user_model
from django.db.models import ManyToManyField
from django.db.models.signals import pre_save

from .crypto import encrypted_fields

MASK = "[hidden]"
# Fields holding secrets or keyed hashes of personal data that are not encrypted columns.
AUDIT_MASKED_FIELDS = {"ddr.Participant": ["duplicate_key"]}

_current_request: contextvars.ContextVar = contextvars.ContextVar("bluehelmet_audit_request", default=None)
# Why the changes are made, when not by a person's edit (e.g. "retention:ddr_participants").
_reason: contextvars.ContextVar = contextvars.ContextVar("bluehelmet_audit_reason", default="")
# The record auditlog is about to log (from its pre_log signal), to tag the entry with its mission.
_logged_record: contextvars.ContextVar = contextvars.ContextVar("bluehelmet_audit_record", default=None)
# Who a background job acts for: (user or None, label), set while the job runs.
_acting_for: contextvars.ContextVar = contextvars.ContextVar("bluehelmet_audit_acting_for", default=None)


def mask_value(value: str) -> str:
    """The whole value replaced: auditlog's default keeps half of it, too much for a name."""
    return MASK


def masked_fields(model) -> list[str]:
    return sorted(set(encrypted_fields(model)) | set(AUDIT_MASKED_FIELDS.get(model._meta.label, [])))


def protect_personal_fields() -> None:
    """Re-register every tracked model with its personal fields masked and its many-to-many
    fields tracked."""
    from auditlog.registry import auditlog

    for model in list(auditlog.get_models()):
        options = dict(auditlog._registry[model])
        masked = masked_fields(model)
        m2m = [f.name for f in model._meta.get_fields() if isinstance(f, ManyToManyField) and f.model is model]
        if not masked and not m2m:
            continue
        options["mask_fields"] = sorted(set(options["mask_fields"]) | set(masked))
        options["mask_callable"] = "bluehelmet.core.history.mask_value"
        options["m2m_fields"] = set(options["m2m_fields"]) | set(m2m)
        auditlog.unregister(model)
        auditlog.register(model, **options)


@contextlib.contextmanager
def audit_reason(reason: str):
    """Entries written inside carry `reason` in their additional data."""
    token = _reason.set(reason)
    try:
        yield
    finally:
        _reason.reset(token)


def command_actor_label() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # no login name (some containers)
        user = str(os.getuid()) if hasattr(os, "getuid") else "unknown"
    return f"command:{user}"[:254]


@contextlib.contextmanager
def acting_for(user, label: str = ""):
    """Entries written inside (outside a request) name `user`, or `label` when the job has no
    user (a command's "command:<OS user>"): a job's changes are its starter's."""
    token = _acting_for.set((user, label))
    try:
        yield
    finally:
        _acting_for.reset(token)


def named_actor():
    """The user named by `bluehelmet --actor USERNAME` / BLUEHELMET_ACTOR, if any."""
    username = os.environ.get("BLUEHELMET_ACTOR", "").strip()
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def record_mission_id(record) -> int | None:
    """The mission a record belongs to directly (its `mission` field), or the mission itself."""
    from .models import Mission

    if isinstance(record, Mission):
        return record.pk
    return getattr(record, "mission_id", None)


def _repr_reveals_personal_data(record, text: str) -> bool:
    """Whether a record's __str__ (the entry's object_repr) shows one of its masked values."""
    for name in masked_fields(type(record)):
        value = getattr(record, name, None)
        if value not in (None, "") and str(value) in (text or ""):
            return True
    return False


def remember_record(sender, instance, **kwargs) -> None:
    """auditlog's pre_log: keep the record for `tag_entry` (returns None: logging goes on)."""
    _logged_record.set(instance)


def tag_entry(sender, instance, **kwargs) -> None:
    """pre_save of every log entry: the mission of the record (so a mission's administrators
    can read its history) and who did it."""
    record = _logged_record.get()
    if (
        instance._state.adding
        and record is not None
        and record.pk is not None
        and str(record.pk) == str(instance.object_pk)
        and type(record)._meta.concrete_model is instance.content_type.model_class()
    ):
        mission_id = record_mission_id(record)
        if mission_id is not None:
            instance.additional_data = {**(instance.additional_data or {}), "mission": mission_id}
        if _repr_reveals_personal_data(record, instance.object_repr):
            instance.object_repr = f"{record._meta.verbose_name} #{record.pk}"
    if instance._state.adding and _reason.get():
        instance.additional_data = {**(instance.additional_data or {}), "reason": _reason.get()}
    _logged_record.set(None)
    fill_actor(instance)


def fill_actor(instance) -> None:
    """Who did it, when auditlog's own context did not say."""
    if instance.actor_id is not None or instance.actor_email:
        return
    request = _current_request.get()
    if request is not None:
        user = getattr(request, "user", None)  # DRF sets the token user here once authenticated
        if user is not None and user.is_authenticated:
            instance.actor = user
            instance.actor_email = user.email or None
        return
    acting = _acting_for.get()
    if acting is not None:
        user, label = acting
        if user is not None:
            instance.actor = user
            instance.actor_email = user.email or None
        else:
            instance.actor_email = label[:254] or command_actor_label()
        return
    actor = named_actor()
    if actor is not None:
        instance.actor = actor
        instance.actor_email = actor.email or None
    else:
        instance.actor_email = command_actor_label()


def connect_receivers() -> None:
    from auditlog.models import LogEntry
    from auditlog.signals import pre_log

    pre_log.connect(remember_record, dispatch_uid="bluehelmet-audit-record")
    pre_save.connect(tag_entry, sender=LogEntry, dispatch_uid="bluehelmet-audit-entry")


class AuditActorMiddleware:
    """Keeps the request at hand for `fill_actor` (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def pop_actor_option(argv: list[str]) -> list[str]:
    """`bluehelmet --actor NAME command ...` (or `command --actor NAME`): the option is taken
    out of argv and put in BLUEHELMET_ACTOR for the history."""
    out, i = [], 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--actor" and i + 1 < len(argv):
            os.environ["BLUEHELMET_ACTOR"] = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--actor="):
            os.environ["BLUEHELMET_ACTOR"] = arg.split("=", 1)[1]
        else:
            out.append(arg)
        i += 1
    return out


class AuditBatch:
    """Log entries gathered while records are written in bulk, saved with one INSERT.

    Each entry is what django-auditlog writes for a save (the same diff, masking, object
    name, serialized data and correlation id) or for a many-to-many add, and goes through the
    same pre_save receivers as any entry (the mission tag, the actor of the request or job).
    Only models auditlog tracks are logged, and only their tracked many-to-many fields."""

    def __init__(self):
        self._items: list[tuple] = []

    def created(self, *records) -> None:
        """Records just inserted (their primary keys set)."""
        self._items.extend(("create", record, None, None) for record in records)

    def linked(self, record, field_name: str, related) -> None:
        """Related objects added to a new record's many-to-many field."""
        if related:
            self._items.append(("m2m", record, field_name, list(related)))

    def entries(self) -> list:
        from auditlog.cid import get_cid
        from auditlog.diff import model_instance_diff
        from auditlog.models import LogEntry
        from auditlog.registry import auditlog
        from django.conf import settings
        from django.contrib.contenttypes.models import ContentType
        from django.db.models.signals import pre_save
        from django.utils.encoding import smart_str

        made = []
        for kind, record, field_name, related in self._items:
            model = type(record)
            if not auditlog.contains(model):
                continue
            if kind == "create":
                action = LogEntry.Action.CREATE
                changes = model_instance_diff(None, record, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES)
                if not changes:
                    continue
                serialized = LogEntry.objects._get_serialized_data_or_none(record)
            else:
                if field_name not in auditlog._registry[model]["m2m_fields"]:
                    continue
                action = LogEntry.Action.UPDATE
                changes = {field_name: {"type": "m2m", "operation": "add", "objects": [smart_str(o) for o in related]}}
                serialized = None
            get_additional_data = getattr(record, "get_additional_data", None)
            entry = LogEntry(
                content_type=ContentType.objects.get_for_model(record),
                object_pk=str(record.pk),
                object_id=record.pk if isinstance(record.pk, int) else None,
                object_repr=smart_str(record),
                serialized_data=serialized,
                action=action,
                changes=changes,
                additional_data=get_additional_data() if callable(get_additional_data) else None,
                cid=get_cid(),
            )
            _logged_record.set(record)  # for tag_entry, as auditlog's pre_log would
            pre_save.send(sender=LogEntry, instance=entry, raw=False, using=entry._state.db, update_fields=None)
            made.append(entry)
        return made

    def write(self) -> None:
        from auditlog.models import LogEntry

        entries = self.entries()
        if entries:
            LogEntry.objects.bulk_create(entries)
        self._items.clear()


@contextlib.contextmanager
def audit_in_bulk():
    """Inside, auditlog's per-save entries are off; the caller names what it wrote on the
    yielded AuditBatch, whose entries are written with one INSERT when the block ends (in the
    caller's transaction: the records and their history are stored together or not at all)."""
    from auditlog.context import disable_auditlog

    batch = AuditBatch()
    with disable_auditlog():
        yield batch
    batch.write()
