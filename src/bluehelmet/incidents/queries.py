"""Read-side queries on conflict events and conflict months, always scoped to the user."""

import datetime

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from bluehelmet.core.access import country_scope
from bluehelmet.core.models import Mission
from bluehelmet.core.months import add_months

from .filters import ConflictEventFilter
from .models import ConflictEvent, ConflictMonth

# The most map points sent to the browser; the heaviest locations are kept.
MAP_POINT_LIMIT = 3000


def mission_events(user, mission: Mission) -> QuerySet[ConflictEvent]:
    """Events in the mission's host countries that the user may see."""
    return ConflictEvent.objects.filter(country_scope(user), country__in=mission.host_countries.all())


def filtered_mission_events(user, mission: Mission, params) -> ConflictEventFilter:
    """The shared event filter bound to `params` over the mission's visible events."""
    return ConflictEventFilter(params, queryset=mission_events(user, mission))


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


def _as_date(value) -> datetime.date:
    # TruncMonth of a DateField gives a date; some backends hand back a datetime.
    return value.date() if isinstance(value, datetime.datetime) else value
