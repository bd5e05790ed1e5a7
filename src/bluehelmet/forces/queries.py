"""Read-side queries on UN presence, always scoped to what the user may see."""

import datetime
from collections import defaultdict

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _, ngettext

from bluehelmet.core.access import country_scope, mission_scope
from bluehelmet.core.models import Mission, Place

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
    rows = Deployment.objects.filter(mission_scope(user)).values("mission").annotate(months=Count("month", distinct=True))
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
