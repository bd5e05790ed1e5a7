"""The allocation optimiser fed from the database: places and their risk, the mission's
bases as candidate sites, its units where they are today; the plan stored with what it
was asked.

Risk, in order of preference:
1. early warning: bluehelmet.earlywarning.risk.latest_place_risk(mission, horizon=1);
2. risk entered by hand per place (PlaceRisk);
3. a fallback from history: the share of the last RISK_MONTHS months (up to the latest
   event in the host countries) with at least one fatal event within RISK_RADIUS_KM of
   the place. Labelled as such wherever it is shown.
Population weights the risk only when every place has one (PlacePopulation); no
population is ever assumed.
"""

import datetime
import logging
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from bluehelmet.analytics.allocate import (
    UNLIMITED,
    Infeasible,
    Problem,
    distance_km,
    evaluate_posture,
    greedy_plan,
    solve,
)
from bluehelmet.core.access import places_for
from bluehelmet.core.job_records import job_actor
from bluehelmet.core.models import Mission, Place
from bluehelmet.core.months import add_months
from bluehelmet.datasets.queries import mission_events
from bluehelmet.earlywarning.risk import latest_place_risk_or_none

from .models import AllocationPlan, Base, PlacePopulation, PlaceRisk
from .posture import bases_for, current_posture, posture_date, units_for

logger = logging.getLogger(__name__)

RISK_MONTHS = 12
RISK_RADIUS_KM = 25.0
AREA_DEPTH = (Place.Kind.ADM3, Place.Kind.ADM2, Place.Kind.ADM1)


class RiskSource:
    EARLY_WARNING = "earlywarning"
    MANUAL = "manual"
    EVENTS = "events"
    NONE = "none"


def risk_source_label(source: str) -> str:
    return {
        RiskSource.EARLY_WARNING: _("early-warning forecast (next month)"),
        RiskSource.MANUAL: _("risk entered by hand"),
        RiskSource.EVENTS: _(
            "fallback from history: share of the last %(months)s months with a fatal event within %(km)s km"
        )
        % {"months": RISK_MONTHS, "km": int(RISK_RADIUS_KM)},
        RiskSource.NONE: _("no risk available"),
    }[source]


def place_point(place: Place) -> tuple[float, float] | None:
    """(latitude, longitude) of a point, or a point inside an area."""
    if place.latitude is not None and place.longitude is not None:
        return place.latitude, place.longitude
    if place.geometry:
        try:
            point = shape(place.geometry).representative_point()
            return point.y, point.x
        except (ValueError, TypeError, AttributeError, KeyError):
            pass
    if place.min_lat is not None and place.max_lat is not None:
        return (place.min_lat + place.max_lat) / 2, (place.min_lon + place.max_lon) / 2
    return None


def candidate_places(user, mission: Mission) -> list[Place]:
    """The places to protect: the deepest admin level with boundaries in the host
    countries, or, without boundaries, the point sites there (towns the mission knows)."""
    visible = places_for(user).filter(country__in=mission.host_countries.all())
    for kind in AREA_DEPTH:
        areas = list(visible.filter(kind=kind, geometry__isnull=False).order_by("name"))
        if areas:
            return areas
    return list(visible.filter(kind__in=Place.POINT_KINDS, latitude__isnull=False).order_by("name"))


@dataclass
class RiskInput:
    source: str
    risk: dict[int, float] = field(default_factory=dict)  # place id -> risk
    as_of: datetime.date | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return risk_source_label(self.source)


@transaction.atomic
def enter_place_risks(user, mission: Mission, risks: dict[int, float | None]) -> None:
    """Risk entered by hand, by place id (RiskForm.risks()): a value replaces the place's
    risk and names who entered it, None clears it."""
    for place_id, value in risks.items():
        if value is None:
            PlaceRisk.objects.filter(mission=mission, place_id=place_id).delete()
        else:
            PlaceRisk.objects.update_or_create(
                mission=mission, place_id=place_id, defaults={"risk": value, "entered_by": user}
            )


def historical_event_risk(user, mission: Mission, places: list[Place]) -> tuple[dict[int, float], datetime.date | None]:
    """The fallback risk of each place and the last month it counts."""
    events = mission_events(user, mission).filter(best__gt=0)
    latest = events.order_by("-date_start").values_list("date_start", flat=True).first()
    if latest is None or not places:
        return {}, None
    last_month = latest.replace(day=1)
    first_month = add_months(last_month, -(RISK_MONTHS - 1))
    rows = list(events.filter(date_start__gte=first_month).values_list("latitude", "longitude", "date_start"))
    points = [(p, place_point(p)) for p in places]
    points = [(p, xy) for p, xy in points if xy is not None]
    near = (
        distance_km(
            [xy[0] for _p, xy in points], [xy[1] for _p, xy in points], [r[0] for r in rows], [r[1] for r in rows]
        )
        <= RISK_RADIUS_KM
    )
    months = np.array([r[2].year * 12 + r[2].month for r in rows])
    risk = {p.pk: len(set(months[near[k]].tolist())) / RISK_MONTHS for k, (p, _xy) in enumerate(points)}
    return risk, last_month


def mission_risk(user, mission: Mission, places: list[Place]) -> RiskInput:
    ids = {p.pk for p in places}
    forecast = latest_place_risk_or_none(mission)
    if forecast:
        return RiskInput(RiskSource.EARLY_WARNING, {pk: float(r) for pk, r in forecast.items()})
    manual = dict(PlaceRisk.objects.filter(mission=mission).values_list("place", "risk"))
    if manual:
        return RiskInput(RiskSource.MANUAL, manual)
    risk, as_of = historical_event_risk(user, mission, places)
    if any(value > 0 for value in risk.values()):
        return RiskInput(RiskSource.EVENTS, {pk: r for pk, r in risk.items() if pk in ids}, as_of=as_of)
    return RiskInput(RiskSource.NONE)


@dataclass
class PlanParameters:
    patrol_radius_km: float = 50.0
    troops_per_place: int = 150
    max_move_km: float | None = 300.0
    max_units_per_site: int | None = 4
    hq_min_troops: int = 1000
    must_cover: list[int] = field(default_factory=list)  # place ids
    time_limit: float = 20.0


@dataclass
class PlanInputs:
    """The problem, and the records behind each index."""

    problem: Problem
    places: list[Place]
    sites: list[Base]
    units: list
    risk: RiskInput
    population_weighted: bool
    population_unknown: int
    posture_day: datetime.date | None


def plan_inputs(user, mission: Mission, params: PlanParameters) -> PlanInputs | None:
    """The optimiser's problem for this mission, or None when there is nothing to plan:
    no risk, no base or no unit in today's posture."""
    places = candidate_places(user, mission)
    risk = mission_risk(user, mission, places)
    day = posture_date(mission)
    if risk.source == RiskSource.NONE or day is None:
        return None
    by_id = {p.pk: p for p in places}
    for pk in set(risk.risk) - set(by_id):  # early warning may rate other places
        place = places_for(user).filter(pk=pk).first()
        if place is not None:
            by_id[pk] = place
    places = [p for pk, p in sorted(by_id.items(), key=lambda item: item[1].name) if pk in risk.risk and place_point(p)]
    bases = [b for b in bases_for(user, mission).select_related("place") if b.place.latitude is not None]
    units = units_for(user, mission).filter(actual_strength__gt=0)
    posture = current_posture(units, day)
    units = [u for u in units.order_by("name") if u.pk in posture]
    if not places or not bases or not units:
        return None
    population = dict(
        PlacePopulation.objects.filter(place__in=[p.pk for p in places]).values_list("place", "population")
    )
    weighted = len(population) == len(places)
    weights = [risk.risk[p.pk] * (population[p.pk] if weighted else 1) for p in places]
    site_index = {b.pk: j for j, b in enumerate(bases)}
    hq = next((j for j, b in enumerate(bases) if b.kind == Base.Kind.MISSION_HQ), None)
    k = params.max_units_per_site
    capacity = [
        UNLIMITED if j == hq else (b.max_units if b.max_units is not None else (UNLIMITED if k is None else k))
        for j, b in enumerate(bases)
    ]
    points = [place_point(p) for p in places]
    problem = Problem(
        place_lat=[xy[0] for xy in points],
        place_lon=[xy[1] for xy in points],
        weight=weights,
        site_lat=[b.place.latitude for b in bases],
        site_lon=[b.place.longitude for b in bases],
        site_capacity=capacity,
        strength=[u.actual_strength for u in units],
        radius_km=[u.patrol_radius_km or params.patrol_radius_km for u in units],
        home=[site_index.get(posture[u.pk].base_id, -1) for u in units],
        max_move_km=[
            u.max_move_km
            if u.max_move_km is not None
            else (params.max_move_km if params.max_move_km is not None else np.inf)
            for u in units
        ],
        troops_per_place=params.troops_per_place,
        hq=hq,
        hq_min_troops=params.hq_min_troops if hq is not None else 0,
        must_cover=[k for k, p in enumerate(places) if p.pk in set(params.must_cover)],
    )
    return PlanInputs(problem, places, bases, units, risk, weighted, len(places) - len(population), day)


def _plan_summary(plan) -> dict:
    return {
        "share": plan.share_covered,
        "covered_weight": plan.covered_weight,
        "places_covered": plan.places_covered,
        "sites": plan.site_of_unit.tolist(),
        "covered_by": plan.covered_by.tolist(),
    }


def _violation_record(inputs: PlanInputs, v) -> dict:
    subject = ""
    if v.index is not None:
        records = {
            "unit_placement": inputs.units,
            "site_capacity": inputs.sites,
            "hq_presence": inputs.sites,
            "must_cover": inputs.places,
        }[v.constraint]
        record = records[v.index]
        subject = str(record.place) if isinstance(record, Base) else str(record)
    return {"constraint": v.constraint, "subject": subject, "shortfall": v.shortfall, "reason": v.reason}


NOTHING_TO_PLAN = {"constraint": "inputs", "subject": "", "shortfall": 0, "reason": "nothing_to_plan"}


def queue_plan(user, mission: Mission, params: PlanParameters) -> AllocationPlan:
    """Store the request and run it in the background (forces.tasks.run_allocation_plan);
    the plan page follows its status."""
    from bluehelmet.jobs import submit

    from .tasks import run_allocation_plan

    record = AllocationPlan.objects.create(mission=mission, parameters=dict(params.__dict__), **job_actor(user))
    submit(run_allocation_plan, record.pk)
    record.refresh_from_db()
    return record


def plan_parameters(stored: dict) -> PlanParameters:
    names = PlanParameters.__dataclass_fields__
    return PlanParameters(**{name: value for name, value in stored.items() if name in names})


@transaction.atomic
def run_plan(
    user, mission: Mission, params: PlanParameters, record: AllocationPlan | None = None
) -> AllocationPlan | None:
    """Solve and store a plan beside today's posture and the greedy rule, in `record` (a
    queued run) or a new one. When there is nothing to plan (see plan_inputs), a queued
    run is marked failed and, without one, None is returned."""
    inputs = plan_inputs(user, mission, params)
    if inputs is None:
        if record is not None:
            record.status, record.problems = AllocationPlan.Status.FAILED, [NOTHING_TO_PLAN]
            record.finished = timezone.now()
            record.save()
        return record
    problem = inputs.problem
    record = record or AllocationPlan(mission=mission, **job_actor(user))
    record.parameters = {**params.__dict__, "posture_day": inputs.posture_day.isoformat()}
    record.risk_source, record.population_weighted = inputs.risk.source, inputs.population_weighted
    today = evaluate_posture(problem)
    greedy = greedy_plan(problem)
    record.posture_share, record.greedy_share = today.share_covered, greedy.share_covered
    result = {
        "places": [
            {"id": p.pk, "name": p.name, "lat": lat, "lon": lon, "risk": inputs.risk.risk[p.pk], "weight": float(w)}
            for p, lat, lon, w in zip(inputs.places, problem.place_lat, problem.place_lon, problem.weight)
        ],
        "sites": [
            {"id": b.pk, "name": b.place.name, "lat": b.place.latitude, "lon": b.place.longitude, "hq": j == problem.hq}
            for j, b in enumerate(inputs.sites)
        ],
        "units": [
            {"id": u.pk, "name": u.name, "strength": u.actual_strength, "home": int(h)}
            for u, h in zip(inputs.units, problem.home)
        ],
        "posture": _plan_summary(today),
        "greedy": _plan_summary(greedy),
        "population_unknown": inputs.population_unknown,
        "risk_as_of": inputs.risk.as_of.isoformat() if inputs.risk.as_of else None,
    }
    try:
        plan = solve(problem, time_limit=params.time_limit)
    except Infeasible as infeasible:
        record.status = AllocationPlan.Status.INFEASIBLE
        record.problems = [_violation_record(inputs, v) for v in infeasible.violations]
    except TimeoutError:
        record.status = AllocationPlan.Status.FAILED
        record.problems = [
            {"constraint": "time_limit", "subject": "", "shortfall": params.time_limit, "reason": "no_plan_in_time"}
        ]
    else:
        record.status = AllocationPlan.Status.OPTIMAL if plan.optimal else AllocationPlan.Status.FEASIBLE
        record.objective, record.share_covered = plan.covered_weight, plan.share_covered
        record.mip_gap, record.seconds = plan.mip_gap, plan.seconds
        result["plan"] = _plan_summary(plan)
    record.result = result
    record.finished = timezone.now()
    record.save()
    return record


def describe_problem(problem: dict) -> str:
    """One constraint that cannot be met, in the reader's language."""
    subject, shortfall = problem.get("subject", ""), problem.get("shortfall", 0)
    messages = {
        ("unit_placement", "no_site_within_max_move"): _("%(subject)s: no base lies within its maximum move distance."),
        ("unit_placement", "rules_leave_no_site"): _(
            "%(subject)s: the rules leave no base it may go to (maximum move, units per site)."
        ),
        ("site_capacity", "too_few_places_at_sites"): _(
            "At most k units per site: the bases hold %(shortfall)s units fewer than there are units."
        ),
        ("site_capacity", "site_full"): _(
            "At most k units per site at %(subject)s cannot be kept: %(shortfall)s units too many must go there."
        ),
        ("hq_presence", "not_enough_troops_can_reach_hq"): _(
            "Minimum presence at headquarters (%(subject)s): %(shortfall)s troops short even if every unit that may go there does."
        ),
        ("hq_presence", "too_few_troops_at_hq"): _(
            "Minimum presence at headquarters (%(subject)s): %(shortfall)s troops short under the other rules."
        ),
        ("must_cover", "no_unit_can_reach"): _(
            "Must cover %(subject)s: no unit can reach it within its patrol radius and maximum move."
        ),
        ("must_cover", "rules_leave_no_unit"): _(
            "Must cover %(subject)s: under the other rules no unit is left to cover it."
        ),
        ("time_limit", "no_plan_in_time"): _(
            "No plan found within the time limit of %(shortfall)s s: allow more time or relax the rules."
        ),
        ("inputs", "nothing_to_plan"): _(
            "Nothing to plan: the mission needs risk for its places, bases, and units with a known strength in today's posture."
        ),
        ("run", "crashed"): _("The optimiser stopped unexpectedly: %(subject)s"),
    }
    template = messages.get((problem.get("constraint"), problem.get("reason")), _("A rule cannot be met: %(subject)s"))
    return template % {"subject": subject, "shortfall": f"{shortfall:,.0f}"}


def latest_plan(mission: Mission) -> AllocationPlan | None:
    """The plan the page shows: the latest one found, else the latest that proved no plan
    meets the rules (it still compares today's posture). A failed run leaves it standing."""
    plans = AllocationPlan.objects.filter(mission=mission).order_by("-created", "-pk")
    return (
        plans.filter(status__in=AllocationPlan.SOLVED).first()
        or plans.filter(status=AllocationPlan.Status.INFEASIBLE).first()
    )


def latest_run(mission: Mission) -> AllocationPlan | None:
    return AllocationPlan.objects.filter(mission=mission).order_by("-created", "-pk").first()
