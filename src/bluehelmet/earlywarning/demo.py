"""Demo: a real forecast for MINUSCA from the shipped UCDP GED events of the Central
African Republic, so the risk page has content. Kept small (fewer trees, one backtest
origin) so the demo loads in seconds; `bluehelmet forecast run --mission MINUSCA` makes
the full-size run. A run on the data up to the month before comes first (without a backtest,
to stay quick), so the risk page can look back at it: its forecast against what happened."""

from django.db.models import Max

from bluehelmet.analytics.panel import month_id
from bluehelmet.core.models import Mission
from bluehelmet.datasets.models import ConflictEvent

from .models import ForecastRun
from .runs import create_run, execute_run

DEMO_MISSION = "MINUSCA"
DEMO_MODEL = {"n_estimators": 40, "learning_rate": 0.1}


def load(progress) -> None:
    mission = Mission.objects.filter(acronym=DEMO_MISSION).first()
    if mission is None or not mission.host_countries.exists():
        return
    last = ConflictEvent.objects.filter(country__in=mission.host_countries.all()).aggregate(last=Max("date_start"))
    if last["last"] is not None:
        previous_month = month_id(last["last"].year, last["last"].month) - 1
        execute_run(create_run(mission, cutoff_month=previous_month, backtest_origins=0, model_options=DEMO_MODEL).pk)
    run = execute_run(create_run(mission, backtest_origins=1, model_options=DEMO_MODEL).pk)
    if run.status == ForecastRun.Status.SUCCEEDED:
        progress(
            f"{'earlywarning':<20} {DEMO_MISSION} forecast from events up to {run.data_cutoff:%Y-%m}: {run.units.count()} places"
        )
    else:
        progress(f"{'earlywarning':<20} {DEMO_MISSION} forecast failed: {run.error}")
