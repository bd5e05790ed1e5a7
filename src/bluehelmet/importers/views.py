"""Upload a file, follow its import. Importers only (administrators and analysts)."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from bluehelmet.core.access import can_import, roles_of
from bluehelmet.core.models import Role

from .forms import ImportForm
from .models import ImportJob
from .progress import read_progress
from .uploads import start_import_job

RECENT_JOBS = 50


def importers_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def jobs_for(user):
    """Administrators follow every import; an analyst follows their own."""
    if Role.ADMINISTRATOR in roles_of(user):
        return ImportJob.objects.all()
    return ImportJob.objects.filter(created_by=user)


@importers_only
def jobs(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_import_job(request.user, form.cleaned_data["kind"], form.cleaned_data["file"], form.options())
        return redirect("importers:job", job.pk)
    recent = jobs_for(request.user).select_related("created_by")[:RECENT_JOBS]
    return render(request, "importers/jobs.html", {"form": form, "jobs": recent}, status=400 if form.errors else 200)


@importers_only
def job(request, pk: int):
    return render(request, "importers/job.html", job_context(get_object_or_404(jobs_for(request.user), pk=pk)))


@importers_only
def job_status(request, pk: int):
    """The part of the job page that htmx polls while the job runs."""
    return render(request, "importers/_job_status.html", job_context(get_object_or_404(jobs_for(request.user), pk=pk)))


def job_context(job: ImportJob) -> dict:
    done, total = read_progress(job)
    finished = job.status in (ImportJob.Status.SUCCEEDED, ImportJob.Status.FAILED)
    percent = 100 if job.status == ImportJob.Status.SUCCEEDED else min(100, round(100 * done / total)) if total else 0
    summary = {key: value for key, value in job.summary.items() if key != "options"}
    return {"job": job, "done": done, "total": total, "percent": percent, "finished": finished,
            "options": job.summary.get("options", {}), "summary": summary}
