"""Forecast runs end to end on the database: computed as jobs, stored, failing cleanly,
and read by other areas."""

import datetime

import pytest

from bluehelmet.core.models import Place
from bluehelmet.datasets.models import Deployment
from bluehelmet.earlywarning.labels import feature_label
from bluehelmet.earlywarning.models import ForecastRun, ForecastUnit, UnitForecast
from bluehelmet.earlywarning.risk import latest_place_risk, latest_run
from bluehelmet.earlywarning.runs import create_run, execute_run, start_forecast_run

from .conftest import SMALL_MODEL

pytestmark = pytest.mark.django_db


def run_now(mission, **options):
    options.setdefault("backtest_origins", 1)
    options.setdefault("model_options", SMALL_MODEL)
    return execute_run(create_run(mission, **options).pk)


def test_a_run_forecasts_cells_and_admin_areas(car_history):
    site = Place.objects.create(
        key="site:Bria",
        kind=Place.Kind.SITE,
        name="Bria",
        country=car_history.host_countries.get(),
        latitude=6.5423,
        longitude=21.9863,
    )
    for month in range(1, 13):
        Deployment.objects.create(
            mission=car_history, site=site, month=datetime.date(2020, month, 1), source="exercise", troops=650
        )
    run = run_now(car_history, covariates=["peacekeepers"])
    assert run.status == ForecastRun.Status.SUCCEEDED, run.error
    assert run.data_cutoff == datetime.date(2021, 12, 1)
    # UN troops nearby enter as features (Bria's cell centre is 35 km from the site).
    assert "troops_50km_t-0" in {name for name, _gain in run.importance["pgm"]}
    levels = set(run.units.values_list("level", flat=True))
    assert levels == {ForecastUnit.Level.CELL, ForecastUnit.Level.ADMIN}
    areas = run.units.filter(level=ForecastUnit.Level.ADMIN)
    assert set(areas.values_list("key", flat=True)) == {
        "Bangui province",
        "Haute-Kotto province",
        "Ouaka province",
        "Nana-Grébizi province",
    }
    assert UnitForecast.objects.filter(unit__run=run).count() == run.units.count() * 12
    forecast = UnitForecast.objects.filter(unit__run=run, horizon=3).first()
    assert forecast.month == datetime.date(2022, 3, 1)
    assert forecast.q05 <= forecast.q50 <= forecast.q95 and 0 <= forecast.p_ge25 <= forecast.p_ge1 <= 1
    assert any(unit.drivers["1"] for unit in run.units.all())
    assert {row["model"] for row in run.metrics["admin"]["scores"]} == {"zero", "conflictology_12", "lightgbm_hurdle"}
    # No boundaries for the Central African Republic: the run says so, and names its covariates.
    assert run.notes[0] == {"code": "no_boundaries", "countries": "Central African Republic"}
    assert {"code": "covariates", "level": "pgm", "names": "troops_50km, un_site_km"} in run.notes
    # Sites carry the risk of their cell.
    risk = latest_place_risk(car_history, horizon=1)
    assert set(risk) == {site.pk}
    cell = run.units.get(level=ForecastUnit.Level.CELL, priogrid_gid=site.priogrid_gid)
    assert risk[site.pk] == pytest.approx(cell.forecasts.get(horizon=1).p_ge1)


def test_latest_place_risk_is_empty_without_a_run(other_mission):
    assert latest_place_risk(other_mission) == {}


def test_a_failed_run_keeps_its_reason_and_earlier_runs(car_history):
    good = run_now(car_history)
    bad = run_now(car_history, cutoff_month=458)  # 2018-02: two months of data
    assert bad.status == ForecastRun.Status.FAILED
    assert "too little history for horizon 12" in bad.error
    assert not bad.units.exists()
    good.refresh_from_db()
    assert good.status == ForecastRun.Status.SUCCEEDED and good.units.exists()
    assert latest_run(car_history) == good


def test_a_run_without_events_fails_with_a_clear_reason(other_mission):
    run = run_now(other_mission)
    assert run.status == ForecastRun.Status.FAILED
    assert "no conflict events" in run.error


def test_a_crash_marks_the_run_failed(car_history, monkeypatch):
    from bluehelmet.earlywarning import runs

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runs, "forecast_mission", broken)
    run = run_now(car_history)
    assert run.status == ForecastRun.Status.FAILED and "disk full" in run.error


def test_jobs_run_through_the_job_runner_and_call_the_alert_rules(car_history, settings, monkeypatch):
    from bluehelmet.incidents import alerts

    settings.BLUEHELMET_JOBS_SYNC = True
    calls = []
    monkeypatch.setattr(alerts, "check_risk_rules", lambda mission, risks: calls.append((mission, risks)))
    run = start_forecast_run(car_history, backtest_origins=0, model_options=SMALL_MODEL)
    run.refresh_from_db()
    assert run.status == ForecastRun.Status.SUCCEEDED
    assert calls and calls[0][0] == car_history and isinstance(calls[0][1], dict)


def test_admin_areas_with_boundaries_are_places_and_carry_risk(mission, country):
    """Sierra Leone: districts from the boundary file, events placed in them by polygon."""
    from .conftest import store_events, synthetic_events

    squares = {"Western Area": (-13.3, 8.2), "Kenema": (-11.4, 7.7), "Bo": (-12.0, 7.8)}
    districts = {}
    for name, (lon, lat) in squares.items():
        ring = [[lon, lat], [lon + 0.4, lat], [lon + 0.4, lat + 0.4], [lon, lat + 0.4], [lon, lat]]
        districts[name] = Place.objects.create(
            key=f"adm2:SLE:{name}",
            kind=Place.Kind.ADM2,
            name=name,
            parent=country,
            country=country,
            geometry={"type": "Polygon", "coordinates": [ring]},
        )
    towns = [(f"{name} district", lat + 0.2, lon + 0.2) for name, (lon, lat) in squares.items()]
    store_events(country, synthetic_events(towns=towns))
    run = run_now(mission)
    assert run.status == ForecastRun.Status.SUCCEEDED, run.error
    assert run.notes == []
    areas = run.units.filter(level=ForecastUnit.Level.ADMIN)
    assert {a.place_id for a in areas} == {d.pk for d in districts.values()}
    risk = latest_place_risk(mission, horizon=1)
    assert set(risk) >= {d.pk for d in districts.values()}
    assert all(0 <= p <= 1 for p in risk.values())


def test_feature_labels_read_as_words():
    assert feature_label("ged_best_t-0") == "fatalities last month"
    assert feature_label("ged_best_t-5") == "fatalities 5 months before the last"
    assert feature_label("neighbours_mean_12m") == "fatalities in neighbouring places, 12-month average"
    assert feature_label("troops_25km_t-0") == "UN troops within 25 km"
    assert feature_label("ceasefire_t-0") == "ceasefire in force"
    assert feature_label("rainfall_t-0") == "rainfall_t-0"
    assert feature_label("un_site_km_t-0") == "distance to the nearest UN site"
    assert feature_label("patrols_25km_mean_12m") == "patrols within 25 km, 12-month average"
