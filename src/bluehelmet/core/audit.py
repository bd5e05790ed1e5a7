"""The trail of who saw sensitive personal data. Call it wherever such data is shown or
exported, before the response is built, so a failure to log is a failure to show."""

from typing import NamedTuple

from .models import Mission, SensitiveAccess

BATCH = 1000


class Detail(NamedTuple):
    """A detail each reader of the audit trail sees in their own language."""

    message: str  # English, marked with gettext_noop, with %(name)s placeholders
    params: dict


def audit_detail(message: str, **params) -> Detail:
    """`audit_detail(gettext_noop("eligible list: %(count)s people"), count=12)`; values must be
    plain (text, numbers): they are stored as JSON."""
    return Detail(
        message, {key: value if isinstance(value, (int, float)) else str(value) for key, value in params.items()}
    )


def _detail_fields(detail: str | Detail) -> dict:
    if isinstance(detail, Detail):
        return {
            "detail": (detail.message % detail.params)[:300],
            "detail_message": {"message": detail.message, "params": detail.params},
        }
    return {"detail": detail[:300]}


def log_sensitive_access(
    user, record, *, action: str = "view", detail: str | Detail = "", mission: Mission | None = None
) -> None:
    SensitiveAccess.objects.create(
        user=user if user.is_authenticated else None,
        username=user.get_username() if user.is_authenticated else "",
        mission=mission,
        record_type=record._meta.label,
        record_id=str(record.pk),
        action=action,
        **_detail_fields(detail),
    )


def log_sensitive_export(user, records, *, detail: str | Detail = "", mission: Mission | None = None) -> int:
    """One `export` entry per record exported (so "who has had X's data" has an answer),
    written in bulk; returns how many."""
    fields = _detail_fields(detail)
    entries = [
        SensitiveAccess(
            user=user if user.is_authenticated else None,
            username=user.get_username() if user.is_authenticated else "",
            mission=mission,
            record_type=record._meta.label,
            record_id=str(record.pk),
            action="export",
            **fields,
        )
        for record in records
    ]
    SensitiveAccess.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)
