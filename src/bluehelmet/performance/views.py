"""Pages of the performance area. Each view gets the mission and the user's capabilities
from the gate (core.gate; capabilities declared in permissions), reads through the scoped
functions of results, effects and lessons, and writes through services."""

from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluehelmet import jobs
from bluehelmet.core.access import mission_scope, missions_for
from bluehelmet.core.gate import mission_view
from bluehelmet.core.job_views import JobStatusBox, render_job_status
from bluehelmet.datasets.queries import mission_events

from . import durability, services, tasks
from .comparison import mission_comparison
from .effects import estimates_for, readings, visible_estimates
from .forms import (
    ApplicationForm,
    AssessmentForm,
    CeasefireThresholdForm,
    IndicatorForm,
    LessonForm,
    LessonLinkForm,
    LessonSearchForm,
    MeasurementForm,
)
from .lessons import filter_lessons, visible_lessons
from .models import MEASUREMENT_MISSION, AfterActionReview, CeasefireThreshold, Measurement, Report
from .results import framework, indicator_row, status_counts, visible_indicators

LESSONS_PER_PAGE = 20


# --- Results framework ------------------------------------------------------------------


@require_GET
@mission_view()
def index(request, access):
    mission = access.mission
    tree = framework(request.user, mission)
    estimates = list(visible_estimates(request.user, mission))
    context = {
        "mission": mission,
        "tree": tree,
        "counts": status_counts(tree),
        "estimates": [(estimate, readings(estimate)) for estimate in estimates],
        "can_manage": access.can("performance.manage"),
        "is_staff": access.can("performance.staff"),
        "reports": Report.objects.filter(mission=mission)[:5] if access.can("performance.staff") else [],
        "recent_lessons": visible_lessons(request.user).filter(mission=mission)[:3],
    }
    return render(request, "performance/index.html", context)


@require_POST
@mission_view("performance.manage")
def compute_indicators(request, access):
    mission = access.mission
    jobs.submit(tasks.compute_indicators, mission.pk)
    messages.success(request, _("The indicators are being computed; reload the page in a moment."))
    return redirect("performance:index", acronym=mission.acronym)


@require_http_methods(["GET", "POST"])
@mission_view("performance.manage")
def indicator_edit(request, access, pk=None):
    mission = access.mission
    indicator = get_object_or_404(visible_indicators(request.user, mission), pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=indicator, mission=mission)
    if request.method == "POST" and form.is_valid():
        indicator = services.save_indicator(form)
        jobs.submit(tasks.compute_indicator, indicator.pk)
        return redirect("performance:indicator", acronym=mission.acronym, pk=indicator.pk)
    return render(
        request, "performance/indicator_form.html", {"mission": mission, "form": form, "indicator": indicator}
    )


def _indicator_page(request, access, indicator, measurement_form=None, assessment_form=None, status=200):
    row = indicator_row(indicator)
    context = {
        "mission": access.mission,
        "row": row,
        "indicator": indicator,
        "measurements": sorted(indicator.measurements.all(), key=lambda m: m.period, reverse=True),
        "assessments": indicator.assessments.all(),
        "lessons": visible_lessons(request.user).filter(
            links__content_type__model="indicator", links__object_id=indicator.pk
        ),
        "can_manage": access.can("performance.manage"),
        "measurement_form": measurement_form or MeasurementForm(indicator=indicator),
        "assessment_form": assessment_form or AssessmentForm(),
        "chart": {
            "periods": [p["period"] for p in row.series],
            "values": [p["value"] for p in row.series],
            "baseline": indicator.baseline,
            "target": indicator.target,
            "label": indicator.name,
            "baselineLabel": _("Baseline"),
            "targetLabel": _("Target"),
        },
    }
    return render(request, "performance/indicator_detail.html", context, status=status)


@require_GET
@mission_view()
def indicator_detail(request, access, pk):
    mission = access.mission
    indicator = get_object_or_404(visible_indicators(request.user, mission), pk=pk)
    return _indicator_page(request, access, indicator)


@require_POST
@mission_view("performance.manage")
def measurement_add(request, access, pk):
    mission = access.mission
    indicator = get_object_or_404(visible_indicators(request.user, mission), pk=pk)
    form = MeasurementForm(request.POST, request.FILES, indicator=indicator)
    if not form.is_valid():
        return _indicator_page(request, access, indicator, measurement_form=form, status=400)
    services.record_measurement(request.user, indicator, form.cleaned_data)
    messages.success(request, _("Value saved."))
    return redirect("performance:indicator", acronym=mission.acronym, pk=indicator.pk)


@require_POST
@mission_view("performance.manage")
def assessment_add(request, access, pk):
    mission = access.mission
    indicator = get_object_or_404(visible_indicators(request.user, mission), pk=pk)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return _indicator_page(request, access, indicator, assessment_form=form, status=400)
    services.add_assessment(request.user, indicator, form)
    messages.success(request, _("Assessment saved."))
    return redirect("performance:indicator", acronym=mission.acronym, pk=indicator.pk)


@require_GET
@mission_view()
def evidence(request, access, pk):
    mission = access.mission
    measurement = get_object_or_404(
        Measurement.objects.filter(
            mission_scope(request.user, mission_field=MEASUREMENT_MISSION, sharing_field="indicator__sharing"),
            **{MEASUREMENT_MISSION: mission},
        ),
        pk=pk,
    )
    if not measurement.evidence:
        raise Http404("No evidence attached.")
    return FileResponse(
        measurement.evidence.open("rb"), as_attachment=True, filename=Path(measurement.evidence.name).name
    )


# --- Effect estimates -------------------------------------------------------------------------


@require_GET
@mission_view()
def effects(request, access):
    mission = access.mission
    estimates = list(visible_estimates(request.user, mission))
    context = {
        "mission": mission,
        "estimates": [(estimate, readings(estimate)) for estimate in estimates],
        "can_manage": access.can("performance.manage"),
    }
    return render(request, "performance/effects.html", context)


@require_POST
@mission_view("performance.manage")
def effects_run(request, access):
    mission = access.mission
    jobs.submit(tasks.compute_effects, mission.pk)
    messages.success(request, _("The effect analysis is running; reload the page in a moment."))
    return redirect("performance:effects", acronym=mission.acronym)


@require_GET
@mission_view()
def effect_figure(request, access, pk):
    mission = access.mission
    estimate = get_object_or_404(estimates_for(request.user, mission).exclude(figure_svg=""), pk=pk)
    response = HttpResponse(estimate.figure_svg, content_type="image/svg+xml")
    # Our own SVG, but never let it run script if opened directly.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_GET
@mission_view()
def comparison(request, access):
    """The mission's country beside the other conflicts of the HKS file (published data)."""
    mission = access.mission
    context = {"mission": mission, **mission_comparison(request.user, mission)}
    return render(request, "performance/comparison.html", context)


@require_http_methods(["GET", "POST"])
@mission_view()
def ceasefire_durability(request, access):
    """Each ceasefire of the mission as a spell, against the historical curve; managers
    set the threshold that breaks a ceasefire."""
    mission = access.mission
    can_manage = access.can("performance.manage")
    setting = CeasefireThreshold.objects.filter(mission=mission).first() or CeasefireThreshold(mission=mission)
    form = CeasefireThresholdForm(request.POST or None, instance=setting) if can_manage else None
    if request.method == "POST":
        access.require("performance.manage")
        if form.is_valid():
            services.save_ceasefire_threshold(form)
            messages.success(request, _("Threshold saved."))
            return redirect("performance:ceasefire-durability", acronym=mission.acronym)
    context = {"mission": mission, "form": form, **durability.ceasefire_durability(request.user, mission)}
    return render(request, "performance/durability.html", context, status=400 if form and form.errors else 200)


# --- Reports --------------------------------------------------------------------------------


def _staff_mission(access):
    """Reports hold staff-only data: to anyone else they do not exist (404, not 403)."""
    if not access.can("performance.staff"):
        raise Http404("No such report.")
    return access.mission


@require_POST
@mission_view()
def report_request(request, access):
    mission = _staff_mission(access)
    report = services.request_report(request.user, mission, get_language() or "en")
    jobs.submit(tasks.generate_report, report.pk)
    return redirect("performance:report", acronym=mission.acronym, pk=report.pk)


# A report's status box (core.job_views): its links once written.
STATUS_BOX = JobStatusBox("performance:report", "report-status", "performance/_report_result.html")


@require_GET
@mission_view()
def report_detail(request, access, pk):
    """The report's page; to htmx (which polls it while the report is written), its status box."""
    mission = _staff_mission(access)
    report = get_object_or_404(Report.objects.select_related("actor"), mission=mission, pk=pk)
    context = {"mission": mission, "report": report}
    if request.headers.get("HX-Request"):
        return render_job_status(request, report, STATUS_BOX, [mission.acronym], context)
    return render(request, "performance/report_detail.html", {**context, **STATUS_BOX.context(report, mission.acronym)})


def _report_file(request, access, pk, suffix):
    mission = _staff_mission(access)
    report = get_object_or_404(Report, mission=mission, pk=pk, status=Report.Status.SUCCEEDED)
    path = Path(report.html_path if suffix == "html" else report.pdf_path)
    if not path.is_file():
        raise Http404("The report file is gone.")
    content_type = "text/html; charset=utf-8" if suffix == "html" else "application/pdf"
    return FileResponse(path.open("rb"), content_type=content_type, as_attachment=suffix == "pdf", filename=path.name)


@require_GET
@mission_view()
def report_html(request, access, pk):
    return _report_file(request, access, pk, "html")


@require_GET
@mission_view()
def report_pdf(request, access, pk):
    return _report_file(request, access, pk, "pdf")


# --- Lessons learned ----------------------------------------------------------------------------


@require_GET
@mission_view()
def lessons(request, access):
    mission = access.mission
    form = LessonSearchForm(request.GET or None, missions=missions_for(request.user))
    found = visible_lessons(request.user)
    if form.is_valid():
        found = filter_lessons(
            found,
            text=form.cleaned_data["q"],
            **{k: form.cleaned_data[k] for k in ("mission", "theme", "date_from", "date_to", "applied", "exercise")},
        )
    page = Paginator(found.prefetch_related("applications"), LESSONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "mission": mission,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "reviews": AfterActionReview.objects.filter(mission_scope(request.user), mission=mission),
        "can_record": access.can("performance.staff"),
    }
    template = "performance/_lesson_results.html" if request.headers.get("HX-Request") else "performance/lessons.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@mission_view("performance.staff")
def lesson_create(request, access):
    mission = access.mission
    form = LessonForm(request.POST or None, mission=mission)
    if request.method == "POST" and form.is_valid():
        lesson = services.record_lesson(request.user, mission, form)
        return redirect("performance:lesson", acronym=mission.acronym, pk=lesson.pk)
    return render(
        request, "performance/lesson_form.html", {"mission": mission, "form": form}, status=400 if form.errors else 200
    )


def _lesson_page(request, access, lesson, application_form=None, link_form=None, status=200):
    mission = access.mission
    links = []
    for link in lesson.links.select_related("content_type"):
        target = link.target
        if target is None:
            continue
        url = ""
        if link.content_type.model == "indicator":
            url = reverse("performance:indicator", args=[mission.acronym, target.pk])
        links.append({"link": link, "target": target, "kind": link.content_type.name, "url": url})
    context = {
        "mission": mission,
        "lesson": lesson,
        "links": links,
        "applications": lesson.applications.select_related("mission"),
        "can_record": access.can("performance.staff"),
        "application_form": application_form or ApplicationForm(missions=missions_for(request.user)),
        "link_form": link_form or _link_form(request, mission),
    }
    return render(request, "performance/lesson_detail.html", context, status=status)


def _link_form(request, mission, data=None):
    return LessonLinkForm(
        data, indicators=visible_indicators(request.user, mission), events=mission_events(request.user, mission)
    )


def _lesson_or_404(request, mission, pk):
    return get_object_or_404(visible_lessons(request.user).filter(mission=mission), pk=pk)


@require_GET
@mission_view()
def lesson_detail(request, access, pk):
    mission = access.mission
    return _lesson_page(request, access, _lesson_or_404(request, mission, pk))


@require_POST
@mission_view("performance.staff")
def lesson_apply(request, access, pk):
    mission = access.mission
    lesson = _lesson_or_404(request, mission, pk)
    form = ApplicationForm(request.POST, missions=missions_for(request.user))
    if not form.is_valid():
        return _lesson_page(request, access, lesson, application_form=form, status=400)
    services.mark_lesson_applied(request.user, lesson, form)
    messages.success(request, _("Marked as applied elsewhere."))
    return redirect("performance:lesson", acronym=mission.acronym, pk=lesson.pk)


@require_POST
@mission_view("performance.staff")
def lesson_link(request, access, pk):
    mission = access.mission
    lesson = _lesson_or_404(request, mission, pk)
    form = _link_form(request, mission, request.POST)
    if not form.is_valid():
        return _lesson_page(request, access, lesson, link_form=form, status=400)
    services.link_lesson(lesson, form)
    messages.success(request, _("Link saved."))
    return redirect("performance:lesson", acronym=mission.acronym, pk=lesson.pk)
