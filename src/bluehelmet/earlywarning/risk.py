"""Risk figures other areas read (the forces optimiser, the alerts): from the latest
successful forecast run of a mission."""

import logging

from bluehelmet.core.models import Mission, Place

from .models import ForecastRun, ForecastUnit, UnitForecast

logger = logging.getLogger(__name__)


def latest_run(mission: Mission) -> ForecastRun | None:
    return mission.forecast_runs.filter(status=ForecastRun.Status.SUCCEEDED).order_by("-finished", "-id").first()


def latest_place_risk(mission: Mission, horizon: int = 1) -> dict[int, float]:
    """{Place id: probability of at least 1 fatality `horizon` months after the cut-off}.

    Admin areas that are Places carry their own forecast; sites and bases in the host
    countries carry the forecast of the PRIO-GRID cell they lie in. {} when the mission has
    no successful run (or it did not forecast that horizon).
    """
    run = latest_run(mission)
    if run is None:
        return {}
    forecasts = UnitForecast.objects.filter(unit__run=run, horizon=horizon)
    risk = dict(forecasts.filter(unit__place__isnull=False).values_list("unit__place_id", "p_ge1"))
    by_cell = dict(forecasts.filter(unit__level=ForecastUnit.Level.CELL).values_list("unit__priogrid_gid", "p_ge1"))
    points = Place.objects.filter(
        country__in=mission.host_countries.all(), kind__in=Place.POINT_KINDS, priogrid_gid__in=list(by_cell)
    )
    for place_id, gid in points.values_list("id", "priogrid_gid"):
        risk[place_id] = by_cell[gid]
    return risk


def latest_place_risk_or_none(mission: Mission, horizon: int = 1) -> dict[int, float]:
    """latest_place_risk for other areas' pages: a failing forecast lookup is logged and
    read as "no forecast" ({}), so it never takes a risk map or a plan down with it."""
    try:
        return dict(latest_place_risk(mission, horizon=horizon) or {})
    except Exception:
        logger.exception("early-warning risk failed for %s", mission)
        return {}
