"""What each family of covariates adds to the main model: the ablation of compare_views.py
(`--ablation`, or `--only-ablation` without the ViEWS comparison).

The families with a history in the shipped data (analytics.forecast.covariates):
- peacekeepers: distance to the nearest UN site and troops within 25 and 50 km of each
  unit's centre, from Geo-PKO's deployment maps of every mission (v1.2 location-month maps
  to 2018; then the v2.3 mission-year aggregate, dated December of its year because it is
  known once the year is over). In the Central African Republic: MINURCA 1998-2000,
  MINURCAT 2008-2010, MINUSCA from 2014 (and MONUC's 2001 liaison office). Each map holds
  until the mission's next map, at most 24 months, and never after the mission's end
  (the UN list of operations);
- population: people in the GeoNames populated places (500+) within 50 km, one 2021
  snapshot for every month (the one family that is not "as known at the time": places
  and their sizes change slowly, but the benchmark says so).
Patrols, incidents, community alerts, ceasefire zones and elections exist only in a
mission's records on the platform: no history to score them on (the app's run uses them).

Units: PRIO-GRID cells at their centre; admin-1 areas at the representative point of their
OCHA polygon (GED names matched to OCHA's), not the mean of their events (which would
use later events).

Decision rule, fixed before the test windows are scored: a family is kept in the main
model if, on the selection origins (every forecast of which is observed by the first test
origin: nothing from the test windows), adding it alone lowers both MSLE and CRPS,
averaged over the two levels as relative changes (covariates.select_families). The test
windows are the comparison's own origins; the table shows every variant there, kept or not.
"""

from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path

import numpy as np
import polars as pl

from bluehelmet.analytics.forecast import LightGBMForecaster
from bluehelmet.analytics.forecast.covariates import (
    HISTORY_FAMILIES,
    ablation,
    ablation_variants,
    format_ablation,
    peacekeeper_covariates,
    population_within,
    relative_change,
    select_families,
)
from bluehelmet.analytics.panel import Panel, month_id, month_label

DATA = Path(__file__).resolve().parents[2] / "src" / "bluehelmet" / "data"
GEOPKO_MAPS = DATA / "geopko" / "geopko_v1_2_africa_1994_2018_location_month.csv"
GEOPKO_YEARS = DATA / "geopko" / "geopko_v2.3_frontmap_mission_year_location.csv"
MISSIONS = DATA / "missions" / "un_pko_list_start_end_month.csv"
GAZETTEER = DATA / "gazetteer" / "geonames_cities500_sl_cf_lr.csv"
ADMIN1 = DATA / "boundaries" / "caf_adm1_prefectures_ocha_codab.geojson"
# UCDP GED's spelling -> OCHA's (as importers.places.PUBLISHED_SPELLINGS).
GED_SPELLINGS = {"nanagrebizi": "nanagribizi"}
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("January February March April May June July August September October November December").split()
    )
}


def _key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = plain.removesuffix(" province").removesuffix(" prefecture")
    plain = "".join(c for c in plain if c.isalnum())
    return GED_SPELLINGS.get(plain, plain)


def geopko_deployments() -> pl.DataFrame:
    """Every Geo-PKO map row: source (mission), month_id, latitude, longitude, troops."""
    maps = pl.read_csv(GEOPKO_MAPS, infer_schema_length=0).select(
        source=pl.col("Mission").str.strip_chars(),
        month_id=(pl.col("year").cast(pl.Int32) - 1980) * 12 + pl.col("month").cast(pl.Int32),
        latitude=pl.col("latitude").cast(pl.Float64, strict=False),
        longitude=pl.col("longitude").cast(pl.Float64, strict=False),
        troops=pl.col("No.troops").cast(pl.Float64, strict=False),  # "unknown" -> null, never 0
    )
    last_map_year = maps.group_by("source").agg(last=(pl.col("month_id").max() - 1) // 12 + 1980)
    years = (
        pl.read_csv(GEOPKO_YEARS, infer_schema_length=0)
        .select(
            source=pl.col("mission").str.strip_chars(),
            year=pl.col("year").cast(pl.Int32),
            latitude=pl.col("latitude").cast(pl.Float64, strict=False),
            longitude=pl.col("longitude").cast(pl.Float64, strict=False),
            troops=pl.col("ave.no.troops").cast(pl.Float64, strict=False),
        )
        .join(last_map_year, on="source", how="left")
        .filter(pl.col("last").is_null() | (pl.col("year") > pl.col("last")))
        .select(
            "source",
            month_id=(pl.col("year") - 1980) * 12 + 12,
            latitude="latitude",
            longitude="longitude",
            troops="troops",
        )
    )
    return pl.concat([maps, years.with_columns(pl.col("month_id").cast(pl.Int32))]).filter(
        pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null()
    )


def mission_ends() -> dict[str, int]:
    """Last month of every mission that has ended (UN list; "Present" has none)."""
    ends = {}
    for row in pl.read_csv(MISSIONS, infer_schema_length=0).iter_rows():
        acronym, end = row[0].strip(), row[-1].strip()
        if end != "Present":
            month, year = end.split()
            ends[acronym] = month_id(int(year), MONTHS[month])
    return ends


def gazetteer_population() -> pl.DataFrame:
    return pl.read_csv(GAZETTEER, infer_schema_length=0).select(
        pl.col("latitude").cast(pl.Float64), pl.col("longitude").cast(pl.Float64), pl.col("population").cast(pl.Float64)
    )


def admin1_centres(units: np.ndarray) -> np.ndarray:
    """Representative point of each GED adm_1's OCHA polygon (NaN when no polygon matches)."""
    from shapely.geometry import shape

    features = json.loads(ADMIN1.read_text())["features"]
    points = {_key(f["properties"]["admin1Name"]): shape(f["geometry"]).representative_point() for f in features}
    centres = np.full((len(units), 2), np.nan)
    for i, unit in enumerate(units):
        point = points.get(_key(str(unit)))
        if point is not None:
            centres[i] = (point.y, point.x)
    return centres


def history_covariates(panel: Panel, level: str) -> dict[str, np.ndarray]:
    """The peacekeepers and population covariates of every unit and month of the panel."""
    if level == "adm1":
        centres = admin1_centres(panel.units)
        missing = [str(u) for u, c in zip(panel.units, centres) if np.isnan(c).any()]
        assert not missing, f"no OCHA polygon for {missing}"
    else:
        assert panel.centroids is not None
        centres = panel.centroids
    return {
        **peacekeeper_covariates(centres, panel.months, geopko_deployments(), ends=mission_ends()),
        **population_within(centres, len(panel.months), gazetteer_population()),
    }


def run_ablation(
    panels: dict[str, Panel], test_origins: dict[str, list[int]], n_selection: int, spacing: int, horizons: list[int]
) -> dict[str, object]:
    """Select the families on the windows before the test windows, then score every variant
    on the test windows; prints both tables and returns what was kept."""
    families = list(HISTORY_FAMILIES)
    covariates = {}
    for level, panel in panels.items():
        covariates[level] = history_covariates(panel, level)
        c = covariates[level]
        last = panel.months <= test_origins[level][-1]
        print(
            f"\n== ablation {level}: covariates to the last test origin: units within 50 km of a UN site "
            f"{100 * (c['un_site_km'][:, last] <= 50).mean():.1f}% of unit-months, "
            f"troops within 50 km up to {int(c['troops_50km'].max()):,}; "
            f"units with people within 50 km {100 * (c['population_50km'][:, 0] > 0).mean():.0f}%"
        )

    def make_model() -> LightGBMForecaster:
        return LightGBMForecaster(horizons)

    selection_tables = {}
    for level, panel in panels.items():
        first_test = test_origins[level][0]
        # Every forecast of a selection origin is observed by the first test origin.
        last_selection = first_test - max(horizons)
        origins = [last_selection - spacing * k for k in range(n_selection)][::-1]
        started = time.perf_counter()
        selection_tables[level] = ablation(
            panel,
            covariates[level],
            origins,
            horizons,
            make_model,
            {k: v for k, v in ablation_variants(families).items() if k != "all"},
        )
        print(
            f"\n-- selection windows, {level}: {len(origins)} origins {month_label(origins[0])} .. "
            f"{month_label(origins[-1])} every {spacing} months ({time.perf_counter() - started:.0f} s)"
        )
        print(format_ablation(selection_tables[level]))
    kept = select_families(selection_tables, families)
    print(
        "\nrule: keep a family if, on the selection windows, adding it lowers both MSLE and CRPS "
        "(relative change averaged over the levels)"
    )
    for family in families:
        changes = ", ".join(
            f"{metric} {100 * np.mean([relative_change(t, f'+{family}', metric) for t in selection_tables.values()]):+.1f}%"
            for metric in ("MSLE", "CRPS")
        )
        print(f"   {family}: {changes} -> {'KEPT' if kept[family] else 'dropped'}")
    chosen = tuple(f for f in families if kept[f])

    variants = ablation_variants(families)
    if chosen not in variants.values():
        variants["selected"] = chosen
    results = {}
    for level, panel in panels.items():
        origins = test_origins[level]
        started = time.perf_counter()
        table = ablation(panel, covariates[level], origins, horizons, make_model, variants)
        results[level] = table
        print(
            f"\n-- test windows, {level}: the main model with and without each family, {len(origins)} origins "
            f"{month_label(origins[0])} .. {month_label(origins[-1])} ({time.perf_counter() - started:.0f} s)"
        )
        print(format_ablation(table))
        selected = next(name for name, f in variants.items() if tuple(f) == chosen)
        print(
            f"   kept ({', '.join(chosen) or 'none'}; variant {selected}): MSLE "
            f"{100 * relative_change(table, selected, 'MSLE'):+.1f}%, CRPS {100 * relative_change(table, selected, 'CRPS'):+.1f}% "
            "against the main model without covariates"
        )
    print(
        "   not scored on history (the platform's own records only; the app's run uses them when a mission has them): "
        "patrols, incidents, community_alerts, ceasefires, elections"
    )
    return {"kept": list(chosen), "selection": selection_tables, "test": results}
