"""Covariates that know where the peacekeepers are, and an ablation to tell which help.

Every covariate is a (units, months) float32 matrix, the shape `Panel.covariates` holds;
the features module turns each into its value in the month and its 12-month mean (log1p).
A covariate of month t uses only what was known at month t, so the rows of month t that
predict t + h never see the future:

- peacekeepers: distance to the nearest UN site and troops within 25 and 50 km, from
  deployment maps (Geo-PKO, or the mission's own postings). A map holds from its month
  until the source's next map (a newer map replaces it whole), for at most
  `max_staleness` months and never after the source's known end (a mission that left);
- population: people in the populated places within 50 km (static);
- platform-only families (a mission's own records, no history before the platform):
  patrols, incidents reported and verified, community alerts within 25 km, ceasefires
  in force (country-wide and the monitored zones a unit lies in), months to the next
  polling day.

Families group the covariates the ablation adds or removes together (FAMILIES). The
ablation fits the main model on the same origins with and without each family and scores
MSLE and CRPS (`ablation`); `select_families` states the rule that keeps a family.

No Django here: arrays and Polars frames in and out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
import polars as pl

from ..evaluate import rolling_origin
from ..panel import EARTH_RADIUS_KM, Panel, PanelError
from .base import Forecaster

NO_BASE_KM = 1000.0  # distance to the nearest UN site when no site is known that month
RADII_KM = (25.0, 50.0)
POPULATION_RADIUS_KM = 50.0
EVENT_RADIUS_KM = 25.0
MONTHS_AHEAD_CAP = 24  # months to the next election when none is scheduled within two years
MAX_STALENESS = 24  # months a deployment map stands for when no newer map comes

PEACEKEEPERS = "peacekeepers"
POPULATION = "population"
PATROLS = "patrols"
INCIDENTS = "incidents"
COMMUNITY_ALERTS = "community_alerts"
CEASEFIRES = "ceasefires"
ELECTIONS = "elections"

FAMILIES: dict[str, tuple[str, ...]] = {
    PEACEKEEPERS: ("un_site_km", "troops_25km", "troops_50km"),
    POPULATION: ("population_50km",),
    PATROLS: ("patrols_25km",),
    INCIDENTS: ("incidents_reported_25km", "incidents_verified_25km"),
    COMMUNITY_ALERTS: ("community_alerts_25km",),
    CEASEFIRES: ("ceasefire", "ceasefire_zone"),
    ELECTIONS: ("months_to_election",),
}
# Families with a history in public data (Geo-PKO since 1994, GeoNames): the benchmark
# scores these. The others exist only in a mission's own records.
HISTORY_FAMILIES = (PEACEKEEPERS, POPULATION)
PLATFORM_FAMILIES = (PATROLS, INCIDENTS, COMMUNITY_ALERTS, CEASEFIRES, ELECTIONS)

Matrix = npt.NDArray[np.float32]


# --- Geometry ------------------------------------------------------------------------------


def distances_km(
    centroids: npt.NDArray[np.float64], latitude: npt.ArrayLike, longitude: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """(units, points) great-circle distances; a unit without a centroid is infinitely far."""
    lat_u = np.radians(centroids[:, 0])[:, None]
    lon_u = np.radians(centroids[:, 1])[:, None]
    lat_p = np.radians(np.asarray(latitude, dtype=np.float64))[None, :]
    lon_p = np.radians(np.asarray(longitude, dtype=np.float64))[None, :]
    a = np.sin((lat_p - lat_u) / 2) ** 2 + np.cos(lat_u) * np.cos(lat_p) * np.sin((lon_p - lon_u) / 2) ** 2
    distance: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return np.where(np.isnan(distance), np.inf, distance)


# --- Peacekeepers ----------------------------------------------------------------------------


DEPLOYMENT_COLUMNS = ("source", "month_id", "latitude", "longitude", "troops")


@dataclasses.dataclass
class KnownDeployments:
    """Sites (latitude, longitude) and, per site and panel month, whether the site is on
    the latest map known that month and its troops (unknown strength counts as 0)."""

    latitude: npt.NDArray[np.float64]
    longitude: npt.NDArray[np.float64]
    present: npt.NDArray[np.bool_]
    troops: npt.NDArray[np.float64]


def known_deployments(
    deployments: pl.DataFrame,
    months: npt.NDArray[np.int32],
    *,
    ends: Mapping[str, int] | None = None,
    max_staleness: int | Mapping[str, int] = MAX_STALENESS,
) -> KnownDeployments:
    """Which sites are known to hold troops in each month of `months`.

    `deployments` has one row per site on a source's map (columns DEPLOYMENT_COLUMNS:
    the source is a mission or a provider, `month_id` the map's month, `troops` may be
    null). For month t each source contributes its latest map of month <= t, if that map
    is at most `max_staleness` months old (one figure, or one per source: a source that
    gives every month, like a mission's postings, holds for 0) and t is not after the
    source's end in `ends`.
    """
    missing = [c for c in DEPLOYMENT_COLUMNS if c not in deployments.columns]
    if missing:
        raise PanelError(f"deployments lack column(s) {', '.join(missing)}")
    frame = deployments.select(
        pl.col("source").cast(pl.Utf8),
        pl.col("month_id").cast(pl.Int32),
        pl.col("latitude").cast(pl.Float64),
        pl.col("longitude").cast(pl.Float64),
        pl.col("troops").cast(pl.Float64),
    ).filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
    sites = frame.select("latitude", "longitude").unique(maintain_order=True).with_row_index("site")
    frame = frame.join(sites, on=["latitude", "longitude"], how="left")
    months = np.asarray(months, dtype=np.int32)
    present = np.zeros((sites.height, len(months)), dtype=bool)
    troops = np.zeros((sites.height, len(months)), dtype=np.float64)
    ends = ends or {}
    for (source,), rows in frame.group_by("source", maintain_order=True):
        map_months = np.unique(rows["month_id"].to_numpy())
        latest_index = np.searchsorted(map_months, months, side="right") - 1
        latest = map_months[np.maximum(latest_index, 0)]
        holds = max_staleness if isinstance(max_staleness, int) else max_staleness.get(str(source), MAX_STALENESS)
        usable = (latest_index >= 0) & (months - latest <= holds)
        if source in ends:
            usable &= months <= ends[str(source)]
        for (map_month,), on_map in rows.group_by("month_id"):
            columns = np.flatnonzero(usable & (latest == map_month))
            if not len(columns):
                continue
            site = on_map["site"].to_numpy().astype(np.int64)
            strength = np.zeros(sites.height)
            np.add.at(strength, site, np.nan_to_num(on_map["troops"].to_numpy(), nan=0.0))
            present[np.ix_(site, columns)] = True
            troops[:, columns] += strength[:, None]
    return KnownDeployments(
        latitude=sites["latitude"].to_numpy(), longitude=sites["longitude"].to_numpy(), present=present, troops=troops
    )


def peacekeeper_covariates(
    centroids: npt.NDArray[np.float64],
    months: npt.NDArray[np.int32],
    deployments: pl.DataFrame,
    *,
    ends: Mapping[str, int] | None = None,
    radii_km: Sequence[float] = RADII_KM,
    max_staleness: int | Mapping[str, int] = MAX_STALENESS,
) -> dict[str, Matrix]:
    """`un_site_km` (distance to the nearest known UN site, NO_BASE_KM when none) and
    `troops_<r>km` per unit centroid and month, from the deployments known that month."""
    n_units, n_months = len(centroids), len(months)
    result = {"un_site_km": np.full((n_units, n_months), NO_BASE_KM, dtype=np.float32)}
    result.update({f"troops_{r:g}km": np.zeros((n_units, n_months), dtype=np.float32) for r in radii_km})
    if not deployments.height:
        return result
    known = known_deployments(deployments, months, ends=ends, max_staleness=max_staleness)
    relevant = known.present.any(axis=1)
    if not relevant.any():
        return result
    distance = distances_km(centroids, known.latitude[relevant], known.longitude[relevant])
    present, troops = known.present[relevant], known.troops[relevant]
    for radius in radii_km:
        result[f"troops_{radius:g}km"] = ((distance <= radius).astype(np.float64) @ troops).astype(np.float32)
    nearest = result["un_site_km"]
    for t in np.flatnonzero(present.any(axis=0)):
        nearest[:, t] = np.minimum(distance[:, present[:, t]].min(axis=1), NO_BASE_KM)
    return result


# --- Population and the mission's own records ----------------------------------------------------


def population_within(
    centroids: npt.NDArray[np.float64], n_months: int, places: pl.DataFrame, radius_km: float = POPULATION_RADIUS_KM
) -> dict[str, Matrix]:
    """`population_<r>km`: people in the populated places (latitude, longitude,
    population) within the radius of each unit; the same every month (one snapshot)."""
    name = f"population_{radius_km:g}km"
    if not places.height:
        return {name: np.zeros((len(centroids), n_months), dtype=np.float32)}
    distance = distances_km(centroids, places["latitude"].to_numpy(), places["longitude"].to_numpy())
    people = (distance <= radius_km).astype(np.float64) @ places["population"].fill_null(0).to_numpy().astype(
        np.float64
    )
    return {name: np.repeat(people[:, None], n_months, axis=1).astype(np.float32)}


def point_counts(
    centroids: npt.NDArray[np.float64],
    months: npt.NDArray[np.int32],
    points: pl.DataFrame,
    radius_km: float = EVENT_RADIUS_KM,
) -> Matrix:
    """Records (month_id, latitude, longitude: a patrol, an incident, an alert) within the
    radius of each unit, per month of the panel; records outside the months are ignored."""
    counts = np.zeros((len(centroids), len(months)), dtype=np.float32)
    if not points.height:
        return counts
    first = int(months[0])
    inside = points.filter(pl.col("month_id").is_between(first, int(months[-1])))
    if not inside.height:
        return counts
    near = distances_km(centroids, inside["latitude"].to_numpy(), inside["longitude"].to_numpy()) <= radius_km
    columns = inside["month_id"].to_numpy().astype(np.int64) - first
    units, records = np.nonzero(near)
    np.add.at(counts, (units, columns[records]), 1.0)
    return counts


def months_to_next(months: npt.NDArray[np.int32], dates: Sequence[int], cap: int = MONTHS_AHEAD_CAP) -> Matrix:
    """(1, months): months from each month to the next of `dates` (0 in its own month),
    `cap` when none comes within `cap` months. Scheduled dates (polling days) are known
    ahead; broadcast it to the panel's units."""
    ahead = np.full(len(months), float(cap), dtype=np.float32)
    for date in sorted(set(dates)):
        gap = date - np.asarray(months, dtype=np.int64)
        ahead = np.where((gap >= 0) & (gap < ahead), gap, ahead).astype(np.float32)
    return ahead[None, :]


def in_zones(
    centroids: npt.NDArray[np.float64],
    months: npt.NDArray[np.int32],
    zones: Sequence[tuple[Mapping[str, object], int, int | None]],
) -> Matrix:
    """1 where a unit's centroid lies in a monitored zone (GeoJSON Polygon or
    MultiPolygon) in the months its agreement is in force (first, last or None)."""
    from shapely.geometry import Point, shape  # type: ignore[import-untyped]  # only where zones are used

    flags = np.zeros((len(centroids), len(months)), dtype=np.float32)
    points = [None if np.isnan(lat) else Point(lon, lat) for lat, lon in centroids]
    for geometry, first, last in zones:
        polygon = shape(geometry)
        last = int(months[-1]) if last is None else last
        in_force = (months >= first) & (months <= last)
        for i, point in enumerate(points):
            if point is not None and polygon.covers(point):
                flags[i, in_force] = 1.0
    return flags


# --- Families and the ablation -------------------------------------------------------------------


def family_of(covariate: str) -> str | None:
    for family, names in FAMILIES.items():
        if covariate in names:
            return family
    return None


def with_families(panel: Panel, covariates: Mapping[str, Matrix], families: Sequence[str]) -> Panel:
    """The panel with the covariates of `families` added (others in `covariates` left out;
    covariates the panel already has, e.g. a researcher's columns, are kept)."""
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        raise PanelError(f"unknown covariate family {', '.join(unknown)}: choose among {', '.join(FAMILIES)}")
    chosen = {name: values for name, values in covariates.items() if family_of(name) in families}
    return dataclasses.replace(panel, covariates={**panel.covariates, **chosen})


def ablation_variants(families: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The main model without covariates ("none"), with each family alone ("+family") and
    with every family ("all")."""
    variants: dict[str, tuple[str, ...]] = {"none": ()}
    variants.update({f"+{family}": (family,) for family in families})
    if len(families) > 1:
        variants["all"] = tuple(families)
    return variants


def ablation(
    panel: Panel,
    covariates: Mapping[str, Matrix],
    origins: Sequence[int],
    horizons: Sequence[int],
    make_model: Callable[[], Forecaster],
    variants: Mapping[str, Sequence[str]],
) -> pl.DataFrame:
    """The main model fitted at the same origins with each variant's families of
    covariates; one row per variant with MSLE and CRPS over every origin and horizon."""
    rows = []
    for variant, families in variants.items():
        backtest = rolling_origin(
            with_families(panel, covariates, families), {variant: make_model()}, origins, horizons
        )[variant]
        scores = backtest.scores()
        rows.append(
            {
                "variant": variant,
                "families": ",".join(families) or "-",
                "MSLE": scores["MSLE"],
                "CRPS": scores["CRPS"],
                "rows": len(backtest.y_true),
                "seconds": backtest.fit_seconds + backtest.predict_seconds,
            }
        )
    return pl.DataFrame(rows)


def relative_change(table: pl.DataFrame, variant: str, metric: str, reference: str = "none") -> float:
    """(variant - reference) / reference for one metric of an ablation table."""
    values = dict(zip(table["variant"].to_list(), table[metric].to_list()))
    return float((values[variant] - values[reference]) / values[reference])


def select_families(tables: Mapping[str, pl.DataFrame], families: Sequence[str]) -> dict[str, bool]:
    """The rule that keeps a family: on the selection windows, adding it alone to the main
    model lowers both MSLE and CRPS, each averaged over the levels as a relative change
    (so a level with large errors does not outvote the other)."""
    kept = {}
    for family in families:
        changes = {
            metric: float(np.mean([relative_change(t, f"+{family}", metric) for t in tables.values()]))
            for metric in ("MSLE", "CRPS")
        }
        kept[family] = all(change < 0 for change in changes.values())
    return kept


def format_ablation(table: pl.DataFrame) -> str:
    """Plain-text ablation table with each variant's change against "none"."""
    headers = ["variant", "families", "MSLE", "vs none", "CRPS", "vs none", "rows", "seconds"]
    lines = []
    for row in table.iter_rows(named=True):
        lines.append(
            [
                row["variant"],
                row["families"],
                f"{row['MSLE']:.4f}",
                f"{100 * relative_change(table, row['variant'], 'MSLE'):+.1f}%",
                f"{row['CRPS']:.4f}",
                f"{100 * relative_change(table, row['variant'], 'CRPS'):+.1f}%",
                str(row["rows"]),
                f"{row['seconds']:.0f}",
            ]
        )
    widths = [max(len(h), *(len(r[i]) for r in lines)) for i, h in enumerate(headers)]
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in lines]
    return "\n".join(out)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points in degrees (for tests and callers with scalars)."""
    return float(distances_km(np.array([[lat1, lon1]]), [lat2], [lon2])[0, 0])


__all__ = [
    "FAMILIES",
    "HISTORY_FAMILIES",
    "PLATFORM_FAMILIES",
    "NO_BASE_KM",
    "known_deployments",
    "peacekeeper_covariates",
    "population_within",
    "point_counts",
    "months_to_next",
    "in_zones",
    "with_families",
    "ablation_variants",
    "ablation",
    "select_families",
    "format_ablation",
    "haversine_km",
]
