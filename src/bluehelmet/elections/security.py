"""The election security plan: which unit covers which polling station on polling day.

The allocation optimiser (analytics.allocate, HiGHS) with the stations as the places to
protect, weighted by their risk score (at least FLOOR_WEIGHT, so that calm stations are
still covered when there is capacity), the mission's bases as sites, and the units at
their bases on polling day (or the latest posture before it) from the forces area.
"""

import datetime
from dataclasses import asdict, dataclass

import numpy as np
from django.db import transaction
from django.db.models import F, Q

from bluehelmet.analytics.allocate import UNLIMITED, Infeasible, Problem, evaluate_posture, solve
from bluehelmet.forces.models import UnitPosting
from bluehelmet.forces.posture import bases_for, current_posture, units_for

from .models import SecurityAssignment, SecurityPlan, StationRisk
from .risk import HIGH

FLOOR_WEIGHT = 0.05


@dataclass
class PlanParameters:
    patrol_radius_km: float = 40.0
    troops_per_station: int = 25
    max_move_km: float = 150.0
    max_units_per_site: int | None = None
    must_cover_high: bool = False
    time_limit: float = 15.0


def posture_day(mission, day: datetime.date) -> datetime.date | None:
    """Polling day when units were posted then, else the last day with a posting before it."""
    postings = UnitPosting.objects.filter(unit__mission=mission)
    if postings.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day).exists():
        return day
    last = (
        postings.filter(start__lte=day).order_by(F("end").desc(nulls_last=True)).values_list("end", flat=True).first()
    )
    return last


def _describe(violation, stations, units) -> dict:
    subject = ""
    if violation.index is not None:
        records = {"unit_placement": units, "must_cover": stations}.get(violation.constraint)
        subject = str(records[violation.index]) if records else str(violation.index)
    return {
        "constraint": violation.constraint,
        "subject": subject,
        "shortfall": violation.shortfall,
        "reason": violation.reason,
    }


@transaction.atomic
def run_security_plan(user, round_, params: PlanParameters) -> SecurityPlan | None:
    """Solve and store a plan; None when there is nothing to plan (no risk computed, no
    unit or base with a posting by polling day)."""
    mission = round_.election.mission
    risks = list(StationRisk.objects.filter(round=round_).select_related("station__centre").order_by("station__code"))
    day = posture_day(mission, round_.date)
    if not risks or day is None:
        return None
    units = units_for(user, mission).filter(actual_strength__gt=0)
    posture = current_posture(units, day)
    units = [u for u in units.order_by("name") if u.pk in posture]
    bases = [b for b in bases_for(user, mission).select_related("place") if b.place.latitude is not None]
    if not units or not bases:
        return None
    site_index = {b.pk: j for j, b in enumerate(bases)}
    stations = [r.station for r in risks]
    problem = Problem(
        place_lat=[s.centre.latitude for s in stations],
        place_lon=[s.centre.longitude for s in stations],
        weight=[max(r.score, FLOOR_WEIGHT) for r in risks],
        site_lat=[b.place.latitude for b in bases],
        site_lon=[b.place.longitude for b in bases],
        site_capacity=[UNLIMITED if params.max_units_per_site is None else params.max_units_per_site] * len(bases),
        strength=[u.actual_strength for u in units],
        radius_km=[u.patrol_radius_km or params.patrol_radius_km for u in units],
        home=[site_index.get(posture[u.pk].base_id, -1) for u in units],
        max_move_km=[u.max_move_km if u.max_move_km is not None else params.max_move_km for u in units],
        troops_per_place=params.troops_per_station,
        must_cover=[k for k, r in enumerate(risks) if params.must_cover_high and r.score >= HIGH],
    )
    record = SecurityPlan(
        round=round_,
        created_by=user if user.is_authenticated and user.pk else None,
        parameters=asdict(params),
        posture_day=day,
    )
    record.posture_share = evaluate_posture(problem).share_covered
    try:
        plan = solve(problem, time_limit=params.time_limit)
    except Infeasible as infeasible:
        record.status = SecurityPlan.Status.INFEASIBLE
        record.problems = [_describe(v, stations, units) for v in infeasible.violations]
        record.save()
        return record
    except TimeoutError:
        record.status = SecurityPlan.Status.FAILED
        record.problems = [
            {"constraint": "time_limit", "subject": "", "shortfall": params.time_limit, "reason": "no_plan_in_time"}
        ]
        record.save()
        return record
    record.status = SecurityPlan.Status.OPTIMAL if plan.optimal else SecurityPlan.Status.FEASIBLE
    record.share_covered, record.mip_gap, record.seconds = plan.share_covered, plan.mip_gap, plan.seconds
    record.result = {
        "units": [
            {
                "id": u.pk,
                "name": u.name,
                "strength": u.actual_strength,
                "home": bases[problem.home[k]].place.name if problem.home[k] >= 0 else None,
                "base": bases[int(plan.site_of_unit[k])].place.name if plan.site_of_unit[k] >= 0 else None,
                "lat": bases[int(plan.site_of_unit[k])].place.latitude if plan.site_of_unit[k] >= 0 else None,
                "lon": bases[int(plan.site_of_unit[k])].place.longitude if plan.site_of_unit[k] >= 0 else None,
                "stations": int(np.sum(plan.covered_by == k)),
            }
            for k, u in enumerate(units)
        ],
        "uncovered": int(np.sum(plan.covered_by < 0)),
    }
    record.save()
    SecurityAssignment.objects.bulk_create(
        [
            SecurityAssignment(
                plan=record, station=stations[i], unit=units[int(u)], base=bases[int(plan.site_of_unit[int(u)])]
            )
            for i, u in enumerate(plan.covered_by)
            if u >= 0
        ]
    )
    return record


def plan_map(plan: SecurityPlan) -> dict:
    """Stations (with the unit covering each) and units at their planned bases."""
    covered = {a.station_id: a.unit.name for a in plan.assignments.select_related("unit")}
    stations = []
    for risk in StationRisk.objects.filter(round=plan.round).select_related("station__centre"):
        s = risk.station
        stations.append(
            {
                "code": s.code,
                "centre": s.centre.name,
                "lat": s.centre.latitude,
                "lon": s.centre.longitude,
                "score": round(risk.score, 3),
                "unit": covered.get(s.pk),
            }
        )
    return {"stations": stations, "units": [u for u in plan.result.get("units", []) if u.get("lat") is not None]}
