"""One status box for every background job (core/_job_status.html), and the view that polls it.

The box shows a job record (core.job_records.JobRecord): its status, when it was asked for,
started and finished, who started it, and why it failed. While the job is queued or running
the box asks its own URL again (htmx, every `poll_seconds`) and replaces itself. Each kind
adds what its result is (an import's row counts, a report's links) with a `detail_template`
included inside the box, and says whether a finished job reloads the whole page (to show
what it made).

    STATUS_BOX = JobStatusBox("run-status", "earlywarning/_run_result.html", refresh_when=is_finished)
    run_status = job_status_view("earlywarning:run-status", STATUS_BOX, find_run)

`job_status_view` is for mission pages (gated by `@mission_view`, with a capability when
given); a page outside a mission renders the box with `render_job_status` behind its own
check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .gate import mission_view

TEMPLATE = "core/_job_status.html"


def is_finished(job) -> bool:
    return job.is_finished


@dataclass(frozen=True)
class JobStatusBox:
    """How one kind of job's status box looks: its element id (the pages and their tests
    know it), the kind's own part, how often it polls, and when a finished job reloads the
    page around it (None: never)."""

    box_id: str
    detail_template: str = ""
    poll_seconds: int = 2
    refresh_when: Callable[[object], bool] | None = None

    def context(self, job, poll_url: str) -> dict:
        return {
            "job": job,
            "poll_url": poll_url,
            "box_id": self.box_id,
            "detail_template": self.detail_template,
            "poll_seconds": self.poll_seconds,
        }


def render_job_status(request, job, box: JobStatusBox, poll_url: str, context: dict | None = None):
    """The box alone (what htmx polls). With HX-Refresh when the job is done and the page
    around it must show the result."""
    response = render(request, TEMPLATE, {**(context or {}), **box.context(job, poll_url)})
    if box.refresh_when is not None and box.refresh_when(job):
        response["HX-Refresh"] = "true"
    return response


def job_status_view(
    url_name: str,
    box: JobStatusBox,
    find_job: Callable,
    *,
    capability: str | None = None,
    context: Callable | None = None,
):
    """A GET view for the URL `url_name` (`<acronym>` and `<pk>` arguments) showing the box of
    the job `find_job(request, access, pk)` returns (it raises Http404 for a job the user may
    not see); `context(request, access, job)` adds what the kind's detail template needs."""

    @require_GET
    @mission_view(capability)
    def job_status(request, access, pk):
        job = find_job(request, access, pk)
        poll_url = reverse(url_name, args=[access.mission.acronym, job.pk])
        extra = context(request, access, job) if context is not None else {}
        return render_job_status(request, job, box, poll_url, {"mission": access.mission, "access": access, **extra})

    job_status.__doc__ = f"The status box of a job, for htmx to poll while it runs ({url_name})."
    return job_status
