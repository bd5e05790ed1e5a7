"""Place-by-month panels of violence and UN presence, from event rows and deployment maps.

Units are PRIO-GRID cells (0.5 degree). A deployment map (Geo-PKO) describes the mission's
sites on the month it was drawn; maps are irregular, so each map stays in force until the
next one. A cell's troops are the sum over its sites, unknown when any of its sites has an
unknown strength (unknown is not zero). A cell "opens" the first month a site of the
mission appears in it.

Which cells: every cell with at least one event in the window or a site at some point.
Cells with no event and no site carry no information for a count model of events.
"""

from __future__ import annotations

import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

PANEL_COLUMNS = [
    "cell",
    "period",
    "month",
    "events",
    "civilian_deaths",
    "fatalities",
    "state_based_deaths",
    "troops",
    "police",
    "observers",
    "sites",
    "troops_lag",
    "police_lag",
    "observers_lag",
    "log_civilian_deaths_lag",
    "log_state_based_deaths_lag",
    "first_opened",
]


def month_index(day: datetime.date) -> int:
    """Months since year 0: consecutive months are consecutive integers."""
    return day.year * 12 + day.month - 1


def index_month(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


def cell_month_panel(events: pd.DataFrame, deployments: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """The balanced cell x month panel for periods first..last (month indexes).

    events: one row per event with cell, period, civilian_deaths, fatalities, state_based.
    deployments: one row per deployment-map entry with cell, period (the map's month),
    troops (NaN = unknown), police, observers (booleans).
    Troops are in thousands; the *_lag columns hold the previous month's values.
    """
    periods = np.arange(first - 1, last + 1)  # one extra month in front for the lags
    events = events[(events["period"] >= periods[0]) & (events["period"] <= last)]
    cells = sorted(set(events["cell"]).union(deployments["cell"]))
    grid = pd.MultiIndex.from_product([cells, periods], names=["cell", "period"]).to_frame(index=False)

    events = events.assign(events=1, state_based_deaths=np.where(events["state_based"], events["fatalities"], 0))
    counts = events.groupby(["cell", "period"], as_index=False)[
        ["events", "civilian_deaths", "fatalities", "state_based_deaths"]
    ].sum()
    panel = grid.merge(counts, on=["cell", "period"], how="left")
    panel[["events", "civilian_deaths", "fatalities", "state_based_deaths"]] = (
        panel[["events", "civilian_deaths", "fatalities", "state_based_deaths"]].fillna(0).astype(int)
    )

    presence = presence_in_force(deployments, cells, periods)
    panel = panel.merge(presence, on=["cell", "period"], how="left")
    opened = deployments.groupby("cell")["period"].min().rename("first_opened")
    panel = panel.merge(opened, left_on="cell", right_index=True, how="left")

    panel = panel.sort_values(["cell", "period"]).reset_index(drop=True)
    previous = panel.groupby("cell")
    for name in ("troops", "police", "observers"):
        panel[f"{name}_lag"] = previous[name].shift(1)
    panel["log_civilian_deaths_lag"] = np.log1p(previous["civilian_deaths"].shift(1))
    panel["log_state_based_deaths_lag"] = np.log1p(previous["state_based_deaths"].shift(1))
    panel = panel[panel["period"] >= first].reset_index(drop=True)
    panel["month"] = [index_month(int(p)) for p in panel["period"]]
    return panel[PANEL_COLUMNS]


def presence_in_force(deployments: pd.DataFrame, cells: list[int], periods: npt.NDArray[np.int64]) -> pd.DataFrame:
    """Troops (thousands), police and observers (0/1) and site count per cell and period,
    each map carried forward to the month before the next one; zero before the first map."""
    per_map = (
        deployments.assign(unknown=deployments["troops"].isna(), sites=1)
        .groupby(["period", "cell"])
        .agg(
            troops=("troops", "sum"),
            unknown=("unknown", "any"),
            police=("police", "any"),
            observers=("observers", "any"),
            sites=("sites", "sum"),
        )
        .reset_index()
    )
    per_map["troops"] = np.where(per_map["unknown"], np.nan, per_map["troops"] / 1000.0)
    map_periods = np.array(sorted(per_map["period"].unique()))
    rows = []
    for period in periods:
        in_force = map_periods[map_periods <= period]
        rows.append((period, in_force[-1] if len(in_force) else None))
    in_force = pd.DataFrame(rows, columns=["period", "map_period"])
    grid = (
        pd.MultiIndex.from_product([cells, periods], names=["cell", "period"])
        .to_frame(index=False)
        .merge(in_force, on="period")
    )
    merged = grid.merge(
        per_map.drop(columns="unknown").rename(columns={"period": "map_period"}), on=["cell", "map_period"], how="left"
    )
    # No site of the cell on the map in force (or no map yet): no troops. A site of unknown
    # strength keeps the cell's troops unknown (NaN).
    merged["troops"] = np.where(merged["sites"].isna(), 0.0, merged["troops"])
    for name in ("police", "observers"):
        merged[name] = merged[name].fillna(False).astype(int)
    merged["sites"] = merged["sites"].fillna(0).astype(int)
    return merged[["cell", "period", "troops", "police", "observers", "sites"]]
