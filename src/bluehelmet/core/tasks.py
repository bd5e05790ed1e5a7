"""Periodic jobs of the core, for Celery beat (see CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task


@shared_task
def apply_retention_task() -> dict:
    """Anonymise personal data past its retention period; returns the counts per category."""
    from .retention import apply_retention

    return {f"{o.category}:{o.model}": o.anonymised for o in apply_retention()}
