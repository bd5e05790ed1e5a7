"""One status box for every background job (core/_job_status.html), and the view that polls it.

The box shows a job record (core.job_records.JobRecord): its status, when it was asked for,
started and finished, who started it, and why it failed. While the job is queued or running
the box asks its own URL again (htmx, every `poll_seconds`) and replaces itself. Each kind
adds what its result is (an import's row counts, a report's links) with a `detail_template`
included inside the box, and says whether a finished job reloads the whole page (to show
what it made).

    STATUS_BOX = JobStatusBox(
        "earlywarning:run-status", "run-status", "earlywarning/_run_result.html", refresh_when=is_finished
    )
    run_status = job_status_view(STATUS_BOX, find_run)

`job_status_view` is for mission pages (gated by `@mission_view`, with a capability when
given); a page outside a mission renders the box with `render_job_status` behind its own
check. Every box is listed (`status_boxes`), so a test can check that its route is a poll
that does not keep an idle session alive (core.idle.POLLING_ROUTES).
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


_boxes: list[JobStatusBox] = []


@dataclass(frozen=True)
class JobStatusBox:
    """How one kind of job's status box looks: the route it polls (its arguments, then the
    job's pk), its element id (the pages and their tests know it), the kind's own part, how
    often it polls, and when a finished job reloads the page around it (None: never)."""

    url_name: str
    box_id: str
    detail_template: str = ""
    poll_seconds: int = 2
    refresh_when: Callable[[object], bool] | None = None

    def __post_init__(self):
        _boxes.append(self)

    def poll_url(self, job, *url_args) -> str:
        return reverse(self.url_name, args=[*url_args, job.pk])

    def context(self, job, *url_args) -> dict:
        """What the box template needs; `url_args`: the route's arguments before the pk."""
        return {
            "job": job,
            "poll_url": self.poll_url(job, *url_args),
            "box_id": self.box_id,
            "detail_template": self.detail_template,
            "poll_seconds": self.poll_seconds,
        }


def status_boxes() -> list[JobStatusBox]:
    """Every status box defined (by the views modules imported so far)."""
    return list(_boxes)


def render_job_status(request, job, box: JobStatusBox, url_args=(), context: dict | None = None):
    """The box alone (what htmx polls). With HX-Refresh when the job is done and the page
    around it must show the result."""
    response = render(request, TEMPLATE, {**(context or {}), **box.context(job, *url_args)})
    if box.refresh_when is not None and box.refresh_when(job):
        response["HX-Refresh"] = "true"
    return response


def job_status_view(
    box: JobStatusBox, find_job: Callable, *, capability: str | None = None, context: Callable | None = None
):
    """A GET view for the box's route (`<acronym>` and `<pk>` arguments) showing the box of
    the job `find_job(request, access, pk)` returns (it raises Http404 for a job the user may
    not see); `context(request, access, job)` adds what the kind's detail template needs."""

    @require_GET
    @mission_view(capability)
    def job_status(request, access, pk):
        job = find_job(request, access, pk)
        extra = context(request, access, job) if context is not None else {}
        mission = access.mission
        return render_job_status(request, job, box, [mission.acronym], {"mission": mission, "access": access, **extra})

    job_status.__doc__ = f"The status box of a job, for htmx to poll while it runs ({box.url_name})."
    return job_status
