"""The life of a forecast run: queued by a user or the command, computed as a background
job, stored all at once or not at all, then handed to the alerts."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bluehelmet import jobs
from bluehelmet.analytics.forecast import LightGBMForecaster
from bluehelmet.analytics.forecast.covariates import FAMILIES
from bluehelmet.analytics.panel import PanelError, month_of
from bluehelmet.core.job_records import job_actor
from bluehelmet.core.models import Mission, Sharing
from bluehelmet.incidents import alerts

from .forecasting import DEFAULT_FAMILIES, DEFAULT_HORIZONS, RunResult, forecast_mission
from .models import ForecastRun, ForecastUnit, UnitForecast
from .risk import latest_place_risk

logger = logging.getLogger(__name__)


def create_run(
    mission: Mission,
    user=None,
    *,
    cutoff_month: int | None = None,
    backtest_origins: int = 4,
    model_options: dict | None = None,
    sharing: str = Sharing.MISSION,
    covariates: list[str] | None = None,
) -> ForecastRun:
    """A queued run with its options; nothing is computed yet. `covariates`: the families
    of covariates (analytics.forecast.covariates.FAMILIES; default: DEFAULT_FAMILIES)."""
    unknown = [family for family in covariates or () if family not in FAMILIES]
    if unknown:
        raise PanelError(
            _("unknown covariate family %(names)s: choose among %(families)s")
            % {"names": ", ".join(unknown), "families": ", ".join(FAMILIES)}
        )
    return ForecastRun.objects.create(
        mission=mission,
        model_name=LightGBMForecaster.name,
        horizons=DEFAULT_HORIZONS,
        options={
            "cutoff_month": cutoff_month,
            "backtest_origins": backtest_origins,
            "model_options": model_options or {},
            "covariates": list(DEFAULT_FAMILIES if covariates is None else covariates),
        },
        sharing=sharing,
        **job_actor(user),
    )


def start_forecast_run(mission: Mission, user=None, **options) -> ForecastRun:
    """Queue a run and hand it to the job runner (a Celery worker, a thread, or at once)."""
    from .tasks import run_forecast_job

    run = create_run(mission, user, **options)
    jobs.submit(run_forecast_job, run.pk)
    return run


def execute_run(run_id: int) -> ForecastRun:
    """Compute the run; on any failure mark it failed with the reason and touch nothing else."""
    run = ForecastRun.objects.select_related("mission").get(pk=run_id)
    ForecastRun.objects.filter(pk=run.pk).update(status=ForecastRun.Status.RUNNING, started=timezone.now())
    options = run.options or {}
    try:
        result = forecast_mission(
            run.mission,
            cutoff_month=options.get("cutoff_month"),
            horizons=run.horizons or DEFAULT_HORIZONS,
            backtest_origins=options.get("backtest_origins", 4),
            model_options=options.get("model_options") or {},
            families=tuple(options.get("covariates", DEFAULT_FAMILIES)),
            sharing=run.sharing,
        )
        store_result(run, result)
    except PanelError as problem:
        fail(run, str(problem))
    except jobs.DATABASE_UNAVAILABLE:
        raise  # the job is tried again when the database is back (store_result is atomic)
    except Exception as crash:  # a bug or a full disk: the run must not stay "running"
        logger.exception("forecast run %s crashed", run.pk)
        fail(run, _("the forecast stopped unexpectedly: %(error)s") % {"error": crash})
    run.refresh_from_db()
    if run.status == ForecastRun.Status.SUCCEEDED:
        notify_alerts(run.mission)
    return run


def fail(run: ForecastRun, reason: str) -> None:
    ForecastRun.objects.filter(pk=run.pk).update(
        status=ForecastRun.Status.FAILED, error=reason, finished=timezone.now()
    )


@transaction.atomic
def store_result(run: ForecastRun, result: RunResult) -> None:
    units = ForecastUnit.objects.bulk_create(
        [
            ForecastUnit(
                run=run,
                level=u.level,
                key=u.key,
                label=u.label[:255],
                place_id=u.place_id,
                priogrid_gid=u.priogrid_gid,
                latitude=u.latitude,
                longitude=u.longitude,
                history=u.history,
                drivers=u.drivers,
            )
            for u in result.units
        ],
        batch_size=1000,
    )
    UnitForecast.objects.bulk_create(
        [UnitForecast(unit=unit, **values) for unit, u in zip(units, result.units) for values in u.forecasts],
        batch_size=2000,
    )
    run.status = ForecastRun.Status.SUCCEEDED
    run.data_cutoff = month_of(result.cutoff_month)
    run.metrics = result.metrics
    run.importance = result.importance
    run.notes = result.notes
    run.review = result.review
    run.error = ""
    run.finished = timezone.now()
    run.save(update_fields=["status", "data_cutoff", "metrics", "importance", "notes", "review", "error", "finished"])


def notify_alerts(mission: Mission) -> None:
    """Hand the new risk figures to the alert rules (incidents, a layer below: a plain import).
    An alert failure is logged, never turns a good forecast into a failed one."""
    try:
        alerts.check_risk_rules(mission, latest_place_risk(mission))
    except Exception:
        logger.exception("risk alert rules failed for %s", mission)
