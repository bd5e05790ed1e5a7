"""Upload a file, follow its import. Importers only (administrators and analysts); what a file
may change is checked row by row (importers.uploads), and a job is seen only by who started it,
the administrators of the missions it touches, and superusers."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bluehelmet.core import gate
from bluehelmet.core.access import can_import, countries_where
from bluehelmet.core.job_views import JobStatusBox, render_job_status
from bluehelmet.core.models import Place, Role
from bluehelmet.core.params import positive_id

from .forms import ImportForm, PlaceMatchForm
from .models import ImportJob, UnmatchedPlaceName
from .places import match_candidates, match_place_name
from .progress import read_progress
from .uploads import OutOfReach, start_checked_import_job

RECENT_JOBS = 50


def importers_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def jobs_for(user):
    """Everyone follows their own imports; a mission's administrators also follow the imports
    into their mission (file names and rejected cells included); superusers follow all. An
    import that names no mission is its uploader's (and the superusers')."""
    if user.is_superuser:
        return ImportJob.objects.all()
    administered = list(gate.missions_holding(user, (Role.ADMINISTRATOR,)).values_list("acronym", flat=True))
    visible = Q(actor=user)
    if administered:
        visible |= Q(summary__options__mission__in=administered) | Q(summary__missions__has_any_keys=administered)
    return ImportJob.objects.filter(visible)


@importers_only
def jobs(request):
    # ?kind= chooses the kind, for the pages that link here to fill missing data (an unknown or
    # unoffered kind chooses nothing).
    form = ImportForm(
        request.POST or None, request.FILES or None, user=request.user, initial={"kind": request.GET.get("kind")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = start_checked_import_job(
                request.user, form.cleaned_data["kind"], form.cleaned_data["file"], form.options()
            )
        except OutOfReach as refusal:
            form.add_error("file", str(refusal))
        else:
            return redirect("importers:job", job.pk)
    recent = jobs_for(request.user).select_related("actor")[:RECENT_JOBS]
    return render(request, "importers/jobs.html", {"form": form, "jobs": recent}, status=400 if form.errors else 200)


@importers_only
def job(request, pk: int):
    job = get_object_or_404(jobs_for(request.user), pk=pk)
    return render(request, "importers/job.html", job_context(job, with_box=True))


@importers_only
def job_status(request, pk: int):
    """The job's status box (core/_job_status.html), which htmx polls while the job runs."""
    job = get_object_or_404(jobs_for(request.user), pk=pk)
    return render_job_status(request, job, STATUS_BOX, context=job_context(job))


# The options a job was started with, named for people (the summary stores the code names).
OPTION_LABELS = {
    "mission": gettext_lazy("Mission"),
    "country": gettext_lazy("Country"),
    "imported_by": gettext_lazy("Imported by (user number)"),
}


# An import's status box: its progress and outcome inside the shared job box (core.job_views).
STATUS_BOX = JobStatusBox("importers:job-status", "job-status", "importers/_job_result.html", poll_seconds=1)


def job_context(job: ImportJob, with_box: bool = False) -> dict:
    """What the import's part of its status box shows; `with_box`: the box itself too (to
    include it in a page)."""
    done, total = read_progress(job)
    finished = job.is_finished
    percent = 100 if job.status == ImportJob.Status.SUCCEEDED else min(100, round(100 * done / total)) if total else 0
    summary = {key: value for key, value in job.summary.items() if key != "options"}
    if job.status == ImportJob.Status.FAILED:
        # Jobs stopped before JobRecord.error kept their reason as the one row error, uncounted.
        summary.setdefault("error_count", len(job.errors))
    return {
        "job": job,
        "done": done,
        "total": total,
        "percent": percent,
        "finished": finished,
        "options": {OPTION_LABELS.get(name, name): value for name, value in job.summary.get("options", {}).items()},
        "summary": summary,
        **(STATUS_BOX.context(job) if with_box else {}),
    }


# -- Matching the place names imports could not find (see importers.places) -------------

MATCH_ROLES = (Role.ADMINISTRATOR, Role.ANALYST, Role.HUMANITARIAN, Role.CIVIL_AFFAIRS)


def can_match_places(user) -> bool:
    """Administrators, analysts and the officers whose area files name places."""
    return bool(gate.roles(user) & set(MATCH_ROLES))


def matchable_places(user):
    """The places a user may match names to: those in the host countries of the missions where
    they hold a matching role, never those of a mission where they are only a partner. A
    match is an alias every later import uses, so it is a change to that country's data."""
    if user.is_superuser:
        return Place.objects.all()
    return Place.objects.filter(country__in=countries_where(user, MATCH_ROLES))


@require_http_methods(["GET", "POST"])
def place_matches(request):
    if not can_match_places(request.user):
        raise PermissionDenied
    visible = matchable_places(request.user)
    # A name from a mission with several host countries has no country: superusers match those.
    countries = Q(country__in=visible.filter(kind=Place.Kind.COUNTRY)) | (
        Q(country__isnull=True) if request.user.is_superuser else Q(pk__in=[])
    )
    pending = (
        UnmatchedPlaceName.objects.filter(matched_to__isnull=True).filter(countries).order_by("source", "kind", "name")
    )
    form = None
    if request.method == "POST":
        unmatched = get_object_or_404(pending, pk=positive_id(request.POST.get("unmatched")))
        form = PlaceMatchForm(request.POST, candidates=match_candidates(unmatched, visible), prefix=f"m{unmatched.pk}")
        if form.is_valid():
            match_place_name(unmatched, form.cleaned_data["place"], request.user)
            messages.success(
                request,
                _("“%(name)s” now means %(place)s in imports.")
                % {"name": unmatched.name, "place": form.cleaned_data["place"]},
            )
            return redirect("importers:place-matches")
    rows = []
    for unmatched in pending[:200]:
        candidates = match_candidates(unmatched, visible)
        bound = (
            form
            if form is not None and form.prefix == f"m{unmatched.pk}"
            else PlaceMatchForm(candidates=candidates, prefix=f"m{unmatched.pk}")
        )
        rows.append({"unmatched": unmatched, "form": bound})
    matched = UnmatchedPlaceName.objects.filter(matched_to__in=visible).select_related("matched_to")[:50]
    return render(
        request,
        "importers/place_matches.html",
        {"rows": rows, "matched": matched},
        status=400 if form is not None and form.errors else 200,
    )
