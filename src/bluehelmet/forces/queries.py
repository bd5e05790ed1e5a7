"""Read-side queries of the forces pages (units and bases, plans, patrols, equipment), always
scoped to what the user may see. (Deployments and strength: `datasets.queries`.)"""

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import get_language

from bluehelmet.core.access import mission_scope
from bluehelmet.core.models import Mission
from bluehelmet.incidents.feed import visible_incidents

# --- Forces pages -------------------------------------------------------------------------


def units_and_sites(user, mission: Mission, show_all: bool = False, day: datetime.date | None = None) -> dict:
    """Units (those posted on `day`, by default today's posture, or all) with their base
    then, the bases, and the map's GeoJSON of bases with their units."""
    from .posture import bases_for, current_posture, posture_date, units_for

    units = units_for(user, mission).select_related("country")
    day = day or posture_date(mission)
    posture = current_posture(units, day) if day else {}
    rows = [
        {"unit": unit, "posting": posture.get(unit.pk)}
        for unit in units.order_by("name")
        if show_all or unit.pk in posture
    ]
    rows.sort(
        key=lambda r: (r["posting"] is None, r["posting"].base.place.name if r["posting"] else "", r["unit"].name)
    )
    bases = list(bases_for(user, mission).select_related("place").order_by("place__name"))
    at_base = defaultdict(list)
    for posting in posture.values():
        at_base[posting.base_id].append(posting)
    features = []
    for base in bases:
        if base.place.latitude is None or (base.closed and day and base.closed < day):
            continue
        here = at_base.get(base.pk, [])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [base.place.longitude, base.place.latitude]},
                "properties": {
                    "name": base.place.name,
                    "kind": base.get_kind_display(),
                    "hq": base.kind == base.Kind.MISSION_HQ,
                    "troops": sum(p.troops or 0 for p in here),
                    "units": sorted(p.unit.name for p in here),
                },
            }
        )
    known = [r["unit"].actual_strength for r in rows if r["posting"] and r["unit"].actual_strength is not None]
    return {
        "posture_day": day,
        "unit_rows": rows,
        "unit_total": units.count(),
        "bases": bases,
        "posture_troops": sum(known),
        "posture_units": len(posture),
        "unknown_strength": sum(1 for r in rows if r["posting"] and r["unit"].actual_strength is None),
        "base_map": {"type": "FeatureCollection", "features": features},
    }


def requirement_matrix(required: dict[str, set[int]], names: dict[int, str]) -> dict:
    """Roles x courses: which course each role must hold."""
    from .models import PersonRole

    courses = sorted({c for ids in required.values() for c in ids}, key=lambda c: names[c])
    return {
        "courses": [names[c] for c in courses],
        "rows": [
            {"role": label, "cells": [c in required[""] or c in required[value] for c in courses]}
            for value, label in PersonRole.choices
        ],
    }


def plan_map_data(plan) -> dict:
    """What the plan page's map and tables show: places with risk and who covers them
    today and in the plan, bases with their units today and in the plan."""
    result = plan.result
    places, sites, units = result.get("places", []), result.get("sites", []), result.get("units", [])

    def posture(summary):
        if not summary:
            return None
        by_site = defaultdict(list)
        for u, j in enumerate(summary["sites"]):
            if j >= 0:
                by_site[j].append(u)
        return {
            "share": summary["share"],
            "places_covered": summary["places_covered"],
            "covered": [u >= 0 for u in summary["covered_by"]],
            "sites": [
                {
                    "units": [units[u]["name"] for u in by_site[j]],
                    "troops": sum(units[u]["strength"] for u in by_site[j]),
                }
                for j in range(len(sites))
            ],
        }

    moves = []
    if result.get("plan"):
        for unit, j in zip(units, result["plan"]["sites"]):
            if unit["home"] != j:
                moves.append(
                    {
                        "unit": unit["name"],
                        "strength": unit["strength"],
                        "from": sites[unit["home"]]["name"] if unit["home"] >= 0 else "",
                        "to": sites[j]["name"] if j >= 0 else "",
                    }
                )
    return {
        "places": [{"name": p["name"], "lat": p["lat"], "lon": p["lon"], "risk": p["risk"]} for p in places],
        "sites": [{"name": s["name"], "lat": s["lat"], "lon": s["lon"], "hq": s["hq"]} for s in sites],
        "today": posture(result.get("posture")),
        "plan": posture(result.get("plan")),
        "greedy_share": result.get("greedy", {}).get("share"),
        "moves": moves,
    }


def patrols_for(user, mission: Mission):
    from .models import Patrol

    return Patrol.objects.filter(mission_scope(user), mission=mission)


def place_points(places) -> list[dict]:
    """Places as points for a map: id, name, latitude, longitude."""
    from .planning import place_point

    points = []
    for place in places:
        xy = place_point(place)
        if xy is not None:
            points.append({"id": place.pk, "name": place.name, "lat": xy[0], "lon": xy[1]})
    return points


def coverage_sources(mission: Mission) -> dict:
    """Every record the patrol coverage reads, whoever looks (core.freshness stamps them;
    patrols and forecast runs change status in place: track_changes in apps.py)."""
    from bluehelmet.core.models import Place
    from bluehelmet.datasets.models import ConflictEvent
    from bluehelmet.earlywarning.models import ForecastRun

    from .models import Patrol, PlaceRisk

    countries = mission.host_countries.all()
    return {
        "patrols": Patrol.objects.filter(mission=mission),
        "patrol_places": Patrol.places.through.objects.filter(patrol__mission=mission),
        "place_risks": PlaceRisk.objects.filter(mission=mission),
        "forecast_runs": ForecastRun.objects.filter(mission=mission),
        "places": Place.objects.filter(country__in=countries),
        "events": ConflictEvent.objects.filter(country__in=countries),
    }


def patrols_and_coverage(user, mission: Mission) -> dict:
    """Recent patrols and, per place, how often conducted patrols visited it beside its
    risk: the places at risk that patrols miss come first. The map gets every place with
    its visits and risk, and the conducted patrols' routes. The coverage is cached per
    mission and audience while none of the records it reads changes (core.freshness)."""
    from bluehelmet.core.freshness import cached_aggregate
    from bluehelmet.core.gate import access

    from .models import Patrol

    # Only the incidents met that the user may see are counted (a RED report is not, for a reporter).
    seen = Count("incidents", filter=Q(incidents__in=visible_incidents(user, mission).values("pk")), distinct=True)
    patrols = patrols_for(user, mission).select_related("unit").prefetch_related("places").annotate(incident_count=seen)
    conducted = patrols.filter(status=Patrol.Status.CONDUCTED)
    coverage, _counts = cached_aggregate(
        "patrol-coverage",
        user,
        access(user, mission),
        coverage_sources(mission),
        lambda: _coverage(user, mission),
        variant=[get_language()],  # the route features carry translated patrol kinds
    )
    return {
        "patrols": patrols.order_by("-start")[:100],
        "patrol_count": patrols.count(),
        "conducted_count": conducted.count(),
        **coverage,
    }


def _coverage(user, mission: Mission) -> dict:
    from .models import Patrol
    from .planning import candidate_places, mission_risk

    conducted = patrols_for(user, mission).filter(status=Patrol.Status.CONDUCTED)
    visits: dict[int, int] = defaultdict(int)
    for place_id in conducted.values_list("places", flat=True):
        if place_id:
            visits[place_id] += 1
    places = candidate_places(user, mission)
    risk = mission_risk(user, mission, places)
    rows = [{"place": p, "visits": visits.get(p.pk, 0), "risk": risk.risk.get(p.pk)} for p in places]
    # Places at risk that patrols miss first; among places without risk, the most visited.
    rows.sort(key=lambda r: (-(r["risk"] or 0), r["visits"] if r["risk"] else -r["visits"], r["place"].name))
    at_risk = [r for r in rows if (r["risk"] or 0) > 0]
    features = [
        {
            "type": "Feature",
            "geometry": p.route,
            "properties": {
                "unit": p.unit.name,
                "kind": p.get_kind_display(),
                "start": (p.actual_start or p.start).date().isoformat(),
            },
        }
        for p in conducted.select_related("unit").exclude(route__isnull=True).order_by("-actual_start")[:500]
    ]
    coverage_map = [
        {**point, "visits": visits.get(point["id"], 0), "risk": risk.risk.get(point["id"])}
        for point in place_points(places)
    ]
    return {
        "coverage": rows[:60],
        "risk": risk,
        "missed_at_risk": sum(1 for r in at_risk if r["visits"] == 0),
        "at_risk": len(at_risk),
        "routes": {"type": "FeatureCollection", "features": features},
        "coverage_map": coverage_map,
    }


def equipment_by_unit(user, mission: Mission) -> list[dict]:
    """Each unit's major equipment, units with the largest gaps first."""
    from .models import Equipment
    from .posture import units_for

    items = (
        Equipment.objects.filter(unit__in=units_for(user, mission))
        .select_related("unit")
        .order_by("unit__name", "category", "name")
    )
    units = defaultdict(list)
    for item in items:
        units[item.unit].append(item)
    rows = [
        {
            "unit": unit,
            "items": its,
            "gaps": [i for i in its if i.gap],
            "as_of": max(i.updated for i in its),
            "limited": sorted({i.limits for i in its if i.gap and i.limits}),
        }
        for unit, its in units.items()
    ]
    rows.sort(key=lambda r: (-sum(i.gap for i in r["gaps"]), r["unit"].name))
    return rows
