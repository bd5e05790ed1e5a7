"""The trail of who saw sensitive personal data. Call it wherever such data is shown or
exported, before the response is built, so a failure to log is a failure to show."""

from .models import Mission, SensitiveAccess

BATCH = 1000


def log_sensitive_access(user, record, *, action: str = "view", detail: str = "", mission: Mission | None = None) -> None:
    SensitiveAccess.objects.create(
        user=user if user.is_authenticated else None,
        mission=mission,
        record_type=record._meta.label,
        record_id=str(record.pk),
        action=action,
        detail=detail[:300],
    )


def log_sensitive_export(user, records, *, detail: str = "", mission: Mission | None = None) -> int:
    """One `export` entry per record exported (so "who has had X's data" has an answer),
    written in bulk; returns how many."""
    entries = [
        SensitiveAccess(user=user if user.is_authenticated else None, mission=mission, record_type=record._meta.label,
                        record_id=str(record.pk), action="export", detail=detail[:300])
        for record in records
    ]
    SensitiveAccess.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)
