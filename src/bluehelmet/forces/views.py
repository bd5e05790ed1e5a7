"""Forces pages: units and bases, training compliance, the allocation plan, patrols,
equipment and recognition. Views pick data functions, a write function (services, patrols,
planning, recognition: the views write nothing) and a template; scoping lives in those
functions and in core.access; who may open which page is declared in permissions and
checked by the gate (core.gate)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluehelmet.core.audit import audit_detail, log_sensitive_access
from bluehelmet.core.gate import mission_view
from bluehelmet.core.job_views import JobStatusBox, job_status_view
from bluehelmet.datasets.queries import missing_events, strength_series
from bluehelmet.importers.models import ImportJob
from bluehelmet.importers.uploads import start_import_job

from . import queries, services
from .forms import (
    AwardDecisionForm,
    AwardProposalForm,
    EquipmentForm,
    ForcesImportForm,
    PatrolPlanForm,
    PatrolReportForm,
    PlanForm,
    RiskForm,
)
from .importers import FORCES_IMPORTERS
from .models import AllocationPlan, Award, Equipment, Parade, Patrol, Person, PlaceRisk
from .patrols import save_patrol
from .planning import (
    RiskSource,
    candidate_places,
    describe_problem,
    enter_place_risks,
    latest_plan,
    latest_run,
    mission_risk,
    queue_plan,
)
from .posture import posture_date, units_for
from .recognition import (
    certificate_pdf,
    decide_award,
    medal_eligibility,
    parade_eligibility,
    propose_award,
    qualifying_days,
)
from .training import compliance_by, compliance_share, course_names, person_compliance, required_courses


def _day(request, default: datetime.date) -> datetime.date:
    return parse_date(request.GET.get("on", "") or "") or default


@require_GET
@mission_view()
def index(request, access):
    mission = access.mission
    show_all = request.GET.get("all") == "1"
    day = parse_date(request.GET.get("on", "") or "")
    context = {
        "mission": mission,
        "access": access,
        "show_all": show_all,
        **queries.units_and_sites(request.user, mission, show_all, day),
    }
    context["strength"] = strength_series(request.user, mission)
    return render(request, "forces/index.html", context)


@require_GET
@mission_view("forces.staff")
def training(request, access):
    mission = access.mission
    people = Person.objects.filter(mission=mission)
    day = _day(request, posture_date(mission) or datetime.date.today())
    rows = person_compliance(mission, people, day)
    overdue = sorted(
        (r for r in rows if r.missing), key=lambda r: (r.person.unit.name if r.person.unit else "", r.person.name)
    )
    if overdue:
        log_sensitive_access(
            request.user,
            mission,
            mission=mission,
            detail=audit_detail(
                gettext_noop("training overdue list on %(day)s: %(count)s people"), day=day, count=len(overdue)
            ),
        )
    names = course_names()
    required = required_courses(mission)
    context = {
        "mission": mission,
        "access": access,
        "day": day,
        "has_people": people.exists(),
        "share": compliance_share(rows),
        "deployed": len(rows),
        "by_unit": compliance_by(rows, lambda p: p.unit.name if p.unit else _("No unit")),
        "by_country": compliance_by(rows, lambda p: p.country.name if p.country else _("Country not known")),
        "overdue": [
            {
                "person": r.person,
                "missing": sorted(names[c] for c in r.missing),
                "lapsed": sorted(names[c] for c in r.expired),
            }
            for r in overdue
        ],
        "matrix": queries.requirement_matrix(required, names),
    }
    return render(request, "forces/training.html", context)


@require_http_methods(["GET", "POST"])
@mission_view("forces.staff")
def plan(request, access):
    mission = access.mission
    places = candidate_places(request.user, mission)
    can_run = access.can("forces.manage")
    form = PlanForm(request.POST or None, places=places)
    if request.method == "POST":
        access.require("forces.manage")
        if form.is_valid():
            queue_plan(request.user, mission, form.parameters())
            return redirect("forces:plan", acronym=mission.acronym)
    risk = mission_risk(request.user, mission, places)
    current = latest_plan(mission)
    context = {
        "mission": mission,
        "access": access,
        "form": form,
        "can_run": can_run,
        "risk": risk,
        "missing_events": _missing_risk_data(request, access, risk),
        "places": len(places),
        "plan": current,
        **plan_run_context(latest_run(mission), current),
        "map_data": queries.plan_map_data(current) if current else None,
        "plan_posture_day": parse_date(current.parameters.get("posture_day", "")) if current else None,
    }
    return render(request, "forces/plan.html", context)


def plan_run_context(run, shown) -> dict:
    """The latest run when it is not the plan shown: still going, or failed and why."""
    if run is None or run == shown and run.status in AllocationPlan.SOLVED:
        return {"run": None}
    return {"run": run, **_run_details(run, shown), **STATUS_BOX.context(run, run.mission.acronym)}


def _run_details(run, shown) -> dict:
    return {
        "run_problems": [describe_problem(p) for p in run.problems],
        "earlier_plan": shown is not None and shown != run,
    }


def _solved(run) -> bool:
    return run.status in AllocationPlan.SOLVED


# A run's status box (core.job_views) on the plan page; once a plan is found the whole page
# reloads to show it.
STATUS_BOX = JobStatusBox(
    "forces:plan-status", "plan-run", "forces/_plan_result.html", poll_seconds=1, refresh_when=_solved
)
plan_status = job_status_view(
    STATUS_BOX,
    lambda request, access, pk: get_object_or_404(AllocationPlan, pk=pk, mission=access.mission),
    capability="forces.staff",
    context=lambda request, access, run: _run_details(run, latest_plan(access.mission)),
)


@require_http_methods(["GET", "POST"])
@mission_view("forces.manage")
def risk(request, access):
    mission = access.mission
    places = candidate_places(request.user, mission)
    entered = dict(PlaceRisk.objects.filter(mission=mission).values_list("place", "risk"))
    form = RiskForm(request.POST or None, places=places, initial_risk=entered)
    if request.method == "POST" and form.is_valid():
        enter_place_risks(request.user, mission, form.risks())
        messages.success(request, _("Risk saved."))
        return redirect("forces:risk", acronym=mission.acronym)
    return render(request, "forces/risk.html", {"mission": mission, "access": access, "form": form})


@require_GET
@mission_view("forces.staff")
def patrols(request, access):
    # Staff only: the coverage table sets patrols against risk, which partners do not see.
    mission = access.mission
    context = {"mission": mission, "access": access, **queries.patrols_and_coverage(request.user, mission)}
    context["missing_events"] = _missing_risk_data(request, access, context["risk"])
    return render(request, "forces/patrols.html", context)


def _missing_risk_data(request, access, risk):
    """With no risk at all (no forecast, none entered by hand, no events), the conflict events
    that are missing and the import that would fill them; None otherwise."""
    return missing_events(request.user, access) if risk.source == RiskSource.NONE else None


@require_http_methods(["GET", "POST"])
@mission_view("forces.staff")
def patrol_new(request, access):
    mission = access.mission
    places = candidate_places(request.user, mission)
    form = PatrolPlanForm(
        request.POST or None, instance=Patrol(mission=mission), units=units_for(request.user, mission), places=places
    )
    if request.method == "POST" and form.is_valid():
        save_patrol(form, Patrol.Status.PLANNED)
        messages.success(request, _("Patrol planned."))
        return redirect("forces:patrols", acronym=mission.acronym)
    context = {"mission": mission, "access": access, "form": form, "place_points": queries.place_points(places)}
    return render(request, "forces/patrol_plan.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@mission_view("forces.staff")
def patrol_report(request, access, pk):
    mission = access.mission
    patrol = get_object_or_404(queries.patrols_for(request.user, mission).select_related("unit"), pk=pk)
    if patrol.status == Patrol.Status.CANCELLED:
        raise Http404("A cancelled patrol has no report.")
    form = PatrolReportForm(
        request.POST or None, instance=patrol, user=request.user, places=candidate_places(request.user, mission)
    )
    if request.method == "POST" and form.is_valid():
        save_patrol(form, Patrol.Status.CONDUCTED)
        messages.success(request, _("Patrol recorded as conducted."))
        return redirect("forces:patrols", acronym=mission.acronym)
    return render(
        request,
        "forces/patrol_report.html",
        {"mission": mission, "access": access, "form": form, "patrol": patrol},
        status=400 if form.errors else 200,
    )


@require_GET
@mission_view("forces.staff")
def equipment(request, access):
    mission = access.mission
    return render(
        request,
        "forces/equipment.html",
        {"mission": mission, "access": access, "units": queries.equipment_by_unit(request.user, mission)},
    )


@require_http_methods(["GET", "POST"])
@mission_view("forces.staff")
def equipment_edit(request, access, pk=None):
    """Record a unit's item of major equipment, or update its counts."""
    mission = access.mission
    units = units_for(request.user, mission)
    item = (
        get_object_or_404(Equipment, pk=pk, unit__in=units)
        if pk
        else Equipment(updated=posture_date(mission) or datetime.date.today())
    )
    form = EquipmentForm(request.POST or None, instance=item, units=units)
    if request.method == "POST" and form.is_valid():
        services.save_equipment(form)
        messages.success(request, _("Equipment saved."))
        return redirect("forces:equipment", acronym=mission.acronym)
    return render(
        request,
        "forces/equipment_form.html",
        {"mission": mission, "access": access, "form": form, "item": item},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@mission_view("forces.manage")
def imports(request, access):
    """Units, personnel, training and populations from CSV files into this mission."""
    mission = access.mission
    form = ForcesImportForm(request.POST or None, request.FILES or None, kinds=FORCES_IMPORTERS)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        options = {"mission": mission.acronym}
        if "imported_by" in form.kinds[kind].option_names:
            options["imported_by"] = request.user.pk
        job = start_import_job(request.user, kind, form.cleaned_data["file"], options)
        return redirect("importers:job", job.pk)
    jobs = ImportJob.objects.filter(
        kind__in=[i.kind for i in FORCES_IMPORTERS], summary__options__mission=mission.acronym
    )
    if not access.can("forces.import_jobs"):
        jobs = jobs.filter(actor=request.user)
    context = {"mission": mission, "access": access, "form": form, "jobs": jobs.select_related("actor")[:20]}
    return render(request, "forces/imports.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@mission_view("forces.staff")
def recognition(request, access):
    mission = access.mission
    can_propose = access.can("forces.manage")
    form = AwardProposalForm(request.POST or None, mission=mission)
    if request.method == "POST":
        access.require("forces.manage")
        if form.is_valid():
            propose_award(request.user, form)
            messages.success(request, _("Award proposed."))
            return redirect("forces:recognition", acronym=mission.acronym)
    day = _day(request, posture_date(mission) or datetime.date.today())
    people = Person.objects.filter(mission=mission)
    eligible = medal_eligibility(mission, people, day)
    awards = list(
        Award.objects.filter(person__mission=mission)
        .select_related("person__unit", "parade")
        .prefetch_related("decisions")
    )
    if eligible or awards:
        log_sensitive_access(
            request.user,
            mission,
            mission=mission,
            detail=audit_detail(
                gettext_noop("recognition page on %(day)s: %(eligible)s eligible, %(awards)s awards"),
                day=day,
                eligible=len(eligible),
                awards=len(awards),
            ),
        )
    context = {
        "mission": mission,
        "access": access,
        "day": day,
        "qualifying_days": qualifying_days(mission),
        "form": form,
        "can_propose": can_propose,
        "can_decide": access.can("forces.decide_awards"),
        "decision_form": AwardDecisionForm(),
        "eligible": eligible,
        "awards": awards,
        "parades": [(p, len(parade_eligibility(p))) for p in mission.parades.all()],
    }
    return render(request, "forces/recognition.html", context)


@require_GET
@mission_view("forces.staff")
def parade(request, access, pk):
    mission = access.mission
    parade = get_object_or_404(Parade, pk=pk, mission=mission)
    eligible = parade_eligibility(parade)
    log_sensitive_access(
        request.user,
        parade,
        mission=mission,
        detail=audit_detail(gettext_noop("eligible list: %(count)s people"), count=len(eligible)),
    )
    return render(
        request,
        "forces/parade.html",
        {
            "mission": mission,
            "access": access,
            "parade": parade,
            "eligible": eligible,
            "qualifying_days": qualifying_days(mission),
        },
    )


@require_POST
@mission_view("forces.decide_awards")
def award_decide(request, access, pk):
    mission = access.mission
    award = get_object_or_404(Award, pk=pk, person__mission=mission)
    form = AwardDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            decide_award(award, request.user, form.cleaned_data["decision"] == "approve", form.cleaned_data["comment"])
            messages.success(request, _("Decision recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("forces:recognition", acronym=mission.acronym)


@require_GET
@mission_view("forces.staff")
def certificate(request, access, pk):
    mission = access.mission
    award = get_object_or_404(
        Award.objects.select_related("person__unit", "person__country", "person__mission"),
        pk=pk,
        person__mission=mission,
    )
    if award.status != Award.Status.APPROVED:
        raise Http404("Only an approved award has a certificate.")
    log_sensitive_access(
        request.user,
        award.person,
        action="export",
        mission=mission,
        detail=audit_detail(gettext_noop("certificate for award %(award)s"), award=award.pk),
    )
    response = HttpResponse(certificate_pdf(award), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{mission.acronym}-{award.pk}.pdf"'
    return response
