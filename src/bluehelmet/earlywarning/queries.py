"""Read side of early warning, always scoped to the user: which runs they may see, and the
risk figures of a run shaped for the pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bluehelmet.analytics.geo import PRIOGRID_CELL_DEGREES
from bluehelmet.core.access import mission_scope
from bluehelmet.core.models import Mission
from bluehelmet.core.months import add_months
from bluehelmet.core.params import positive_id

from .labels import feature_label
from .models import ForecastRun, ForecastUnit, UnitForecast

PAGE_HORIZONS = (1, 3, 6, 12)
TOP_PLACES = 10
TREND_RATIO = 1.25  # forecast vs recent average beyond which a trend is "rising"/"falling"


def visible_runs(user, mission: Mission) -> QuerySet[ForecastRun]:
    """The mission's runs the user may see (partners: shared runs only)."""
    return ForecastRun.objects.filter(mission_scope(user), mission=mission)


def shown_run(user, mission: Mission, run_id=None) -> ForecastRun | None:
    """The asked-for successful run, else the latest successful one."""
    runs = visible_runs(user, mission).filter(status=ForecastRun.Status.SUCCEEDED)
    if run_id:
        run_pk = positive_id(run_id)
        return runs.filter(pk=run_pk).first() if run_pk else None
    return runs.order_by("-finished", "-id").first()


def _trend(history: list[float], upcoming: list[float]) -> str:
    recent = sum(history[-12:]) / max(len(history[-12:]), 1)
    ahead = sum(upcoming) / max(len(upcoming), 1)
    if ahead > max(recent * TREND_RATIO, recent + 0.5):
        return "rising"
    if ahead < recent / TREND_RATIO and recent - ahead > 0.5:
        return "falling"
    return "steady"


TREND_LABELS = {"rising": "▲", "falling": "▼", "steady": "●"}


def top_places(run: ForecastRun, level: str, horizon: int, limit: int = TOP_PLACES) -> list[dict]:
    """The units most likely to see at least one fatality at `horizon`, with their trend
    (the next three months against the last twelve) and main drivers."""
    forecasts = (
        UnitForecast.objects.filter(unit__run=run, unit__level=level, horizon=horizon)
        .select_related("unit")
        .order_by("-p_ge1", "-point", "unit__label")[:limit]
    )
    units = [f.unit for f in forecasts]
    upcoming: dict[int, list[float]] = {}
    for unit_id, point in UnitForecast.objects.filter(unit__in=units, horizon__lte=3).values_list("unit_id", "point"):
        upcoming.setdefault(unit_id, []).append(point)
    rows = []
    for rank, forecast in enumerate(forecasts, start=1):
        unit = forecast.unit
        trend = _trend(unit.history, upcoming.get(unit.pk, []))
        rows.append(
            {
                "rank": rank,
                "unit": unit,
                "forecast": forecast,
                "trend": trend,
                "trend_symbol": TREND_LABELS[trend],
                "drivers": [feature_label(name) for name, _value in unit.drivers.get(str(horizon), [])],
            }
        )
    return rows


def _cell_square(gid: int, lat: float, lon: float) -> dict:
    half = PRIOGRID_CELL_DEGREES / 2
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def map_layers(run: ForecastRun, horizon: int) -> dict:
    """Two GeoJSON layers for one horizon: cells as 0.5-degree squares, and admin areas as
    their polygons where a boundary file gave them, else as points at their centre."""
    rows = (
        UnitForecast.objects.filter(unit__run=run, horizon=horizon)
        .select_related("unit", "unit__place")
        .defer("unit__history")
    )
    cells, areas = [], []
    for forecast in rows:
        unit = forecast.unit
        properties = {
            "unit": unit.pk,
            "name": unit.label,
            "p1": round(forecast.p_ge1, 4),
            "p25": round(forecast.p_ge25, 4),
            "point": round(forecast.point, 2),
            "q05": round(forecast.q05, 2),
            "q95": round(forecast.q95, 2),
        }
        if unit.level == ForecastUnit.Level.CELL:
            cells.append(
                {
                    "type": "Feature",
                    "geometry": _cell_square(unit.priogrid_gid, unit.latitude, unit.longitude),
                    "properties": properties,
                }
            )
        elif unit.place is not None and unit.place.geometry:
            areas.append(
                {"type": "Feature", "geometry": unit.place.map_geometry, "properties": {**properties, "shape": "area"}}
            )
        elif unit.latitude is not None:
            areas.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [unit.longitude, unit.latitude]},
                    "properties": {**properties, "shape": "point"},
                }
            )
    return {
        "horizon": horizon,
        "month": f"{add_months(run.data_cutoff, horizon):%Y-%m}",
        "cells": {"type": "FeatureCollection", "features": cells},
        "areas": {"type": "FeatureCollection", "features": areas},
    }


def unit_chart(unit: ForecastUnit) -> dict:
    """History against the forecast bands (50% and 90%) of one unit, and its drivers."""
    cutoff = unit.run.data_cutoff
    history_months = [f"{add_months(cutoff, k - len(unit.history) + 1):%Y-%m}" for k in range(len(unit.history))]
    forecasts = list(unit.forecasts.order_by("horizon"))
    return {
        "unit": unit.pk,
        "name": unit.label,
        "history": {"months": history_months, "values": unit.history},
        "forecast": {
            "months": [f"{f.month:%Y-%m}" for f in forecasts],
            **{
                key: [round(getattr(f, key), 3) for f in forecasts]
                for key in ("point", "q05", "q25", "q75", "q95", "p_ge1", "p_ge25")
            },
        },
        "drivers": {h: [[feature_label(name), value] for name, value in items] for h, items in unit.drivers.items()},
    }


def score_rows(run: ForecastRun, level: str) -> list[dict]:
    """The run's out-of-sample scores over every horizon, best MSLE first."""
    scores = (run.metrics.get(level) or {}).get("scores", [])
    rows = [row for row in scores if row.get("horizon") == "all"]
    return sorted(rows, key=lambda row: row["MSLE"])


LEVEL_LABELS = {"admin": _("admin areas"), "pgm": _("PRIO-GRID cells")}


def note_text(note: dict) -> str:
    """A run's note, in the reader's language (runs store the facts, not the sentence)."""
    if note.get("code") == "no_boundaries":
        return _(
            "No boundary file for this country (%(countries)s): admin areas are the GED admin-1 names, "
            "drawn as circles at the centre of their events."
        ) % {"countries": note.get("countries", "")}
    if note.get("code") == "no_backtest":
        level = LEVEL_LABELS.get(note.get("level"), note.get("level"))
        return _("Too little history to score the forecasts of %(level)s out of sample.") % {"level": level}
    if note.get("code") == "covariates":
        level = LEVEL_LABELS.get(note.get("level"), note.get("level"))
        return _("Covariates of %(level)s: %(names)s.") % {"level": level, "names": note.get("names", "")}
    return str(note)


def run_notes(run: ForecastRun) -> list[str]:
    return [note_text(note) for note in run.notes]


def calibration_labels() -> dict:
    """Words of the calibration charts (static/earlywarning/calibration.js), in the request's language."""
    return {
        "raw": gettext("Model as fitted"),
        "recalibrated": gettext("Recalibrated"),
        "uniform": gettext("Calibrated (flat)"),
        "pit": gettext("Share of outcomes"),
        "pitAxis": gettext("Where the outcome fell in its forecast distribution (PIT)"),
        "forecast": gettext("Forecast probability"),
        "observed": gettext("Observed frequency"),
        "diagonal": gettext("Perfect reliability"),
    }


def distribution_summary(distribution: dict | None) -> dict | None:
    """The coverage rows of a level's stored calibration figures (metrics[level]["distribution"],
    made by forecasting.backtest_metrics), for the run page's table."""
    if not distribution:
        return None
    rows = []
    for key, label in (("raw", _("Model as fitted")), ("recalibrated", _("Recalibrated"))):
        figures = distribution.get(key)
        if figures:
            rows.append({"label": label, "rows": figures["rows"], "coverage": list(figures["coverage"].values())})
    return {"rows": rows, "applied": distribution.get("applied", False)}


VERDICT_LABELS = {"hit": _("hit"), "miss": _("miss"), "false_alarm": _("false alarm"), "calm": _("calm, as forecast")}


def review_for(user, mission: Mission, run: ForecastRun, seen_runs: list[ForecastRun] = ()) -> dict | None:
    """The run's look back at the previous run (earlywarning.review), shaped for the page;
    None when there is none or the user may not see the previous run (the review shows its
    forecasts, so it is as restricted as that run). `seen_runs`: runs already known to be
    visible to the user (the page's recent runs), which spares a query."""
    review = run.review or {}
    if not review:
        return None
    previous = review.get("previous_run")
    if previous not in {r.pk for r in seen_runs} and not visible_runs(user, mission).filter(pk=previous).exists():
        return None
    levels = []
    for level in ("admin", "pgm"):
        data = review.get("levels", {}).get(level)
        if not data:
            continue
        outcome = data.get("outcome")
        if outcome:
            for row in outcome["rows"]:
                row["verdict_label"] = VERDICT_LABELS.get(row["verdict"], row["verdict"])
        changes = [
            {**change, "driver_labels": [(feature_label(name), value) for name, value in change["drivers"]]}
            for change in data.get("changes", [])
        ]
        levels.append({"level": level, "label": LEVEL_LABELS[level], "outcome": outcome, "changes": changes})
    return {**review, "levels": levels}
