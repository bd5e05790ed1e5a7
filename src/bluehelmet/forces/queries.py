"""Read-side queries on UN presence, always scoped to what the user may see."""

import datetime
from collections import defaultdict

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bluehelmet.core.access import country_scope, mission_scope
from bluehelmet.core.models import Mission, Place
from bluehelmet.incidents.feed import visible_incidents

from .models import Deployment, DeploymentContribution, MissionStrength


def deployments_for(user, mission: Mission) -> QuerySet[Deployment]:
    """The mission's deployment rows the user may see (partners: public rows only)."""
    return Deployment.objects.filter(mission_scope(user), mission=mission)


def deployment_months(user, mission: Mission) -> list[dict]:
    """The months that have a deployment map, in order, with their site count and known
    troops. Geo-PKO maps are irregular, so the months are not a continuous range."""
    return list(
        deployments_for(user, mission)
        .values("month")
        .annotate(sites=Count("site", distinct=True), known_troops=Sum("troops"))
        .order_by("month")
    )


def deployment_month_count(user) -> dict[int, int]:
    """Number of months with deployments, per mission id."""
    rows = (
        Deployment.objects.filter(mission_scope(user)).values("mission").annotate(months=Count("month", distinct=True))
    )
    return {row["mission"]: row["months"] for row in rows}


def deployments_in_month(user, mission: Mission, month: datetime.date) -> dict:
    """The mission's sites in one month as a GeoJSON FeatureCollection, one feature per
    site, plus a one-line summary. A site whose map entries all say "unknown" gets
    `troops: null`, never 0."""
    rows = deployments_for(user, mission).filter(month=month)
    contributors = defaultdict(list)
    for c in (
        DeploymentContribution.objects.filter(deployment__in=rows)
        .order_by("-troops", "country__name")
        .values("deployment__site_id", "country__name", "troops")
    ):
        contributors[c["deployment__site_id"]].append({"country": c["country__name"], "troops": c["troops"]})

    sites = (
        rows.values("site_id", "site__name", "site__latitude", "site__longitude")
        .annotate(
            known_troops=Sum("troops"),
            known_rows=Count("id", filter=Q(troops__isnull=False)),
            # Count with a filter, not Max: PostgreSQL has no max(boolean).
            police_rows=Count("id", filter=Q(police=True)),
            observer_rows=Count("id", filter=Q(observers=True)),
            headquarters=Max("headquarters"),
        )
        .order_by("site__name")
    )
    features, total_troops, unknown_sites = [], 0, 0
    for site in sites:
        if site["site__latitude"] is None or site["site__longitude"] is None:
            continue
        troops = site["known_troops"] if site["known_rows"] else None
        if troops is None:
            unknown_sites += 1
        else:
            total_troops += troops
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [site["site__longitude"], site["site__latitude"]]},
                "properties": {
                    "site": site["site__name"],
                    "troops": troops,
                    "police": site["police_rows"] > 0,
                    "observers": site["observer_rows"] > 0,
                    "headquarters": site["headquarters"],
                    "contributors": contributors.get(site["site_id"], []),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "month": month.strftime("%Y-%m"),
        "summary": deployment_summary(month, len(features), total_troops, unknown_sites),
        "sites": len(features),
        "troops": total_troops,
        "unknown_sites": unknown_sites,
        "features": features,
    }


def deployment_summary(month: datetime.date, sites: int, troops: int, unknown_sites: int) -> str:
    """e.g. "March 2001: 15 sites, 11,400 troops (2 sites of unknown strength)"."""
    text = _("%(month)s: %(sites)s, %(troops)s troops") % {
        "month": date_format(month, "YEAR_MONTH_FORMAT"),
        "sites": ngettext("%(n)s site", "%(n)s sites", sites) % {"n": sites},
        "troops": number_format(troops, force_grouping=True),
    }
    if unknown_sites:
        text += " " + ngettext(
            "(%(n)s site of unknown strength)", "(%(n)s sites of unknown strength)", unknown_sites
        ) % {"n": unknown_sites}
    return text


def country_strength_by_month(user, countries: QuerySet[Place]) -> dict[datetime.date, dict[str, int]]:
    """Deployed troops, police and observers per month, summed over every mission hosted
    in `countries`: a country's UN presence often passes from one mission to the next
    (Sierra Leone: UNOMSIL, then UNAMSIL)."""
    missions = Mission.objects.filter(host_countries__in=countries).values("id")
    # Strength figures carry no sharing flag: they are the UN's published monthly
    # reports, visible to anyone who may see the host country.
    visible = MissionStrength.objects.filter(
        country_scope(user, country_field="mission__host_countries", sharing_field=None), mission__in=missions
    )
    rows = (
        MissionStrength.objects.filter(pk__in=visible.values("pk"))
        .values("month")
        .annotate(troops=Sum("troops"), police=Sum("police"), observers=Sum("observers"))
        .order_by("month")
    )
    return {row["month"]: {key: row[key] for key in ("troops", "police", "observers")} for row in rows}


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


def strength_series(user, mission: Mission) -> dict:
    """Authorised and deployed troops, police and observers per month, with shortfalls:
    the chart's series and the latest months for the table."""
    from bluehelmet.core.access import mission_scope

    rows = list(
        MissionStrength.objects.filter(mission_scope(user, sharing_field=None), mission=mission).order_by("month")
    )
    chart = {
        "months": [r.month.strftime("%Y-%m") for r in rows],
        "series": [
            {"label": _("Authorised troops"), "data": [r.authorised_troops for r in rows], "dashed": True},
            {"label": _("Deployed troops"), "data": [r.troops for r in rows]},
            {"label": _("Authorised police"), "data": [r.authorised_police for r in rows], "dashed": True},
            {"label": _("Deployed police"), "data": [r.police for r in rows]},
        ],
    }
    return {"chart": chart, "latest": rows[-12:][::-1], "count": len(rows)}


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


def patrols_and_coverage(user, mission: Mission) -> dict:
    """Recent patrols and, per place, how often conducted patrols visited it beside its
    risk: the places at risk that patrols miss come first. The map gets every place with
    its visits and risk, and the conducted patrols' routes."""
    from .models import Patrol
    from .planning import candidate_places, mission_risk

    # Only the incidents met that the user may see are counted (a RED report is not, for a reporter).
    seen = Count("incidents", filter=Q(incidents__in=visible_incidents(user, mission).values("pk")), distinct=True)
    patrols = patrols_for(user, mission).select_related("unit").prefetch_related("places").annotate(incident_count=seen)
    conducted = patrols.filter(status=Patrol.Status.CONDUCTED)
    visits = defaultdict(int)
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
        for p in conducted.exclude(route__isnull=True).order_by("-actual_start")[:500]
    ]
    coverage_map = [
        {**point, "visits": visits.get(point["id"], 0), "risk": risk.risk.get(point["id"])}
        for point in place_points(places)
    ]
    return {
        "patrols": patrols.order_by("-start")[:100],
        "patrol_count": patrols.count(),
        "conducted_count": conducted.count(),
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
