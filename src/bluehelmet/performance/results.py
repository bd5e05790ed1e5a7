"""The results framework at work: computing indicator values per period, and the
dashboard's picture of them (traffic lights, trends, assessments), scoped to the user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from bluehelmet.analytics import indicators as maths
from bluehelmet.core.access import mission_scope
from bluehelmet.core.models import Mission

from .formulas import REGISTRY, compute_formula
from .models import INDICATOR_MISSION, Assessment, Indicator, Measurement, Objective


def indicator_periods(indicator: Indicator, today: datetime.date | None = None) -> list[datetime.date]:
    today = today or timezone.now().date()
    last = min(indicator.end or today, today)
    return maths.periods_between(indicator.start, last, indicator.frequency)


@transaction.atomic
def compute_indicator(indicator: Indicator, today: datetime.date | None = None) -> int:
    """Compute and store the value of every period of a formula indicator; hand-entered
    values are left as they are. Returns how many periods were written."""
    if indicator.method != Indicator.Method.FORMULA or not indicator.formula:
        return 0
    mission = indicator.mission
    manual = set(indicator.measurements.filter(source=Measurement.Source.MANUAL).values_list("period", flat=True))
    written = 0
    for period in indicator_periods(indicator, today):
        if period in manual:
            continue
        result = compute_formula(
            indicator.formula, mission, period, maths.period_end(period, indicator.frequency), indicator.formula_options
        )
        Measurement.objects.update_or_create(
            indicator=indicator,
            period=period,
            defaults={"value": result.value, "no_data_reason": result.reason, "source": Measurement.Source.COMPUTED},
        )
        written += 1
    indicator.computed_at = timezone.now()
    indicator.save(update_fields=["computed_at"])
    return written


def compute_mission_indicators(mission: Mission, today: datetime.date | None = None) -> dict:
    indicators = Indicator.objects.filter(**{INDICATOR_MISSION: mission}, method=Indicator.Method.FORMULA)
    return {indicator.code: compute_indicator(indicator, today) for indicator in indicators}


def visible_indicators(user, mission: Mission) -> QuerySet[Indicator]:
    return Indicator.objects.filter(
        mission_scope(user, mission_field=INDICATOR_MISSION), **{INDICATOR_MISSION: mission}
    )


@dataclass
class IndicatorRow:
    indicator: Indicator
    latest: Measurement | None
    status: str
    trend: str | None
    trend_is_good: bool | None
    series: list[dict] = field(default_factory=list)
    assessment: Assessment | None = None

    @property
    def element_id(self) -> str:
        return f"series-{self.indicator.pk}"

    @property
    def formula_label(self) -> str:
        entry = REGISTRY.get(self.indicator.formula)
        return str(entry.label) if entry else ""


def indicator_row(indicator: Indicator) -> IndicatorRow:
    """The dashboard's line for an indicator, from its prefetched measurements and
    assessments: the latest period, its status, the trend and the series for the sparkline."""
    measurements = sorted(indicator.measurements.all(), key=lambda m: m.period)
    latest = measurements[-1] if measurements else None
    known = [m for m in measurements if m.value is not None]
    judged = known[-1] if known else latest
    value = judged.value if judged else None
    direction = maths.trend([m.value for m in measurements])
    good = None
    if direction in ("up", "down"):
        good = (direction == "down") == (indicator.direction == Indicator.Direction.DECREASE)
    assessments = list(indicator.assessments.all())
    return IndicatorRow(
        indicator=indicator,
        latest=judged,
        status=maths.status(value, indicator.baseline, indicator.target, indicator.direction),
        trend=direction,
        trend_is_good=good,
        series=[{"period": m.period.isoformat(), "value": m.value} for m in measurements],
        assessment=assessments[0] if assessments else None,
    )


def framework(user, mission: Mission) -> list[dict]:
    """Objectives > outcomes > outputs > indicator rows the user may see, in a fixed number
    of queries. Outputs and outcomes without a visible indicator are kept (they are part of
    the plan); their indicator lists are simply empty."""
    indicators = visible_indicators(user, mission).prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("period")),
        Prefetch("assessments", queryset=Assessment.objects.order_by("-created")),
    )
    rows_by_output: dict[int, list[IndicatorRow]] = {}
    for indicator in indicators:
        rows_by_output.setdefault(indicator.output_id, []).append(indicator_row(indicator))
    tree = []
    for objective in Objective.objects.filter(mission=mission).prefetch_related("outcomes__outputs"):
        outcomes = []
        for outcome in objective.outcomes.all():
            outputs = [
                {"output": output, "rows": rows_by_output.get(output.pk, [])} for output in outcome.outputs.all()
            ]
            outcomes.append({"outcome": outcome, "outputs": outputs})
        tree.append({"objective": objective, "outcomes": outcomes})
    return tree


def status_counts(tree: list[dict]) -> dict[str, int]:
    counts = {maths.GREEN: 0, maths.AMBER: 0, maths.RED: 0, maths.GREY: 0}
    for objective in tree:
        for outcome in objective["outcomes"]:
            for output in outcome["outputs"]:
                for row in output["rows"]:
                    counts[row.status] += 1
    return counts
