"""Retention rule of the imports (see core/retention.py): the stored file of a failed import
is deleted once `failed_imports` days have passed since it failed. The job itself stays (who
imported what, when, and the errors), only its copy of the file goes: a failed file was never
imported, and the uploader still has it. Succeeded imports keep their file as the record of
what was loaded."""

from pathlib import Path

from django.db.models import Q

from bluehelmet.core.retention import RetentionRule, register

from .models import ImportJob


def delete_stored_file(job: ImportJob) -> str:
    """Remove the job's stored upload; the job keeps no path to it."""
    if job.stored_path:
        Path(job.stored_path).unlink(missing_ok=True)
    return ""


register(
    RetentionRule(
        category="failed_imports",
        model="importers.ImportJob",
        age_field="finished",
        replace={"stored_path": delete_stored_file},
        pending=~Q(stored_path=""),
        condition=Q(status=ImportJob.Status.FAILED),
    )
)
