"""Uploaded files become import jobs."""

import uuid
from pathlib import Path

from django.conf import settings
from django.utils.text import get_valid_filename

from bluehelmet.jobs import submit

from .models import ImportJob
from .tasks import run_import_job

UPLOAD_DIR = "imports"


def save_upload(upload) -> Path:
    """Store an uploaded file under MEDIA_ROOT/imports/ with a name nobody else has."""
    directory = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    directory.mkdir(parents=True, exist_ok=True)
    name = get_valid_filename(Path(upload.name).name)[-150:] or "upload"
    path = directory / f"{uuid.uuid4().hex}_{name}"
    with open(path, "wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    return path


def start_import_job(user, kind: str, upload, options: dict) -> ImportJob:
    path = save_upload(upload)
    job = ImportJob.objects.create(kind=kind, file_name=upload.name[:300], stored_path=str(path),
                                   created_by=user, summary={"options": options})
    submit(run_import_job, job.pk)
    job.refresh_from_db()
    return job
