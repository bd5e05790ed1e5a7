"""Humanitarian pages: the gap analysis (table and map), the four lists with their forms
and exports, and the HXL upload. Every mission member reads (partners: public records);
humanitarian officers and administrators record; analysts also import."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from bluehelmet.core import gate
from bluehelmet.core.gate import mission_view
from bluehelmet.core.job_views import JobStatusBox, job_status_view
from bluehelmet.core.params import positive_id
from bluehelmet.importers.models import ImportJob
from bluehelmet.importers.uploads import start_import_job
from bluehelmet.importers.views import can_match_places, job_context

from . import exports, queries, records
from .forms import AccessConstraintForm, ActivityForm, DeliveryForm, HxlUploadForm, NeedsAssessmentForm
from .importers import HUMANITARIAN_IMPORTERS
from .models import AccessConstraint, Activity, Delivery, NeedsAssessment, Sector

PER_PAGE = 50
MAP_LABELS = {
    "need": gettext_lazy("People in need"),
    "gap": gettext_lazy("Gap"),
    "severity": gettext_lazy("Severity"),
    "none": gettext_lazy("No assessment"),
    "unassessed": gettext_lazy("Sectors with activities but no assessment"),
}


@dataclass(frozen=True)
class ListKind:
    """One of the four lists: its records, form, templates and exports."""

    name: str
    model: type
    form: type
    query: object
    title: str
    new_title: str
    hxl: tuple | None = None


KINDS = {
    "needs": ListKind(
        "needs",
        NeedsAssessment,
        NeedsAssessmentForm,
        queries.needs_for,
        gettext_lazy("Needs assessments"),
        gettext_lazy("Record a needs assessment"),
        exports.NEEDS_COLUMNS,
    ),
    "activities": ListKind(
        "activities",
        Activity,
        ActivityForm,
        queries.activities_for,
        gettext_lazy("Who does what where (3W)"),
        gettext_lazy("Record an activity"),
        exports.ACTIVITY_COLUMNS,
    ),
    "deliveries": ListKind(
        "deliveries",
        Delivery,
        DeliveryForm,
        queries.deliveries_for,
        gettext_lazy("Aid deliveries"),
        gettext_lazy("Record a delivery"),
    ),
    "constraints": ListKind(
        "constraints",
        AccessConstraint,
        AccessConstraintForm,
        queries.constraints_for,
        gettext_lazy("Access constraints"),
        gettext_lazy("Record an access constraint"),
    ),
}


def _labels(labels: dict) -> dict:
    return {key: str(value) for key, value in labels.items()}


def _context(request, mission, **extra):
    mission_access = gate.access(request.user, mission)
    return {
        "mission": mission,
        "can_edit": mission_access.can("humanitarian.edit"),
        "can_import": mission_access.can("humanitarian.import"),
        "sectors": Sector.choices,
        **extra,
    }


def _day(value: str):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _gap_params(request):
    sector = request.GET.get("sector", "")
    sector = sector if sector in Sector.values else ""
    return sector, _day(request.GET.get("start", "")), _day(request.GET.get("end", ""))


@require_GET
@mission_view()
def index(request, access):
    """The gap analysis: need minus coverage by area and sector, table and map."""
    mission = access.mission
    sector, start, end = _gap_params(request)
    analysis = queries.gap_analysis(request.user, mission, sector=sector or None, start=start, end=end)
    rows = [
        {"gap": row, "area": analysis.areas.get(row.area), "sector_label": queries.sector_label(row.sector)}
        for row in analysis.rows
    ]
    return render(
        request,
        "humanitarian/index.html",
        _context(
            request,
            mission,
            analysis=analysis,
            rows=rows,
            sector=sector,
            start=start,
            end=end,
            gap_map=queries.gap_map(analysis, mission, request.user),
            query=request.GET.urlencode(),
            map_labels=_labels(MAP_LABELS),
            bad_dates=bool((request.GET.get("start") and not start) or (request.GET.get("end") and not end)),
        ),
    )


@require_GET
@mission_view()
def gaps_csv(request, access):
    mission = access.mission
    sector, start, end = _gap_params(request)
    analysis = queries.gap_analysis(request.user, mission, sector=sector or None, start=start, end=end)
    return exports.gaps_csv(analysis, f"{mission.acronym}-humanitarian-gaps.csv")


def _filtered(request, kind: ListKind, mission):
    records_ = kind.query(request.user, mission)
    sector = request.GET.get("sector", "")
    if sector in Sector.values and kind.name != "constraints":
        records_ = records_.filter(sector=sector)
    place = request.GET.get("place", "").strip()
    if place:
        records_ = records_.filter(place__name__icontains=place)
    return records_, sector, place


@require_GET
@mission_view()
def record_list(request, access, kind):
    kind = KINDS[kind]
    mission = access.mission
    found, sector, place = _filtered(request, kind, mission)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    extra = {}
    if kind.name == "constraints" and access.can("humanitarian.edit"):
        extra["unrecorded"] = records.unrecorded_access_denials(request.user, mission)[:20]
    return render(
        request,
        f"humanitarian/{kind.name}.html",
        _context(
            request, mission, kind=kind, page=page, sector=sector, place=place, query=request.GET.urlencode(), **extra
        ),
    )


@require_GET
@mission_view()
def export_csv(request, access, kind):
    kind = KINDS[kind]
    mission = access.mission
    found, _sector, _place = _filtered(request, kind, mission)
    filename = f"{mission.acronym}-{kind.name}.csv"
    if kind.name == "needs":
        return exports.needs_csv(found, filename)
    if kind.name == "activities":
        return exports.activities_csv(found, filename)
    columns = exports.DELIVERY_COLUMNS if kind.name == "deliveries" else exports.CONSTRAINT_COLUMNS
    return exports.simple_csv(found, columns, filename)


@require_GET
@mission_view()
def export_hxl(request, access, kind):
    kind = KINDS[kind]
    if kind.hxl is None:
        raise Http404
    mission = access.mission
    found, _sector, _place = _filtered(request, kind, mission)
    return exports.hxl_response(f"{mission.acronym}-{kind.name}-hxl.csv", kind.hxl, found)


def _form(request, kind: ListKind, mission, instance=None, initial=None):
    places = queries.mission_places(request.user, mission)
    extra = {}
    if kind.name == "constraints":
        extra["incidents"] = records.linkable_incidents(request.user, mission)
    if kind.name == "deliveries":
        extra["constraints"] = queries.constraints_for(request.user, mission)
    return kind.form(request.POST or None, instance=instance, initial=initial, mission=mission, places=places, **extra)


@require_http_methods(["GET", "POST"])
@mission_view("humanitarian.edit")
def record_new(request, access, kind):
    kind = KINDS[kind]
    mission = access.mission
    initial = None
    if kind.name == "constraints" and (incident_pk := positive_id(request.GET.get("incident"))):
        incident = get_object_or_404(records.linkable_incidents(request.user, mission), pk=incident_pk)
        initial = records.constraint_from_incident(incident)
    return _edit(request, kind, mission, _form(request, kind, mission, initial=initial))


@require_http_methods(["GET", "POST"])
@mission_view("humanitarian.edit")
def record_edit(request, access, kind, pk):
    kind = KINDS[kind]
    mission = access.mission
    instance = get_object_or_404(kind.query(request.user, mission), pk=pk)
    return _edit(request, kind, mission, _form(request, kind, mission, instance=instance), instance)


def _edit(request, kind, mission, form, instance=None):
    if request.method == "POST" and form.is_valid():
        if kind.name == "deliveries":
            record = records.save_delivery(form, request.user)
        else:
            record = records.save_record(form, request.user)
        messages.success(request, _("Saved: %(record)s.") % {"record": record})
        return redirect(f"humanitarian:{kind.name}", mission.acronym)
    return render(
        request,
        "humanitarian/edit.html",
        _context(request, mission, kind=kind, form=form, instance=instance),
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@mission_view("humanitarian.import")
def import_file(request, access):
    mission = access.mission
    form = HxlUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_import_job(
            request.user,
            form.cleaned_data["kind"],
            form.cleaned_data["file"],
            {"mission": mission.acronym, "imported_by": request.user.pk},
        )
        return redirect("humanitarian:import-job", mission.acronym, job.pk)
    jobs = _jobs(request.user, mission)[:20]
    return render(
        request,
        "humanitarian/import.html",
        _context(request, mission, form=form, jobs=jobs),
        status=400 if form.errors else 200,
    )


def _jobs(user, mission):
    """The user's own imports into this mission (their imports elsewhere are on those missions' pages)."""
    return ImportJob.objects.filter(
        actor=user, kind__in=[i.kind for i in HUMANITARIAN_IMPORTERS], summary__options__mission=mission.acronym
    )


def _job(request, access, pk):
    return get_object_or_404(_jobs(request.user, access.mission), pk=pk)


def _job_context(request, access, job) -> dict:
    return _context(request, access.mission, can_match=can_match_places(request.user), **job_context(job))


# The import's status box (core.job_views), with what it changed or refused inside.
STATUS_BOX = JobStatusBox(
    "humanitarian:import-job-status", "job-status", "humanitarian/_import_result.html", poll_seconds=1
)


@require_GET
@mission_view("humanitarian.import")
def import_job(request, access, pk):
    job = _job(request, access, pk)
    context = {**_job_context(request, access, job), **STATUS_BOX.context(job, access.mission.acronym)}
    return render(request, "humanitarian/import_job.html", context)


import_job_status = job_status_view(STATUS_BOX, _job, capability="humanitarian.import", context=_job_context)
