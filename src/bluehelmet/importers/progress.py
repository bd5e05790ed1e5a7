"""Live progress of a running import job.

The import writes inside one transaction, which on SQLite holds the only write lock for
the whole import: the job's own row could not be updated until the end. So progress goes
to a small file beside the uploaded one, which the job page reads while the job runs; the
row gets the final figures.
"""

from pathlib import Path

from .models import ImportJob


def _progress_file(job: ImportJob) -> Path | None:
    return Path(f"{job.stored_path}.progress") if job.stored_path else None


def write_progress(job: ImportJob, done: int | None, total: int | None) -> None:
    """Record progress; (None, None) when the job is over removes the file."""
    path = _progress_file(job)
    if path is None:
        return
    if done is None:
        path.unlink(missing_ok=True)
        return
    temporary = path.with_suffix(".progress.tmp")
    temporary.write_text(f"{done} {total}")
    temporary.replace(path)  # atomic, so a reader never sees half a write


def read_progress(job: ImportJob) -> tuple[int, int | None]:
    """(rows done, rows in all) of a job, live while it runs."""
    path = _progress_file(job)
    if job.status == ImportJob.Status.RUNNING and path is not None:
        try:
            done, total = path.read_text().split()
            return int(done), int(total)
        except (OSError, ValueError):
            pass
    return job.rows_done, job.rows_total
