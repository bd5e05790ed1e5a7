"""Unit x month panels for forecasting: from events (UCDP GED or a mission's own verified
incidents) or from a researcher's ready-made file.

A panel is dense: every unit has a value for every month of the range, and months
without events are zeros, not missing. Months are ViEWS month ids (1 = January 1980),
so a panel exchanges with the ViEWS tools unchanged.

Events are aggregated sparsely with Polars (one group-by over the events, never a
units x months frame of events) and scattered into float32 unit x month matrices, the
shape the features and models read. `Panel.to_frame()` gives the long Polars frame back.

No Django here: frames and arrays in, frames and arrays out.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from .geo import PRIOGRID_CELL_DEGREES, PRIOGRID_COLUMNS, priogrid_centroid

LEVELS = ("pgm", "adm1", "country", "site")
# Target name -> GED type_of_violence it sums (None: all types); "events" counts events.
FATALITY_TARGETS = {"ged_best": None, "ged_sb": 1, "ged_ns": 2, "ged_os": 3}
TARGETS = (*FATALITY_TARGETS, "events")
EARTH_RADIUS_KM = 6371.0088


class PanelError(ValueError):
    """A panel that cannot be forecast from; the message names the problem."""


def month_id(year: int, month: int) -> int:
    """ViEWS month id: 1 is January 1980."""
    return (year - 1980) * 12 + month


def month_of(mid: int) -> datetime.date:
    """The first day of a ViEWS month id."""
    year, month = divmod(int(mid) - 1, 12)
    return datetime.date(1980 + year, month + 1, 1)


def month_label(mid: int) -> str:
    return month_of(mid).strftime("%Y-%m")


def _month_id_expr(column: str) -> pl.Expr:
    date = pl.col(column)
    return ((date.dt.year() - 1980) * 12 + date.dt.month()).cast(pl.Int32)


@dataclass
class Panel:
    """A dense unit x month panel of one target, with optional covariates.

    `y[i, j]` is the target of unit `units[i]` in month `months[j]`; `covariates` hold
    matrices of the same shape. `neighbours[i]` are the row indices of unit i's
    neighbours (spatial lags), `centroids` each unit's (lat, lon) when known.
    """

    units: npt.NDArray[np.generic]
    months: npt.NDArray[np.int32]
    target: str
    y: npt.NDArray[np.float32]
    covariates: dict[str, npt.NDArray[np.float32]] = field(default_factory=dict)
    neighbours: list[npt.NDArray[np.int64]] | None = None
    centroids: npt.NDArray[np.float64] | None = None
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def first_month(self) -> int:
        return int(self.months[0])

    @property
    def last_month(self) -> int:
        return int(self.months[-1])

    def until(self, month: int) -> Panel:
        """The panel cut at `month` (included): a model fitted on it cannot see later data."""
        if month < self.first_month:
            raise PanelError(f"no data up to {month_label(month)}: the panel starts in {month_label(self.first_month)}")
        end = min(month, self.last_month) - self.first_month + 1
        return Panel(
            units=self.units,
            months=self.months[:end],
            target=self.target,
            y=self.y[:, :end],
            covariates={name: values[:, :end] for name, values in self.covariates.items()},
            neighbours=self.neighbours,
            centroids=self.centroids,
            labels=self.labels,
        )

    def to_frame(self) -> pl.DataFrame:
        """The long frame: one row per unit and month, the target and the covariates."""
        n_units, n_months = self.y.shape
        columns = {
            "unit": np.repeat(self.units, n_months),
            "month_id": np.tile(self.months.astype(np.int32), n_units),
            self.target: self.y.ravel(),
        }
        columns.update({name: values.ravel() for name, values in self.covariates.items()})
        return pl.DataFrame(columns)

    def check_history(self, horizons: Sequence[int], min_history: int = 12) -> None:
        """Raise unless the panel is long enough to train a model for every horizon."""
        needed = max(horizons) + min_history
        if len(self.months) < needed:
            raise PanelError(
                f"too little history for horizon {max(horizons)}: the panel has {len(self.months)} months "
                f"({month_label(self.first_month)} to {month_label(self.last_month)}); at least {needed} are needed "
                f"({min_history} to learn from plus the horizon)"
            )


# --- Events ----------------------------------------------------------------------------


EVENT_COLUMNS = ("date_start", "type_of_violence", "best", "latitude", "longitude")


def read_ged_csv(path: str | Path) -> pl.DataFrame:
    """The columns of a UCDP GED CSV that panels use, typed."""
    frame = pl.read_csv(path, infer_schema_length=0)  # all text: GED ids and names stay as written
    missing = [c for c in EVENT_COLUMNS if c not in frame.columns]
    if missing:
        raise PanelError(f"{path}: not a GED file, missing column(s) {', '.join(missing)}")
    wanted = [c for c in (*EVENT_COLUMNS, "priogrid_gid", "adm_1", "country", "country_id") if c in frame.columns]
    return prepare_events(
        frame.select(wanted).rename({"country": "country_name"} if "country" in frame.columns else {})
    )


def prepare_events(events: pl.DataFrame) -> pl.DataFrame:
    """Type and check an events frame (GED column names): adds `month_id`, fills
    `priogrid_gid` from the coordinates where it is empty."""
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise PanelError(f"events lack column(s) {', '.join(missing)}")
    casts = {"type_of_violence": pl.Int8, "best": pl.Float64, "latitude": pl.Float64, "longitude": pl.Float64}
    frame = events.with_columns(
        *(pl.col(name).cast(dtype, strict=False) for name, dtype in casts.items()),
        pl.col("date_start").cast(pl.Utf8).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        if events.schema["date_start"] in (pl.Utf8, pl.String)
        else pl.col("date_start").cast(pl.Date),
    )
    bad = frame.filter(pl.any_horizontal(pl.col(c).is_null() for c in EVENT_COLUMNS))
    if bad.height:
        raise PanelError(f"{bad.height} event(s) have an empty or unreadable date, type, fatality count or coordinate")
    if (frame["best"] < 0).any():
        raise PanelError("negative fatality counts in the events (column best)")
    computed = _gid_expr(pl.col("latitude"), pl.col("longitude"))
    gid = (
        pl.coalesce(pl.col("priogrid_gid").cast(pl.Int32, strict=False), computed)
        if "priogrid_gid" in frame.columns
        else computed
    )
    return frame.with_columns(month_id=_month_id_expr("date_start"), priogrid_gid=gid)


def _gid_expr(lat: pl.Expr, lon: pl.Expr) -> pl.Expr:
    """analytics.geo.priogrid_gid, vectorised."""
    row = ((lat + 90) / PRIOGRID_CELL_DEGREES).floor().clip(0, 359)
    col = ((lon + 180) / PRIOGRID_CELL_DEGREES).floor().clip(0, PRIOGRID_COLUMNS - 1)
    return (row * PRIOGRID_COLUMNS + col + 1).cast(pl.Int32)


def _unit_column(events: pl.DataFrame, level: str) -> tuple[pl.DataFrame, str]:
    if level == "pgm":
        return events, "priogrid_gid"
    if level == "adm1":
        if "adm_1" not in events.columns:
            raise PanelError("events have no adm_1 column: cannot build an admin-1 panel")
        # GED leaves adm_1 empty where the location is only known to the country.
        return events.filter(pl.col("adm_1").is_not_null() & (pl.col("adm_1") != "")), "adm_1"
    if level == "country":
        column = "country_name" if "country_name" in events.columns else "country_id"
        if column not in events.columns:
            raise PanelError("events have no country column: cannot build a country panel")
        return events, column
    raise PanelError(f"unknown level {level!r}: choose one of {', '.join(LEVELS)}")


def events_panel(
    events: pl.DataFrame,
    level: str = "pgm",
    *,
    target: str = "ged_best",
    units: Sequence[int | str] | npt.NDArray[np.generic] | None = None,
    first_month: int | None = None,
    last_month: int | None = None,
    sites: pl.DataFrame | None = None,
    radius_km: float = 25.0,
    covariate_targets: Iterable[str] = (),
    unit_column: str | None = None,
) -> Panel:
    """Aggregate events into a dense unit x month panel of `target` (one of TARGETS).

    Units: PRIO-GRID cells (`pgm`), GED `adm_1` names (`adm1`), countries, peacekeeping
    sites (`site`: the events within `radius_km` of each site in `sites`, columns unit,
    latitude, longitude), or any unit the caller put in the events' `unit_column` (level
    "custom", e.g. the admin area each event lies in). `units` fixes the unit set (default:
    every unit with an event);
    the months run from the first to the last event unless given. Other targets listed in
    `covariate_targets` (e.g. "events", "ged_os") become covariates.
    """
    if target not in TARGETS:
        raise PanelError(f"unknown target {target!r}: choose one of {', '.join(TARGETS)}")
    for name in covariate_targets:
        if name not in TARGETS:
            raise PanelError(f"unknown covariate {name!r}: choose among {', '.join(TARGETS)}")
    if not events.height:
        raise PanelError("no events to build a panel from")
    events = prepare_events(events) if "month_id" not in events.columns else events
    if unit_column is not None:
        if unit_column not in events.columns:
            raise PanelError(f"events have no column {unit_column!r}")
        level = "custom"
        events = events.filter(pl.col(unit_column).is_not_null())
    elif level == "site":
        if sites is None or not sites.height:
            raise PanelError("a site panel needs sites (unit, latitude, longitude)")
        events, unit_column = _events_near_sites(events, sites, radius_km), "site"
    else:
        events, unit_column = _unit_column(events, level)
    first = _month_bound(events["month_id"].min()) if first_month is None else first_month
    last = _month_bound(events["month_id"].max()) if last_month is None else last_month
    if last < first:
        raise PanelError(f"the last month {month_label(last)} is before the first {month_label(first)}")
    events = events.filter(pl.col("month_id").is_between(first, last))

    if units is None:
        unit_values = (
            sites["unit"].to_numpy()
            if sites is not None and level == "site"
            else np.sort(events[unit_column].unique().drop_nulls().to_numpy())
        )
    else:
        unit_values = np.asarray(units)
    if not len(unit_values):
        raise PanelError("no units: no event falls in the requested months and places")

    sums = [
        (pl.col("best").filter(pl.col("type_of_violence") == kind) if kind else pl.col("best")).sum().alias(name)
        for name, kind in FATALITY_TARGETS.items()
    ]
    sparse = events.group_by(unit_column, "month_id").agg(*sums, pl.len().alias("events"))
    index = pl.DataFrame({unit_column: unit_values, "row": np.arange(len(unit_values), dtype=np.int32)})
    sparse = sparse.join(index, on=unit_column, how="inner")
    rows = sparse["row"].to_numpy()
    cols = sparse["month_id"].to_numpy() - first

    def matrix(name: str) -> npt.NDArray[np.float32]:
        values = np.zeros((len(unit_values), last - first + 1), dtype=np.float32)
        values[rows, cols] = sparse[name].to_numpy()
        return values

    panel = Panel(
        units=unit_values,
        months=np.arange(first, last + 1, dtype=np.int32),
        target=target,
        y=matrix(target),
        covariates={name: matrix(name) for name in covariate_targets if name != target},
        labels={"level": level},
    )
    panel.centroids = _centroids(level, unit_values, events, unit_column, sites)
    panel.neighbours = _neighbours(level, unit_values, events, unit_column)
    return panel


def _events_near_sites(events: pl.DataFrame, sites: pl.DataFrame, radius_km: float) -> pl.DataFrame:
    """Each event once per site within the radius, with the site's id as `site`."""
    lat = np.radians(events["latitude"].to_numpy())
    lon = np.radians(events["longitude"].to_numpy())
    parts = []
    for unit, site_lat, site_lon in sites.select("unit", "latitude", "longitude").iter_rows():
        near = _haversine_km(lat, lon, math.radians(site_lat), math.radians(site_lon)) <= radius_km
        if near.any():
            parts.append(events.filter(pl.Series(near)).with_columns(site=pl.lit(unit)))
    if not parts:
        raise PanelError(f"no event within {radius_km:g} km of any site")
    return pl.concat(parts)


def _month_bound(value: object, rows: str = "events") -> int:
    """The first or last month id of a column; None when the column is empty (no `rows` left)."""
    if not isinstance(value, int):
        raise PanelError(f"no {rows} to build a panel from")
    return value


def _haversine_km(
    lat1: npt.NDArray[np.float64], lon1: npt.NDArray[np.float64], lat2: float, lon2: float
) -> npt.NDArray[np.float64]:
    """Great-circle distances from points (radians, arrays) to one point (radians)."""
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    distance: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return distance


def _centroids(
    level: str, units: npt.NDArray[np.generic], events: pl.DataFrame, unit_column: str, sites: pl.DataFrame | None
) -> npt.NDArray[np.float64]:
    if level == "pgm":
        return np.array([priogrid_centroid(int(gid)) for gid in units], dtype=np.float64).reshape(-1, 2)
    if level == "site" and sites is not None:
        located = sites.select("unit", "latitude", "longitude")
    else:
        # No polygons here: an area's centre is taken as the mean location of its events.
        located = (
            events.group_by(unit_column)
            .agg(pl.col("latitude").mean(), pl.col("longitude").mean())
            .rename({unit_column: "unit"})
        )
    frame = pl.DataFrame({"unit": units}).join(located, on="unit", how="left")
    return frame.select("latitude", "longitude").to_numpy().astype(np.float64)


def _neighbours(
    level: str, units: npt.NDArray[np.generic], events: pl.DataFrame, unit_column: str
) -> list[npt.NDArray[np.int64]]:
    """Spatial neighbours: the 8 touching cells for PRIO-GRID; for areas and sites, units
    whose event cells touch (no boundary files needed)."""
    if level == "pgm":
        return priogrid_neighbours(units)
    cells = events.select(unit_column, "priogrid_gid").unique()
    unit_row = {unit: i for i, unit in enumerate(units.tolist())}
    by_cell: dict[int, set[int]] = {}
    for unit, gid in cells.iter_rows():
        if unit in unit_row:
            by_cell.setdefault(int(gid), set()).add(unit_row[unit])
    touching: list[set[int]] = [set() for _ in units]
    for gid, owners in by_cell.items():
        for other in (gid, *_touching_cells(gid)):
            for i in owners:
                touching[i].update(by_cell.get(other, ()))
    return [np.array(sorted(s - {i}), dtype=np.int64) for i, s in enumerate(touching)]


def _touching_cells(gid: int) -> list[int]:
    return [gid + dr * PRIOGRID_COLUMNS + dc for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc]


def priogrid_neighbours(gids: Sequence[int] | npt.NDArray[np.generic]) -> list[npt.NDArray[np.int64]]:
    """Row indices of each cell's (up to 8) touching cells among `gids`."""
    cells = np.asarray(gids, dtype=np.int64)
    order = np.argsort(cells)
    sorted_gids = cells[order]
    found: list[list[np.intp]] = [[] for _ in cells]
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if not dr and not dc:
                continue
            other = cells + dr * PRIOGRID_COLUMNS + dc
            pos = np.clip(np.searchsorted(sorted_gids, other), 0, len(cells) - 1)
            hit = sorted_gids[pos] == other
            # Do not wrap around the antimeridian: a column step must stay in the same row.
            same_row = ((cells - 1) // PRIOGRID_COLUMNS + dr) == ((other - 1) // PRIOGRID_COLUMNS)
            for i in np.flatnonzero(hit & same_row):
                found[i].append(order[pos[i]])
    return [np.array(sorted(f), dtype=np.int64) for f in found]


# --- Ceasefires (peacekeeping presence: forecast.covariates) ------------------------------


def ceasefire_in_force(panel: Panel, periods: Iterable[tuple[int, int | None]]) -> npt.NDArray[np.float32]:
    """1 in the months a ceasefire is in force (first and last month ids; None = open), for
    every unit of the panel (ceasefires here apply to the whole country)."""
    flags = np.zeros(len(panel.months), dtype=np.float32)
    for start, end in periods:
        end = panel.last_month if end is None else end
        flags[(panel.months >= start) & (panel.months <= end)] = 1.0
    return np.broadcast_to(flags, panel.y.shape).copy()


# --- A researcher's own panel ------------------------------------------------------------


def read_panel_file(path: str | Path) -> pl.DataFrame:
    path = Path(path)
    if not path.exists():
        raise PanelError(f"{path}: no such file")
    if path.suffix.lower() == ".parquet":
        return pl.read_parquet(path)
    if path.suffix.lower() in (".csv", ".txt"):
        return pl.read_csv(path, infer_schema_length=10000)
    raise PanelError(f"{path}: a panel is a .csv or .parquet file")


def _month_ids(column: pl.Series) -> pl.Series:
    """Month ids from integers (taken as consecutive month numbers), dates, or "YYYY-MM[-DD]" text.

    Whole floats (``1.0``, as a spreadsheet or pandas writes an integer column with a gap)
    are month numbers too; a fraction of a month is refused.
    """
    if column.dtype.is_integer():
        return column.cast(pl.Int32)
    if column.dtype.is_float():
        fractional = column.is_not_null() & (column.is_nan() | (column != column.floor()))
        if fractional.any():
            raise PanelError(
                f"time column: {column.filter(fractional)[0]!r} is not a month (YYYY-MM, a date, or a whole month number)"
            )
        return column.cast(pl.Int32)
    if column.dtype in (pl.Date, pl.Datetime):
        frame = pl.DataFrame({"m": column})
        return frame.select(_month_id_expr("m"))["m"]
    text = column.cast(pl.Utf8)
    dates = (text.str.slice(0, 7) + "-01").str.to_date("%Y-%m-%d", strict=False)
    unreadable = dates.is_null() & text.is_not_null()
    if unreadable.any():
        raise PanelError(
            f"time column: {text.filter(unreadable)[0]!r} is not a month (YYYY-MM, a date, or a whole month number)"
        )
    return pl.DataFrame({"m": dates}).select(_month_id_expr("m"))["m"]


def panel_from_frame(
    frame: pl.DataFrame, *, unit: str, time: str, target: str, covariates: Sequence[str] | None = None
) -> Panel:
    """Validate a long unit x month frame and make it a Panel.

    Errors name the problem: unknown or non-numeric columns, empty values, duplicate
    unit-months, negative counts, gaps (a unit missing months inside the panel's range).
    Without `covariates`, every other column is one and must be numeric.
    """
    named = [unit, time, target, *(covariates or [])]
    unknown = [c for c in named if c not in frame.columns]
    if unknown:
        raise PanelError(f"unknown column(s): {', '.join(unknown)}; the file has {', '.join(frame.columns)}")
    if covariates is None:
        covariates = [c for c in frame.columns if c not in (unit, time, target)]
    else:
        extra = [c for c in frame.columns if c not in named]
        if extra:
            raise PanelError(f"unknown column(s) not declared as covariates: {', '.join(extra)}")
    for column in (target, *covariates):
        if not frame.schema[column].is_numeric():
            raise PanelError(f"column {column!r} is not numeric (type {frame.schema[column]})")
    empty = [c for c in (unit, time, target, *covariates) if frame[c].null_count()]
    if empty:
        raise PanelError(f"empty values in column(s): {', '.join(empty)} (months without events must be 0, not empty)")
    frame = frame.with_columns(_month_ids(frame[time]).alias("__month"))
    duplicates = frame.group_by(unit, "__month").len().filter(pl.col("len") > 1)
    if duplicates.height:
        first = duplicates.row(0, named=True)
        raise PanelError(
            f"{duplicates.height} duplicate unit-month(s), e.g. unit {first[unit]!r} in {month_label(first['__month'])}"
        )
    negative = frame.filter(pl.col(target) < 0)
    if negative.height:
        first = negative.row(0, named=True)
        raise PanelError(
            f"negative counts in {target!r}: {negative.height} row(s), e.g. unit {first[unit]!r} in {month_label(first['__month'])}"
        )
    first_month, last_month = _month_bound(frame["__month"].min(), "rows"), _month_bound(frame["__month"].max(), "rows")
    n_months = last_month - first_month + 1
    counts = frame.group_by(unit).len().filter(pl.col("len") < n_months)
    if counts.height:
        example = counts.row(0, named=True)
        raise PanelError(
            f"gaps: {counts.height} unit(s) miss months between {month_label(first_month)} and {month_label(last_month)}, "
            f"e.g. unit {example[unit]!r} has {example['len']} of {n_months} months (write 0 for months without events)"
        )
    frame = frame.sort(unit, "__month")
    units = frame[unit].unique(maintain_order=True).to_numpy()

    def matrix(name: str) -> npt.NDArray[np.float32]:
        return frame[name].cast(pl.Float32).to_numpy().reshape(len(units), n_months)

    return Panel(
        units=units,
        months=np.arange(first_month, last_month + 1, dtype=np.int32),
        target=target,
        y=matrix(target),
        covariates={name: matrix(name) for name in covariates},
        labels={"level": "custom"},
    )
