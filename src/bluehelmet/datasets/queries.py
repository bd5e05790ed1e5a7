"""Read-side queries on the reference data, scoped to the user where a page shows them:
conflict events and conflict months; Geo-PKO deployments and mission strength; and the
deployments early warning's forecasts read (registered as troop presence by forces)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bluehelmet.core.access import country_scope, mission_scope
from bluehelmet.core.gate import Access
from bluehelmet.core.models import Mission, Place, Role
from bluehelmet.core.months import add_months
from bluehelmet.importers.uploads import roles_for_kind

from .filters import ConflictEventFilter
from .models import ConflictEvent, ConflictMonth, Deployment, DeploymentContribution, MissionStrength

# The most map points sent to the browser; the heaviest locations are kept.
MAP_POINT_LIMIT = 3000


def timeline_sources(mission: Mission) -> dict[str, QuerySet]:
    """Every record the mission's timeline reads, whoever looks (core.freshness stamps them)."""
    countries = mission.host_countries.all()
    return {
        "strength": MissionStrength.objects.filter(mission__host_countries__in=countries),
        "conflict_months": ConflictMonth.objects.filter(country__in=countries),
        "events": ConflictEvent.objects.filter(country__in=countries),
    }


def mission_events(user, mission: Mission) -> QuerySet[ConflictEvent]:
    """Events in the mission's host countries that the user may see."""
    return ConflictEvent.objects.filter(country_scope(user), country__in=mission.host_countries.all())


def filtered_mission_events(user, mission: Mission, params) -> ConflictEventFilter:
    """The shared event filter bound to `params` over the mission's visible events."""
    return ConflictEventFilter(params, queryset=mission_events(user, mission))


# The import kind that loads conflict events (datasets.importers.ged).
EVENTS_IMPORT_KIND = "ged"


@dataclass(frozen=True)
class MissingEvents:
    """No conflict events for a mission: where, and how to fill the gap."""

    countries: str  # the host countries, or the acronym of a mission with none recorded
    import_url: str  # the imports page with the GED kind chosen; "" when the user may not import it here
    importer_roles: str  # the roles that may import it here, for a user who may not


def missing_events(user, access: Access) -> MissingEvents | None:
    """None when the user sees conflict events in the mission's host countries; otherwise what
    the events table, the forecast and the risk of the forces pages lack, and the import that
    would fill it (offered to who may run it in this mission)."""
    mission = access.mission
    if mission_events(user, mission).exists():
        return None
    roles = roles_for_kind(EVENTS_IMPORT_KIND)
    may_import = user.is_superuser or access.role in roles
    return MissingEvents(
        countries=", ".join(mission.host_countries.order_by("name").values_list("name", flat=True)) or mission.acronym,
        import_url=f"{reverse('importers:jobs')}?kind={EVENTS_IMPORT_KIND}" if may_import else "",
        importer_roles=" / ".join(str(Role(role).label) for role in roles),
    )


def event_count_by_country(user) -> dict[int, int]:
    """Visible events per country place id."""
    rows = ConflictEvent.objects.filter(country_scope(user)).values("country").annotate(events=Count("id")).order_by()
    return {row["country"]: row["events"] for row in rows}


def event_map_points(events: QuerySet[ConflictEvent], limit: int = MAP_POINT_LIMIT) -> dict:
    """Events grouped by location as a GeoJSON FeatureCollection.

    GED puts many events on the same coordinates (a town, a district centroid), so one
    point per location keeps a country's thousands of events drawable; past `limit`
    locations only the deadliest are kept and `truncated` says so.
    """
    locations = (
        events.order_by()
        .values("latitude", "longitude")
        .annotate(
            events=Count("id"),
            deaths=Sum("best"),
            civilian_deaths=Sum("deaths_civilians"),
            place=Max("where_description"),
            last=Max("date_start"),
        )
        .order_by("-deaths", "-events")
    )
    total = locations.count()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {
                "place": row["place"],
                "events": row["events"],
                "deaths": row["deaths"],
                "civilian_deaths": row["civilian_deaths"],
                "last": row["last"].isoformat(),
            },
        }
        for row in locations[:limit]
    ]
    return {"type": "FeatureCollection", "locations": total, "truncated": total > limit, "features": features}


def monthly_event_deaths(events: QuerySet[ConflictEvent]) -> dict[datetime.date, dict[str, int]]:
    """Per month of `date_start`: civilian deaths in all events, and fatalities (best
    estimate) in state-based conflict."""
    rows = (
        events.annotate(month=TruncMonth("date_start"))
        .values("month")
        .annotate(
            civilian_deaths=Sum("deaths_civilians"),
            state_based_deaths=Sum("best", filter=Q(type_of_violence=ConflictEvent.ViolenceType.STATE_BASED)),
        )
        .order_by("month")
    )
    return {
        _as_date(row["month"]): {
            "civilian_deaths": row["civilian_deaths"],
            "state_based_deaths": row["state_based_deaths"] or 0,
        }
        for row in rows
    }


def mission_conflict_months(user, mission: Mission) -> QuerySet[ConflictMonth]:
    """Conflict-month rows of the host countries. They carry no sharing flag (published
    research data), so anyone who may see the country sees them."""
    return ConflictMonth.objects.filter(
        country_scope(user, sharing_field=None), country__in=mission.host_countries.all()
    )


def monthly_conflict_figures(conflict_months: QuerySet[ConflictMonth]) -> dict[datetime.date, dict[str, float | None]]:
    """Per month, summed over the country's conflicts: civilians killed, and battle deaths
    of that same month.

    The source stores battle deaths only as `battle_deaths_lag`, the previous month's
    figure, so the value on row M belongs to month M-1 and is moved back one month here.
    """
    rows = (
        conflict_months.values("month")
        .annotate(civilians_killed=Sum("osv_all"), battle_deaths_lag=Sum("battle_deaths_lag"))
        .order_by("month")
    )
    figures: dict[datetime.date, dict[str, float | None]] = {}
    for row in rows:
        figures.setdefault(row["month"], {"battle_deaths": None})["civilians_killed"] = row["civilians_killed"]
        previous = add_months(row["month"], -1)
        figures.setdefault(previous, {"civilians_killed": None})["battle_deaths"] = row["battle_deaths_lag"]
    return dict(sorted(figures.items()))


# --- UN presence: Geo-PKO deployments and mission strength --------------------------------


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
    site, with a one-line summary of the deployment map and, beside it, the UN strength
    report of the same month (two sources that do not agree: see `deployment_summary`).

    A site whose map entries all say "unknown" gets `troops: null`, never 0; `troops` of
    the whole map is null when no site has a number."""
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
    features, total_troops, known_sites, unknown_sites = [], 0, 0, 0
    for site in sites:
        if site["site__latitude"] is None or site["site__longitude"] is None:
            continue
        troops = site["known_troops"] if site["known_rows"] else None
        if troops is None:
            unknown_sites += 1
        else:
            known_sites += 1
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
    troops = total_troops if known_sites else None
    strength = country_strength_by_month(user, mission.host_countries.all(), month=month).get(month)
    return {
        "type": "FeatureCollection",
        "month": month.strftime("%Y-%m"),
        "summary": deployment_summary(month, len(features), troops, unknown_sites),
        "sites": len(features),
        "troops": troops,
        "unknown_sites": unknown_sites,
        "strength": strength,
        "strength_summary": strength_summary(month, strength),
        "features": features,
    }


def deployment_summary(month: datetime.date, sites: int, troops: int | None, unknown_sites: int) -> str:
    """What the Geo-PKO deployment map of `month` shows, naming its source, e.g.
    "Deployment map (Geo-PKO), March 2002: 36 sites, 20,750 troops at standard unit sizes".

    Geo-PKO does not count heads: it reads the unit symbols on the UN's deployment map and
    counts each unit at a standard size (every UNAMSIL figure is a sum of 650, 150 and 35:
    battalion, company, platoon), so its total is the nominal size of the units drawn, above
    the troops the UN's monthly strength reports count (UNAMSIL, March 2002: 20,750 against
    17,109). A site the map gives no number for is unknown, never 0: a map whose sites all
    lack one says "troop numbers not given", not "0 troops"."""
    where = _("Deployment map (Geo-PKO), %(month)s: %(sites)s") % {
        "month": date_format(month, "YEAR_MONTH_FORMAT"),
        "sites": ngettext("%(n)s site", "%(n)s sites", sites) % {"n": sites},
    }
    if troops is None or (troops == 0 and unknown_sites):
        # The only troops the map shows have no number (December 1999: observer sites at
        # 0 and Lungi's Kenyan troops unnumbered): "at least 0" would read as none.
        return where + ", " + _("troop numbers not given")
    figure = number_format(troops, force_grouping=True)
    if not unknown_sites:
        if troops == 0:
            return where + ", " + _("no troop units on the map (observers or police only)")
        return where + ", " + _("%(troops)s troops at standard unit sizes") % {"troops": figure}
    return (
        where
        + ", "
        + _("at least %(troops)s troops at standard unit sizes") % {"troops": figure}
        + " "
        + ngettext(
            "(troop numbers not given for %(n)s site)", "(troop numbers not given for %(n)s sites)", unknown_sites
        )
        % {"n": unknown_sites}
    )


def strength_summary(month: datetime.date, strength: dict | None) -> str:
    """The same month in the UN's monthly strength reports (every UN mission in the host
    countries, as the timeline sums them), or that they have no figure for it."""
    when = date_format(month, "YEAR_MONTH_FORMAT")
    if not strength or all(strength.get(key) is None for key in ("troops", "police", "observers")):
        return _("UN strength reports: no figure for %(month)s") % {"month": when}
    parts = []
    for key, label in (
        ("troops", _("%(n)s troops")),
        ("police", _("%(n)s police")),
        ("observers", _("%(n)s military observers")),
    ):
        if strength.get(key) is not None:
            parts.append(label % {"n": number_format(strength[key], force_grouping=True)})
    return _("UN strength reports, %(month)s: %(figures)s") % {"month": when, "figures": ", ".join(parts)}


def country_strength_by_month(
    user, countries: QuerySet[Place], month: datetime.date | None = None
) -> dict[datetime.date, dict[str, int]]:
    """Deployed troops, police and observers per month (only `month`, when given), summed
    over every mission hosted in `countries`: a country's UN presence often passes from one
    mission to the next (Sierra Leone: UNOMSIL, then UNAMSIL)."""
    missions = Mission.objects.filter(host_countries__in=countries).values("id")
    # Strength figures carry no sharing flag: they are the UN's published monthly
    # reports, visible to anyone who may see the host country.
    visible = MissionStrength.objects.filter(
        country_scope(user, country_field="mission__host_countries", sharing_field=None), mission__in=missions
    )
    if month is not None:
        visible = visible.filter(month=month)
    rows = (
        MissionStrength.objects.filter(pk__in=visible.values("pk"))
        .values("month")
        .annotate(troops=Sum("troops"), police=Sum("police"), observers=Sum("observers"))
        .order_by("month")
    )
    return {row["month"]: {key: row[key] for key in ("troops", "police", "observers")} for row in rows}


def strength_series(user, mission: Mission) -> dict:
    """Authorised and deployed troops, police and observers per month, with shortfalls:
    the chart's series and the latest months for the table."""
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


# --- Troop presence for early warning ----------------------------------------------------
# Every mission record is read: a forecast is a mission-wide computation whose results are
# scoped when they are shown.


def geopko_deployments(mission: Mission, audience=None):
    """(latitude, longitude, month, troops) of every placed deployment of the mission (public
    data: the same whoever reads the forecast, so the audience changes nothing)."""
    return Deployment.objects.filter(mission=mission, site__latitude__isnull=False).values_list(
        "site__latitude", "site__longitude", "month", "troops"
    )


def geopko_sites(mission: Mission):
    """The places the mission deployed to, on the PRIO-GRID."""
    return Place.objects.filter(deployments__mission=mission, priogrid_gid__isnull=False).distinct()


def _as_date(value) -> datetime.date:
    # TruncMonth of a DateField gives a date; some backends hand back a datetime.
    return value.date() if isinstance(value, datetime.datetime) else value
