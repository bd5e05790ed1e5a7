"""The registry of indicator formulas: named functions of (mission, first day, last day,
options) that return a value or the reason there is none.

A formula never turns missing data into zero. Formulas over other areas' figures ask the
registry of indicator sources (core.indicator_sources), which each area fills: an area not
installed gives "no data" with the reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Max, Min, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import Point, shape
from shapely.prepared import prep

from bluehelmet.core.indicator_sources import indicator_source
from bluehelmet.core.models import Mission
from bluehelmet.core.months import month_range
from bluehelmet.datasets.models import ConflictEvent, ConflictMonth, Deployment, MissionStrength


@dataclass(frozen=True)
class FormulaValue:
    value: float | None
    reason: str = ""

    @classmethod
    def none(cls, reason: str) -> FormulaValue:
        return cls(None, reason)


@dataclass(frozen=True)
class Formula:
    name: str
    label: str
    unit: str
    description: str
    compute: Callable[[Mission, datetime.date, datetime.date, dict], FormulaValue]


REGISTRY: dict[str, Formula] = {}


def formula(name: str, label, unit, description):
    def register(function):
        REGISTRY[name] = Formula(name, label, unit, description, function)
        return function

    return register


def formula_choices() -> list[tuple[str, str]]:
    return [(f.name, f.label) for f in REGISTRY.values()]


def compute_formula(
    name: str, mission: Mission, first: datetime.date, last: datetime.date, options: dict | None = None
) -> FormulaValue:
    """The formula's value for the period first..last (both included)."""
    entry = REGISTRY.get(name)
    if entry is None:
        return FormulaValue.none(_("unknown formula %(name)s") % {"name": name})
    return entry.compute(mission, first, last, options or {})


# --- From data Blue Helmet holds now -------------------------------------------------------


def _host_countries(mission: Mission):
    return mission.host_countries.all()


@formula(
    "ged_civilian_deaths",
    gettext_lazy("Civilian deaths in the area of operations (UCDP GED)"),
    gettext_lazy("deaths"),
    gettext_lazy(
        "Sum of civilian deaths in UCDP GED events that started in the period, in the mission's "
        "area of operations (its host countries when none is set)."
    ),
)
def ged_civilian_deaths(mission, first, last, options) -> FormulaValue:
    events = ConflictEvent.objects.filter(country__in=_host_countries(mission))
    span = events.aggregate(first=Min("date_start"), last=Max("date_start"))
    if span["first"] is None:
        return FormulaValue.none(_("no UCDP GED events imported for the mission's host countries"))
    # GED lists every event it knows: inside the span it covers, no event means no deaths.
    if last < span["first"].replace(day=1) or first > span["last"]:
        return FormulaValue.none(
            _("the imported GED events cover %(first)s to %(last)s only")
            % {"first": span["first"], "last": span["last"]}
        )
    in_period = events.filter(date_start__gte=first, date_start__lte=last)
    areas = [area for area in mission.area_of_operations.all() if area.geometry]
    if not areas:
        return FormulaValue(float(in_period.aggregate(total=Sum("deaths_civilians"))["total"] or 0))
    shapes = [prep(shape(area.geometry)) for area in areas]
    total = sum(
        deaths
        for lat, lon, deaths in in_period.values_list("latitude", "longitude", "deaths_civilians")
        if any(s.contains(Point(lon, lat)) for s in shapes)
    )
    return FormulaValue(float(total))


@formula(
    "conflict_month_civilians_killed",
    gettext_lazy("Civilians killed, all perpetrators (conflict-month series)"),
    gettext_lazy("deaths"),
    gettext_lazy(
        "Sum of one-sided violence deaths over the conflict months of the host countries "
        "(Hultman, Kathman & Shannon 2013); every month of the period must be covered."
    ),
)
def conflict_month_civilians_killed(mission, first, last, options) -> FormulaValue:
    rows = ConflictMonth.objects.filter(
        country__in=_host_countries(mission), month__gte=first.replace(day=1), month__lte=last
    )
    months = month_range(first, last)
    covered = set(rows.exclude(osv_all__isnull=True).values_list("month", flat=True))
    if not covered:
        return FormulaValue.none(_("no conflict-month series covers this period"))
    if len(covered) < len(months):
        return FormulaValue.none(
            _("the conflict-month series covers only %(covered)d of the %(months)d months of this period")
            % {"covered": len(covered), "months": len(months)}
        )
    return FormulaValue(float(rows.aggregate(total=Sum("osv_all"))["total"]))


@formula(
    "troop_strength_share",
    gettext_lazy("Deployed troops as a share of the authorised strength"),
    "%",
    gettext_lazy("Deployed over authorised troops in the last month of the period with a strength report."),
)
def troop_strength_share(mission, first, last, options) -> FormulaValue:
    report = (
        MissionStrength.objects.filter(
            mission=mission, month__gte=first.replace(day=1), month__lte=last, troops__isnull=False
        )
        .order_by("-month")
        .first()
    )
    if report is None:
        return FormulaValue.none(_("no strength report for this period"))
    if not report.authorised_troops:
        return FormulaValue.none(
            _("no authorised troop ceiling in the strength report of %(month)s")
            % {"month": report.month.strftime("%Y-%m")}
        )
    return FormulaValue(100.0 * report.troops / report.authorised_troops)


@formula(
    "deployment_sites",
    gettext_lazy("Deployment sites"),
    gettext_lazy("sites"),
    gettext_lazy("Sites on the mission's latest deployment map (Geo-PKO) dated in the period."),
)
def deployment_sites(mission, first, last, options) -> FormulaValue:
    latest = Deployment.objects.filter(mission=mission, month__gte=first.replace(day=1), month__lte=last).aggregate(
        month=Max("month")
    )["month"]
    if latest is None:
        return FormulaValue.none(_("no deployment map dated in this period"))
    return FormulaValue(
        float(Deployment.objects.filter(mission=mission, month=latest).values("site").distinct().count())
    )


# --- From other areas, once they exist --------------------------------------------------


def _as_number(value) -> float:
    """A number, or a duration in hours."""
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 3600
    return float(value)


def _external(source: str, absent: str, empty: str, *args, percent: bool = False, **kwargs) -> FormulaValue:
    """Ask another area's registered figure (core.indicator_sources). `absent` is the reason
    when no area offers it, `empty` when it returns None. With `percent`, a share between 0
    and 1 is shown as a percentage; a duration comes back in hours."""
    compute = indicator_source(source)
    if compute is None:
        return FormulaValue.none(absent)
    value = compute(*args, **kwargs)
    if value is None:
        return FormulaValue.none(empty)
    return FormulaValue(_as_number(value) * (100.0 if percent else 1.0))


@formula(
    "alert_response_share",
    gettext_lazy("Alerts answered within the deadline"),
    "%",
    gettext_lazy(
        "Share of early-warning alerts of the period that got a response within the deadline "
        "(option within_hours, 24 by default)."
    ),
)
def alert_response_share(mission, first, last, options) -> FormulaValue:
    return _external(
        "incidents.alert_response_share",
        _("the alert register is not available in this installation yet"),
        _("no alerts recorded in this period"),
        mission,
        first,
        last,
        within_hours=int(options.get("within_hours", 24)),
        percent=True,
    )


@formula(
    "median_time_to_respond",
    gettext_lazy("Median time to respond to an alert"),
    gettext_lazy("hours"),
    gettext_lazy("Median hours from an alert to the first response, over the alerts of the period."),
)
def median_time_to_respond(mission, first, last, options) -> FormulaValue:
    return _external(
        "incidents.median_time_to_respond",
        _("the alert register is not available in this installation yet"),
        _("no alert was answered in this period"),
        mission,
        first,
        last,
    )


@formula(
    "training_compliance",
    gettext_lazy("Training compliance"),
    "%",
    gettext_lazy("Share of personnel with every required training current on the last day of the period."),
)
def training_compliance(mission, first, last, options) -> FormulaValue:
    return _external(
        "forces.training_compliance",
        _("training records are not available in this installation yet"),
        _("no training records for this mission on that date"),
        mission,
        last,
        percent=True,
    )


@formula(
    "ddr_reintegration_rate",
    gettext_lazy("DDR reintegration rate"),
    "%",
    gettext_lazy("Share of demobilized participants who completed reintegration support."),
)
def ddr_reintegration_rate(mission, first, last, options) -> FormulaValue:
    return _external(
        "ddr.reintegration_rate",
        _("no DDR records in Blue Helmet yet"),
        _("no DDR participants in this period"),
        mission,
        first,
        last,
        percent=True,
    )


@formula(
    "engagement_coverage",
    gettext_lazy("Engagement coverage of high-risk places"),
    "%",
    gettext_lazy("Share of the places at high risk of violence where the mission engaged the community in the period."),
)
def engagement_coverage(mission, first, last, options) -> FormulaValue:
    return _external(
        "civilaffairs.engagement_coverage",
        _("no community engagement records in Blue Helmet yet"),
        _("no high-risk places or engagements in this period"),
        mission,
        first,
        last,
        percent=True,
    )
