"""From the database to analytics and back: the data a mission's forecast is made from,
and the forecasts it makes, as plain structures the run stores.

Two levels per run:
- PRIO-GRID cells: every cell with a conflict event in the host countries, plus the cells
  of the mission's sites (so every site has a risk figure);
- admin areas: where the host countries have admin boundaries, the first admin level
  below the country (events placed by point-in-polygon); otherwise the GED `adm_1` names,
  drawn at the centre of their events, and the run notes that no boundary file exists.

Covariates (analytics.forecast.covariates), by family: a run uses the families in its
options, by default those the benchmark keeps (DEFAULT_FAMILIES). Each is built from the
database as known in each month: Geo-PKO and the mission's own postings (peacekeepers),
GeoNames populations (population), the mission's incident reports and verified incidents,
ceasefires and their monitored zones, and what higher apps register (patrols, community
alerts, polling days: providers.CovariateSource), counting only records the run's readers
may see (providers.Audience). A covariate that is the same for every unit and month adds
nothing and is left out.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from django.utils.translation import gettext as _

from bluehelmet.analytics.calibration import (
    MIN_CALIBRATION_ROWS,
    Recalibration,
    calibration_figures,
    fit_recalibration,
    recalibrated_backtest,
)
from bluehelmet.analytics.evaluate import calibration_table, default_origins, rolling_origin, score_table
from bluehelmet.analytics.forecast import ConflictologyForecaster, LightGBMForecaster, ZeroForecaster
from bluehelmet.analytics.forecast import covariates as cov
from bluehelmet.analytics.forecast.base import QUANTILE_LEVELS, Forecast
from bluehelmet.analytics.geo import priogrid_centroid
from bluehelmet.analytics.panel import (
    Panel,
    PanelError,
    ceasefire_in_force,
    events_panel,
    month_id,
    month_of,
    prepare_events,
)
from bluehelmet.core.models import Mission, Place, Sharing
from bluehelmet.core.places import PointLocator
from bluehelmet.datasets.models import ConflictEvent
from bluehelmet.incidents.models import Agreement, Incident, MonitoredZone

from .providers import Audience, covariate_sources, troop_presence
from .review import review_previous_run

HISTORY_MONTHS = 36
TOP_DRIVERS = 3
DEFAULT_HORIZONS = list(range(1, 13))
# The families a run uses unless its options say otherwise: those the benchmark keeps
# (`benchmarks/forecast/compare_views.py --only-ablation`: a family is kept when adding it
# lowers MSLE and CRPS on the windows before the test windows; on the shipped CAR panels,
# population is kept and the Geo-PKO peacekeepers family is not). The platform-only
# families have no history to be scored on: a run adds them through its options
# (`bluehelmet forecast run --covariates ...`) when the mission has the records.
DEFAULT_FAMILIES = (cov.POPULATION,)


@dataclass
class UnitResult:
    level: str
    key: str
    label: str
    place_id: int | None
    priogrid_gid: int | None
    latitude: float | None
    longitude: float | None
    history: list[float]
    drivers: dict[str, list]
    forecasts: list[dict]


@dataclass
class RunResult:
    cutoff_month: int
    units: list[UnitResult] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    importance: dict = field(default_factory=dict)
    notes: list[dict] = field(default_factory=list)
    review: dict = field(default_factory=dict)


def mission_events(mission: Mission) -> pl.DataFrame:
    """Every conflict event in the mission's host countries (the run is a mission product:
    who may see it is decided by the run's sharing, not per event)."""
    rows = ConflictEvent.objects.filter(country__in=mission.host_countries.all()).values_list(
        "date_start", "type_of_violence", "best", "latitude", "longitude", "priogrid_gid", "adm_1"
    )
    schema = {
        "date_start": pl.Date,
        "type_of_violence": pl.Int8,
        "best": pl.Float64,
        "latitude": pl.Float64,
        "longitude": pl.Float64,
        "priogrid_gid": pl.Int32,
        "adm_1": pl.Utf8,
    }
    return pl.DataFrame(list(rows), schema=schema, orient="row")


def _month_ids(frame: pl.DataFrame, column: str = "month") -> pl.DataFrame:
    return frame.with_columns(
        month_id=((pl.col(column).dt.year() - 1980) * 12 + pl.col(column).dt.month()).cast(pl.Int32)
    )


def mission_deployments(mission: Mission, audience: Audience | None = None) -> pl.DataFrame:
    """Troops by site and month, from every registered provider (earlywarning.providers);
    `source` is the provider, whose rows of a month are its map of that month. Default
    audience: the mission's staff."""
    audience = audience or Audience(Sharing.MISSION)
    rows = [(provider.name, *row) for provider in troop_presence() for row in provider.deployments(mission, audience)]
    frame = pl.DataFrame(
        rows,
        schema={
            "source": pl.Utf8,
            "latitude": pl.Float64,
            "longitude": pl.Float64,
            "month": pl.Date,
            "troops": pl.Float64,
        },
        orient="row",
    )
    return _month_ids(frame)


def _points(rows, day: str = "day") -> pl.DataFrame:
    """(latitude, longitude, date or datetime) rows as a frame with month ids."""
    frame = pl.DataFrame(
        [(lat, lon, value.date() if hasattr(value, "date") else value) for lat, lon, value in rows],
        schema={"latitude": pl.Float64, "longitude": pl.Float64, day: pl.Date},
        orient="row",
    )
    return _month_ids(frame, day)


def mission_covariates(
    mission: Mission, panel: Panel, families: tuple[str, ...], audience: Audience
) -> dict[str, np.ndarray]:
    """The covariates of `families` for every unit and month of the panel, from the database."""
    assert panel.centroids is not None
    centres, months = panel.centroids, panel.months
    found: dict[str, np.ndarray] = {}
    if cov.PEACEKEEPERS in families:
        found.update(
            cov.peacekeeper_covariates(
                centres,
                months,
                mission_deployments(mission, audience),
                max_staleness={provider.name: provider.holds_months for provider in troop_presence()},
            )
        )
    if cov.POPULATION in families:
        places = Place.objects.filter(
            country__in=mission.host_countries.all(), gazetteer_population__isnull=False, latitude__isnull=False
        ).values_list("latitude", "longitude", "gazetteer_population")
        frame = pl.DataFrame(
            list(places),
            schema={"latitude": pl.Float64, "longitude": pl.Float64, "population": pl.Float64},
            orient="row",
        )
        found.update(cov.population_within(centres, len(months), frame))
    if cov.INCIDENTS in families:
        # Reports as filed (false ones excepted) and those verified, by the month they happened.
        reports = audience.visible(Incident.objects.filter(mission=mission).exclude(status=Incident.Status.FALSE))
        found["incidents_reported_25km"] = cov.point_counts(
            centres, months, _points(reports.values_list("latitude", "longitude", "occurred_at"))
        )
        verified = reports.filter(status=Incident.Status.VERIFIED)
        found["incidents_verified_25km"] = cov.point_counts(
            centres, months, _points(verified.values_list("latitude", "longitude", "occurred_at"))
        )
    if cov.CEASEFIRES in families:
        agreements = audience.visible(Agreement.objects.filter(mission=mission), label_field=None)
        found["ceasefire"] = ceasefire_in_force(
            panel, [(month_id_of(a.effective_from), month_id_of(a.ends_on) if a.ends_on else None) for a in agreements]
        )
        zones = MonitoredZone.objects.filter(agreement__in=agreements).select_related("agreement")
        found["ceasefire_zone"] = cov.in_zones(
            centres,
            months,
            [
                (
                    zone.geometry,
                    month_id_of(zone.agreement.effective_from),
                    month_id_of(zone.agreement.ends_on) if zone.agreement.ends_on else None,
                )
                for zone in zones
            ],
        )
    for source in covariate_sources():
        if cov.family_of(source.covariate) not in families:
            continue
        if source.points is not None:
            counted = cov.point_counts(centres, months, _points(source.points(mission, audience)))
            found[source.covariate] = found.get(source.covariate, 0) + counted
        if source.dates is not None:
            days = [month_id_of(day) for day in source.dates(mission, audience)]
            found[source.covariate] = np.broadcast_to(cov.months_to_next(months, days), panel.y.shape).copy()
    # A covariate the same for every unit and month tells the model nothing.
    return {name: values for name, values in found.items() if np.ptp(values) > 0}


def mission_sites(mission: Mission) -> list[Place]:
    return [site for provider in troop_presence() for site in provider.sites(mission) if site.priogrid_gid is not None]


def mission_site_cells(mission: Mission) -> set[int]:
    return {site.priogrid_gid for site in mission_sites(mission) if site.priogrid_gid is not None}


def admin_areas(mission: Mission) -> list[Place]:
    """The first admin level below the country with boundaries in the host countries."""
    areas = Place.objects.filter(country__in=mission.host_countries.all(), geometry__isnull=False)
    for kind in (Place.Kind.ADM1, Place.Kind.ADM2, Place.Kind.ADM3):
        found = list(areas.filter(kind=kind))
        if found:
            return found
    return []


def _name_key(name: str) -> str:
    """Area names compared without accents, case or a trailing "province"/"district"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    for suffix in (" province", " prefecture", " district", " region"):
        plain = plain.removesuffix(suffix)
    return plain


def with_admin_units(events: pl.DataFrame, mission: Mission) -> tuple[pl.DataFrame, dict, dict | None]:
    """Events with an `area` column (the admin unit key) and {key: (label, place id, centre)};
    the third value is a note (see queries.note_text) when GED names stand in for boundaries."""
    areas = admin_areas(mission)
    if areas:
        locator = PointLocator(areas)
        keys = [
            (area.pk if (area := locator.locate(lat, lon)) else None)
            for lat, lon in events.select("latitude", "longitude").iter_rows()
        ]
        units = {}
        for area, geometry in zip(locator.areas, locator.geometries):
            centre = geometry.representative_point()
            units[str(area.pk)] = (area.name, area.pk, (centre.y, centre.x))
        return events.with_columns(area=pl.Series([str(k) if k else None for k in keys], dtype=pl.Utf8)), units, None
    places = {
        _name_key(p.name): p
        for p in Place.objects.filter(
            country__in=mission.host_countries.all(), kind__in=(Place.Kind.ADM1, Place.Kind.ADM2)
        )
    }
    named = events.filter(pl.col("adm_1").is_not_null() & (pl.col("adm_1") != ""))
    centres = named.group_by("adm_1").agg(pl.col("latitude").mean(), pl.col("longitude").mean())
    units = {}
    for name, lat, lon in centres.iter_rows():
        place = places.get(_name_key(name))
        units[name] = (name, place.pk if place else None, (lat, lon))
    note = {"code": "no_boundaries", "countries": ", ".join(c.name for c in mission.host_countries.all())}
    return events.with_columns(area=pl.col("adm_1")), units, note


def _cutoff(events: pl.DataFrame, cutoff_month: int | None) -> int:
    if not events.height:
        raise PanelError(_("no conflict events in the mission's host countries: nothing to forecast from"))
    last = int(events["month_id"].max())
    return last if cutoff_month is None else cutoff_month


def build_panels(
    mission: Mission,
    cutoff_month: int | None = None,
    families: tuple[str, ...] = DEFAULT_FAMILIES,
    sharing: str = Sharing.MISSION,
) -> tuple[dict[str, Panel], dict, dict, list[dict], int]:
    """The cell and admin panels of a mission up to the cut-off, with the covariates of
    `families`; also the admin units and the main area of each cell."""
    events = prepare_events(mission_events(mission))
    cutoff = _cutoff(events, cutoff_month)
    events = events.filter(pl.col("month_id") <= cutoff)
    if not events.height:
        raise PanelError(_("no conflict events up to the cut-off %(month)s") % {"month": f"{month_of(cutoff):%Y-%m}"})
    first = int(events["month_id"].min())
    site_cells = {p.priogrid_gid for p in mission_sites(mission)}
    cells = np.array(sorted(set(events["priogrid_gid"].unique().to_list()) | site_cells), dtype=np.int64)
    panels = {"pgm": events_panel(events, "pgm", units=cells, first_month=first, last_month=cutoff)}
    admin_events, admin_units, note = with_admin_units(events, mission)
    cell_areas = _main_area_of_cells(admin_events, admin_units)
    notes = [note] if note else []
    if admin_units:
        keys = np.array(sorted(admin_units), dtype=object)
        panel = events_panel(admin_events, unit_column="area", units=keys, first_month=first, last_month=cutoff)
        panel.centroids = np.array([admin_units[k][2] for k in keys], dtype=np.float64)
        panels["admin"] = panel
    audience = Audience(sharing)
    for panel in panels.values():
        panel.covariates.update(mission_covariates(mission, panel, families, audience))
    return panels, admin_units, cell_areas, notes, cutoff


def _main_area_of_cells(events: pl.DataFrame, admin_units: dict) -> dict[int, str]:
    """{cell: name of the admin area most of its events lie in}, to tell cells apart."""
    counted = (
        events.filter(pl.col("area").is_not_null()).group_by("priogrid_gid", "area").len().sort("len", descending=True)
    )
    return {
        gid: admin_units[area][0]
        for gid, area in counted.unique("priogrid_gid", keep="first").select("priogrid_gid", "area").iter_rows()
        if area in admin_units
    }


def backtest_metrics(
    panel: Panel, horizons: list[int], n_origins: int, model_options: dict
) -> tuple[dict, Recalibration | None]:
    """Out-of-sample scores of the main model against two baselines on the last months, the
    calibration of its distributions (raw, and recalibrated origin by origin on the earlier
    origins' known outcomes), and the recalibration the run's own forecasts get: learnt on
    every backtest forecast (all outcomes known at the cut-off); None when too few."""
    origins = None
    # As many origins as the history allows: a short history still gets scored, on fewer.
    for n in range(n_origins, 0, -1):
        try:
            origins = default_origins(panel, horizons, n_origins=n, spacing=3)
            break
        except PanelError:
            continue
    if origins is None:
        return {}, None
    forecasters = {
        "zero": ZeroForecaster(),
        "conflictology_12": ConflictologyForecaster(12),
        LightGBMForecaster.name: LightGBMForecaster(horizons, **model_options),
    }
    backtests = rolling_origin(panel, forecasters, origins, horizons)
    table = score_table(backtests, horizons)
    main = backtests[LightGBMForecaster.name]
    first = main.rows(horizons[0])
    calibration = calibration_table(main.y_true[first], main.p_ge1[first])
    recalibrated = recalibrated_backtest(main)
    recalibration = fit_recalibration(main) if len(main.y_true) >= MIN_CALIBRATION_ROWS else None
    metrics = {
        "origins": [f"{month_of(o):%Y-%m}" for o in origins],
        "scores": [
            {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
            for row in table.iter_rows(named=True)
        ],
        "calibration": calibration.to_dicts(),
        # Stored with the run so the run page draws the PIT and reliability charts without recomputing.
        "distribution": {
            "raw": calibration_figures(main),
            "recalibrated": calibration_figures(recalibrated) if len(recalibrated.y_true) else None,
            "applied": recalibration is not None,
        },
    }
    return metrics, recalibration


def recalibrate_forecast(forecast: Forecast, recalibration: Recalibration) -> None:
    """Recalibrate a forecast in place: samples and probabilities (the point forecast, the
    model's MSLE-optimal value, stays)."""
    n_units, n_horizons, n_samples = forecast.samples.shape
    flat = forecast.samples.reshape(-1, n_samples)
    forecast.samples = recalibration.samples(flat).reshape(n_units, n_horizons, n_samples).astype(np.float32)
    forecast.p_ge1 = recalibration.probability_at_least(forecast.p_ge1).astype(np.float32)
    forecast.p_ge25 = recalibration.probability_at_least(forecast.p_ge25).astype(np.float32)


def _top_drivers(contributions: np.ndarray, names: list[str], horizons: list[int]) -> dict[str, list]:
    drivers = {}
    for j, h in enumerate(horizons):
        values = contributions[j]
        order = np.argsort(-np.abs(values))[:TOP_DRIVERS]
        drivers[str(h)] = [[names[i], round(float(values[i]), 4)] for i in order if values[i] != 0]
    return drivers


def forecast_mission(
    mission: Mission,
    *,
    cutoff_month: int | None = None,
    horizons: list[int] = DEFAULT_HORIZONS,
    backtest_origins: int = 4,
    model_options: dict | None = None,
    families: tuple[str, ...] = DEFAULT_FAMILIES,
    sharing: str = Sharing.MISSION,
) -> RunResult:
    """Fit the main model on each panel, forecast every unit, score it out of sample."""
    model_options = model_options or {}
    panels, admin_units, cell_areas, notes, cutoff = build_panels(mission, cutoff_month, families, sharing)
    result = RunResult(cutoff_month=cutoff, notes=notes)
    fitted: dict[str, tuple[Panel, LightGBMForecaster, Forecast]] = {}
    for level, panel in panels.items():
        panel.check_history(horizons)
        model = LightGBMForecaster(horizons, **model_options).fit(panel)
        forecast = model.predict(contributions=True)
        result.metrics[level], recalibration = backtest_metrics(panel, horizons, backtest_origins, model_options)
        if recalibration is not None:
            recalibrate_forecast(forecast, recalibration)
        fitted[level] = (panel, model, forecast)
        quantiles = forecast.quantiles(QUANTILE_LEVELS)
        names = forecast.extra["feature_names"]
        result.importance[level] = sorted(
            zip(names, (round(v, 1) for v in forecast.extra["importance"])), key=lambda x: -x[1]
        )
        if backtest_origins and not result.metrics[level]:
            result.notes.append({"code": "no_backtest", "level": level})
        if panel.covariates:
            result.notes.append({"code": "covariates", "level": level, "names": ", ".join(sorted(panel.covariates))})
        history = panel.y[:, -HISTORY_MONTHS:]
        for i, unit in enumerate(panel.units):
            if level == "pgm":
                lat, lon = priogrid_centroid(int(unit))
                gid, place_id = int(unit), None
                label = _("Cell %(gid)s") % {"gid": gid}
                if gid in cell_areas:
                    label = f"{label} · {cell_areas[gid]}"
            else:
                label, place_id, (lat, lon) = admin_units[unit]
                gid = None
            result.units.append(
                UnitResult(
                    level=level,
                    key=str(unit),
                    label=label,
                    place_id=place_id,
                    priogrid_gid=gid,
                    latitude=None if lat is None or np.isnan(lat) else float(lat),
                    longitude=None if lon is None or np.isnan(lon) else float(lon),
                    history=[float(v) for v in history[i]],
                    drivers=_top_drivers(forecast.extra["contributions"][i], names, horizons),
                    forecasts=[
                        {
                            "horizon": h,
                            "month": month_of(cutoff + h),
                            "point": float(forecast.point[i, j]),
                            "mean": float(forecast.samples[i, j].mean()),
                            **{
                                f"q{round(level_ * 100):02d}": float(quantiles[k, i, j])
                                for k, level_ in enumerate(QUANTILE_LEVELS)
                            },
                            "p_ge1": float(forecast.p_ge1[i, j]),
                            "p_ge25": float(forecast.p_ge25[i, j]),
                        }
                        for j, h in enumerate(horizons)
                    ],
                )
            )
    result.review = review_previous_run(mission, cutoff, fitted, mission_site_cells(mission))
    return result


def month_id_of(date) -> int:
    return month_id(date.year, date.month)
