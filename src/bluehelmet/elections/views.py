"""Election pages. Staff (administrators, analysts, reporters, DDR officers) read them and
file observer reports and incidents; administrators and analysts compute risk, plan
security, import results and configure checklists; partners see the shared elections'
list only."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluehelmet.core.gate import mission_view
from bluehelmet.core.models import Sharing
from bluehelmet.core.params import positive_id
from bluehelmet.importers.base import ImportFailed
from bluehelmet.incidents.forms import IncidentReportForm, SourceForm, new_client_id

from . import observers, results, risk, security, services
from .forms import (
    EducationForm,
    ElectionIncidentForm,
    ObserverReportForm,
    PhaseForm,
    PlanForm,
    QuestionForm,
    ResultsUploadForm,
    RoundForm,
    TrainingForm,
)
from .incidents import DEFAULT_TYPE, report_election_incident, round_incidents
from .models import ChecklistQuestion, Election, Phase, PollingStation, Round, SecurityPlan, StationRisk


def _round(access, pk):
    return get_object_or_404(Round.objects.select_related("election"), pk=pk, election__mission=access.mission)


def _context(access, round_=None, **extra):
    return {
        "mission": access.mission,
        "access": access,
        "round": round_,
        "election": round_.election if round_ else None,
        "can_manage": access.can("elections.manage"),
        **extra,
    }


@require_GET
@mission_view()
def index(request, access):
    mission = access.mission
    elections = Election.objects.filter(mission=mission).prefetch_related("rounds")
    if not access.can("elections.staff"):
        elections = elections.filter(sharing=Sharing.PUBLIC)
    stations = PollingStation.objects.filter(centre__mission=mission)
    context = _context(
        access,
        elections=elections,
        staff=access.can("elections.staff"),
        stations=stations.aggregate(
            n=Count("pk"), voters=Sum("registered_voters"), centres=Count("centre", distinct=True)
        ),
    )
    return render(request, "elections/index.html", context)


@require_POST
@mission_view("elections.manage")
def round_new(request, access, pk):
    mission = access.mission
    election = get_object_or_404(Election, pk=pk, mission=mission)
    form = RoundForm(request.POST, election=election)
    if form.is_valid():
        round_ = services.add_to_election(election, form)
        messages.success(request, _("Round added."))
        return redirect("elections:round", acronym=mission.acronym, pk=round_.pk)
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {error}")
    return redirect("elections:index", acronym=mission.acronym)


@require_http_methods(["GET", "POST"])
@mission_view("elections.staff")
def round_detail(request, access, pk):
    """The station risk map and the security plan."""
    mission, round_ = access.mission, _round(access, pk)
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        access.require("elections.manage")
        if request.POST.get("action") == "risk":
            n = risk.compute_station_risk(round_)
            messages.success(request, _("Risk computed for %(n)d stations.") % {"n": n})
            return redirect("elections:round", acronym=mission.acronym, pk=round_.pk)
        if form.is_valid():
            if not StationRisk.objects.filter(round=round_).exists():
                risk.compute_station_risk(round_)
            plan = security.run_security_plan(request.user, round_, security.PlanParameters(**form.cleaned_data))
            if plan is None:
                messages.error(request, _("Nothing to plan: no station, or no unit posted at a base by polling day."))
            else:
                messages.success(request, _("Security plan computed."))
            return redirect("elections:round", acronym=mission.acronym, pk=round_.pk)
    plan = SecurityPlan.objects.filter(round=round_).first()
    risks = StationRisk.objects.filter(round=round_)
    levels = dict.fromkeys(("high", "medium", "low"), 0)
    for score in risks.values_list("score", flat=True):
        levels[risk.level(score)] += 1
    assignments = (
        plan.assignments.select_related("station__centre", "unit", "base__place").order_by(
            "unit__name", "station__code"
        )
        if plan
        else []
    )
    context = _context(
        access,
        round_,
        form=form,
        plan=plan,
        levels=levels,
        risk_count=risks.count(),
        events_unknown=risks.exists() and not risks.filter(events__isnull=False).exists(),
        risk_map=risk.risk_map(round_),
        plan_map=security.plan_map(plan) if plan and plan.result else None,
        assignments=assignments,
        weights=risk.WEIGHTS,
        radii={"incidents": risk.INCIDENT_KM, "events": risk.EVENT_KM},
    )
    return render(request, "elections/round.html", context)


@require_GET
@mission_view("elections.staff")
def dashboard(request, access, pk):
    round_ = _round(access, pk)
    template = "elections/_dashboard_live.html" if request.headers.get("HX-Request") else "elections/dashboard.html"
    context = _context(
        access,
        round_,
        board=observers.dashboard(round_),
        incidents=round_incidents(request.user, round_)[:20],
        now=timezone.now(),
    )
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@mission_view("elections.staff")
def observe(request, access, pk):
    mission, round_ = access.mission, _round(access, pk)
    phase_form = PhaseForm(request.GET or {"phase": Phase.OPENING})
    phase = phase_form.cleaned_data["phase"] if phase_form.is_valid() else Phase.OPENING
    form = ObserverReportForm(request.POST or None, election=round_.election, mission=mission, phase=phase)
    if request.method == "POST" and form.is_valid():
        observers.submit(
            request.user,
            round_,
            form.cleaned_data["station"],
            phase,
            form.cleaned_data["team"],
            form.cleaned_data["notes"],
            form.answers(),
        )
        messages.success(request, _("Checklist submitted."))
        return redirect("elections:dashboard", acronym=mission.acronym, pk=round_.pk)
    return render(
        request,
        "elections/observe.html",
        _context(access, round_, form=form, phase=phase, phases=Phase.choices),
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@mission_view("elections.manage")
def checklist(request, access, pk):
    mission, round_ = access.mission, _round(access, pk)
    election = round_.election
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if "toggle" in request.POST:
            question = get_object_or_404(
                ChecklistQuestion, pk=positive_id(request.POST.get("toggle")), election=election
            )
            services.toggle_question(question)
            return redirect("elections:checklist", acronym=mission.acronym, pk=round_.pk)
        if form.is_valid():
            services.add_to_election(election, form)
            messages.success(request, _("Question added."))
            return redirect("elections:checklist", acronym=mission.acronym, pk=round_.pk)
    questions = ChecklistQuestion.objects.filter(election=election)
    return render(
        request,
        "elections/checklist.html",
        _context(access, round_, form=form, questions=questions),
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@mission_view("elections.staff")
def incident(request, access, pk):
    mission, round_ = access.mission, _round(access, pk)
    station_form = ElectionIncidentForm(request.POST or None, mission=mission)
    errors = {}
    if request.method == "POST" and station_form.is_valid():
        outcome = report_election_incident(request.user, round_, station_form.cleaned_data["station"], request.POST)
        if outcome.ok:
            messages.success(
                request, _("Incident #%(id)d reported and tagged with the election.") % {"id": outcome.incident.pk}
            )
            return redirect("elections:dashboard", acronym=mission.acronym, pk=round_.pk)
        errors = outcome.errors
    initial = {
        "type": DEFAULT_TYPE,
        "client_id": new_client_id(),
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    report_form = IncidentReportForm(request.POST or None, initial=initial, mission=mission)
    source_form = SourceForm(request.POST or None, prefix="source")
    context = _context(
        access, round_, station_form=station_form, report_form=report_form, source_form=source_form, errors=errors
    )
    return render(request, "elections/incident.html", context, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@mission_view("elections.staff")
def results_page(request, access, pk):
    """Import station results and read the anomaly report."""
    round_ = _round(access, pk)
    form = ResultsUploadForm(request.POST or None, request.FILES or None)
    import_errors, summary, status = None, None, 200
    if request.method == "POST":
        access.require("elections.manage")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / Path(upload.name).name
                with open(path, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    summary = results.import_results(round_, path)
                except ImportFailed as failed:
                    import_errors, status = failed, 400
        else:
            status = 400
    report = results.anomaly_report(round_)
    context = _context(access, round_, form=form, import_errors=import_errors, summary=summary, report=report)
    return render(request, "elections/results.html", context, status=status)


@require_GET
@mission_view("elections.manage")
def results_sample(request, access, pk):
    """A sample results file for this round (its stations, made-up figures marked SAMPLE)."""
    round_ = _round(access, pk)
    response = HttpResponse(results.sample_results_csv(round_), content_type="text/csv; charset=utf-8")
    name = f"SAMPLE-results-{access.mission.acronym}-round{round_.number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@mission_view("elections.staff")
def preparation(request, access, pk):
    """Training of electoral officials and voter education for the election."""
    mission, round_ = access.mission, _round(access, pk)
    election = round_.election
    training_form = TrainingForm(
        request.POST if request.POST.get("form") == "training" else None,
        mission=mission,
        user=request.user,
        prefix="training",
    )
    education_form = EducationForm(
        request.POST if request.POST.get("form") == "education" else None,
        mission=mission,
        user=request.user,
        prefix="education",
    )
    if request.method == "POST":
        access.require("elections.manage")
        form = training_form if request.POST.get("form") == "training" else education_form
        if form.is_bound and form.is_valid():
            services.add_to_election(election, form)
            messages.success(request, _("Saved."))
            return redirect("elections:preparation", acronym=mission.acronym, pk=round_.pk)
    trainings = election.trainings.select_related("place")
    events = election.education_events.select_related("place", "organiser")
    context = _context(
        access,
        round_,
        training_form=training_form,
        education_form=education_form,
        trainings=trainings,
        events=events,
        trained=trainings.aggregate(people=Sum("participants"), women=Sum("women")),
        reached=events.aggregate(people=Sum("audience"), n=Count("pk")),
    )
    return render(request, "elections/preparation.html", context, status=400 if request.method == "POST" else 200)
