"""What happened, and what changed: each run looks back at the previous run of its mission.

Computed when a run is made (it has the newer data and the fitted model) and stored with it
(ForecastRun.review), so the risk page only reads it:
- the previous run's "next month" forecast (horizon 1) for the places the mission watches
  (every admin area; the PRIO-GRID cells of its sites and of the previous run's top list)
  against the fatalities the conflict events (UCDP GED, the model's target) then recorded:
  hits, misses, false alarms. Alarm threshold: the lowest threshold of the mission's active
  risk alert rules, else P(at least 1) >= 0.5 (the review says which);
- the places whose next-month risk rose or fell most since the previous run, with the
  inputs that moved it (analytics.forecast_review.change_drivers).
"""

from __future__ import annotations

import numpy as np

from bluehelmet.analytics.forecast import LightGBMForecaster
from bluehelmet.analytics.forecast.base import Forecast
from bluehelmet.analytics.forecast_review import CALM, change_drivers, verdicts
from bluehelmet.analytics.panel import Panel, month_id, month_of
from bluehelmet.core.models import Mission
from bluehelmet.incidents.models import AlertRule

from .models import ForecastRun, ForecastUnit, UnitForecast
from .queries import TOP_PLACES

DEFAULT_THRESHOLD = 0.5
CHANGES_SHOWN = 5
MIN_CHANGE = 0.02  # a rise or fall smaller than two points is not news
DRIVERS_SHOWN = 3


def alarm_threshold(mission: Mission) -> tuple[float, str]:
    """(threshold, source): the lowest active risk alert rule's, else the default."""
    thresholds = AlertRule.objects.filter(
        mission=mission, kind=AlertRule.Kind.RISK, active=True, risk_threshold__isnull=False
    ).values_list("risk_threshold", flat=True)
    lowest = min(thresholds, default=None)
    return (float(lowest), "alert_rule") if lowest is not None else (DEFAULT_THRESHOLD, "default")


def previous_run(mission: Mission, cutoff_month: int) -> ForecastRun | None:
    """The latest successful run of the mission on data ending before `cutoff_month`."""
    return (
        ForecastRun.objects.filter(
            mission=mission, status=ForecastRun.Status.SUCCEEDED, data_cutoff__lt=month_of(cutoff_month)
        )
        .order_by("-data_cutoff", "-finished", "-id")
        .first()
    )


def review_previous_run(
    mission: Mission,
    cutoff_month: int,
    fitted: dict[str, tuple[Panel, LightGBMForecaster, Forecast]],
    site_cells: set[int],
) -> dict:
    """The stored review (see the module); {} when there is no earlier run to look back at."""
    previous = previous_run(mission, cutoff_month)
    if previous is None or previous.data_cutoff is None:
        return {}
    before = month_id(previous.data_cutoff.year, previous.data_cutoff.month)
    month = before + 1  # the month the previous run called "next month"
    threshold, source = alarm_threshold(mission)
    earlier = {
        (level, key): (label, p_ge1)
        for level, key, label, p_ge1 in UnitForecast.objects.filter(unit__run=previous, horizon=1).values_list(
            "unit__level", "unit__key", "unit__label", "p_ge1"
        )
    }
    ranked_cells = sorted(
        ((key, p) for (level, key), (_label, p) in earlier.items() if level == ForecastUnit.Level.CELL),
        key=lambda item: -item[1],
    )
    top_cells = {key for key, _p in ranked_cells[:TOP_PLACES]}
    review: dict = {
        "previous_run": previous.pk,
        "previous_cutoff": f"{previous.data_cutoff:%Y-%m}",
        "month": f"{month_of(month):%Y-%m}",
        "threshold": threshold,
        "threshold_source": source,
        "levels": {},
    }
    for level, (panel, model, forecast) in fitted.items():
        unit_level = ForecastUnit.Level.CELL if level == "pgm" else ForecastUnit.Level.ADMIN
        keys = [str(u) for u in panel.units]
        rows = []
        if month <= panel.last_month:
            observed = panel.y[:, month - panel.first_month]
            watched = [
                i
                for i, key in enumerate(keys)
                if (unit_level, key) in earlier
                and (unit_level == ForecastUnit.Level.ADMIN or key in top_cells or int(key) in site_cells)
            ]
            probabilities = [earlier[(unit_level, keys[i])][1] for i in watched]
            for i, p, verdict in zip(watched, probabilities, verdicts(probabilities, observed[watched], threshold)):
                rows.append(
                    {
                        "key": keys[i],
                        "label": earlier[(unit_level, keys[i])][0],
                        "p_ge1": round(p, 4),
                        "observed": float(observed[i]),
                        "verdict": verdict,
                    }
                )
            watched_set = set(watched)
            elsewhere = [i for i in range(len(keys)) if i not in watched_set and observed[i] >= 1]
            outcome = {
                "rows": sorted(rows, key=lambda r: (r["verdict"] == CALM, -r["observed"], -r["p_ge1"])),
                "counts": {v: sum(r["verdict"] == v for r in rows) for v in ("hit", "miss", "false_alarm", "calm")},
                "elsewhere": {"places": len(elsewhere), "fatalities": float(observed[elsewhere].sum())},
            }
        else:
            outcome = None
        review["levels"][level] = {
            "outcome": outcome,
            "changes": _changes(panel, model, forecast, earlier, unit_level, before),
        }
    return review


def _changes(
    panel: Panel, model: LightGBMForecaster, forecast: Forecast, earlier: dict, unit_level: str, before: int
) -> list[dict]:
    """Places whose next-month P(at least 1) rose or fell most since the previous run, with
    the inputs whose change moved it most (signed, log-odds)."""
    keys = [str(u) for u in panel.units]
    now = forecast.p_ge1[:, list(forecast.horizons).index(1)] if 1 in forecast.horizons else None
    if now is None or before < panel.first_month:
        return []
    moved = [
        (i, float(now[i]) - earlier[(unit_level, key)][1])
        for i, key in enumerate(keys)
        if (unit_level, key) in earlier and abs(float(now[i]) - earlier[(unit_level, key)][1]) >= MIN_CHANGE
    ]
    rose = sorted((m for m in moved if m[1] > 0), key=lambda m: -m[1])[:CHANGES_SHOWN]
    fell = sorted((m for m in moved if m[1] < 0), key=lambda m: m[1])[:CHANGES_SHOWN]
    chosen = rose + fell
    if not chosen:
        return []
    drivers = change_drivers(model, panel, before, panel.last_month, horizon=1)
    names = model.feature_names_
    rows = []
    for i, change in chosen:
        order = np.argsort(-np.abs(drivers[i]))[:DRIVERS_SHOWN]
        rows.append(
            {
                "key": keys[i],
                "label": earlier[(unit_level, keys[i])][0],
                "before": round(earlier[(unit_level, keys[i])][1], 4),
                "after": round(float(now[i]), 4),
                "change": round(change, 4),
                "drivers": [[names[k], round(float(drivers[i][k]), 3)] for k in order if abs(drivers[i][k]) >= 0.01],
            }
        )
    return rows
