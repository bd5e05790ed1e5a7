"""The trail of who saw sensitive personal data. Call it wherever such data is shown or
exported, before the response is built, so a failure to log is a failure to show."""

from .models import Mission, SensitiveAccess


def log_sensitive_access(user, record, *, action: str = "view", detail: str = "", mission: Mission | None = None) -> None:
    SensitiveAccess.objects.create(
        user=user if user.is_authenticated else None,
        mission=mission,
        record_type=record._meta.label,
        record_id=str(record.pk),
        action=action,
        detail=detail[:300],
    )
