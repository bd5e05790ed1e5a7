"""Are the predictive distributions calibrated, and making them so.

A forecast is calibrated when what it calls a 90 % range holds the outcome 90 % of the
time, and when of the places given a 30 % chance of violence about 30 % see it. Checked
with three figures, all computed out of sample:

- the PIT (probability integral transform): where the outcome falls in its own predictive
  distribution, F(y). Calibrated forecasts give PIT values spread evenly over [0, 1]; a
  U-shaped histogram says too narrow, a hump says too wide. Outcomes are counts, so the
  PIT is randomised (Czado, Gneiting and Held 2009): uniform between F(y - 1) and F(y).
  A sample x stands for the count floor(x), the convention P(at least 1) = P(x >= 1) of
  the forecasters follows;
- coverage of the central 50 % and 90 % intervals, read off the randomised PIT (the
  outcome is "inside" when its PIT lies in [0.25, 0.75], resp. [0.05, 0.95]). With counts a
  plain closed interval [q05, q95] holds a zero with certainty whenever the forecast puts
  more than 95 % on zero, so its coverage says little; the randomised interval is the
  one whose coverage is exactly nominal for a calibrated forecast. The closed-interval
  coverage is reported beside it for reference;
- reliability diagrams: forecast probability of at least 1 (and 25) fatalities against
  the observed frequency, in ten equal-width bins.

Recalibration (Kuleshov, Fenner and Ermon 2018, quantile recalibration): with G the
empirical distribution of the PIT values of earlier forecasts whose outcomes are known,
the recalibrated forecast has the distribution function G(F(y)). Its samples are the
original forecast's quantiles at the levels G^-1(tau), its probabilities
P(at least k) = 1 - G(1 - p_k). In a rolling-origin backtest, the forecasts made at
origin o are recalibrated with the forecasts of earlier origins whose target month is at
or before o only: what a forecaster standing at o could have known.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .evaluate import Backtest

PIT_BINS = 10
RELIABILITY_BINS = 10
INTERVAL_LEVELS = (0.5, 0.9)
COVERAGE_TOLERANCE = 0.05  # a level "passes" when its coverage is within 5 points of nominal
MIN_CALIBRATION_ROWS = 200  # fewer earlier forecasts with known outcomes: no recalibration
_GRID = np.linspace(0.0, 1.0, 201)
PIT_SEED = 20260101  # the randomised PIT draws are reproducible

FloatArray = npt.NDArray[np.float64]


def _rows(samples: npt.ArrayLike) -> FloatArray:
    values = np.asarray(samples, dtype=np.float64)
    return values[:, None] if values.ndim == 1 else values


def count_pit(y_true: npt.ArrayLike, samples: npt.ArrayLike, seed: int = PIT_SEED) -> FloatArray:
    """Randomised PIT of count outcomes under sample forecasts (one row per outcome):
    uniform between P(count < y) and P(count <= y), the count of a sample x being floor(x)."""
    y = np.asarray(y_true, dtype=np.float64)
    draws = _rows(samples)
    below = (draws < y[:, None]).mean(axis=1)  # floor(x) < y  <=>  x < y for integer y
    at_most = (draws < y[:, None] + 1).mean(axis=1)
    rng = np.random.default_rng(seed)
    pit: FloatArray = below + rng.uniform(size=len(y)) * (at_most - below)
    return pit


def pit_histogram(pit: npt.ArrayLike, bins: int = PIT_BINS) -> list[float]:
    """Share of PIT values in each of `bins` equal bins of [0, 1] (1 / bins each when calibrated)."""
    values = np.asarray(pit, dtype=np.float64)
    counts, _edges = np.histogram(np.clip(values, 0.0, 1.0), bins=bins, range=(0.0, 1.0))
    return [float(c) / max(len(values), 1) for c in counts]


def central_coverage(pit: npt.ArrayLike, level: float) -> float:
    """Share of outcomes inside the central `level` interval, read off their randomised PIT."""
    values = np.asarray(pit, dtype=np.float64)
    low, high = (1 - level) / 2, (1 + level) / 2
    return float(((values >= low) & (values <= high)).mean()) if len(values) else float("nan")


def closed_interval_coverage(y_true: npt.ArrayLike, samples: npt.ArrayLike, level: float) -> float:
    """Share of outcomes within [q_low, q_high] of their samples, bounds included."""
    y = np.asarray(y_true, dtype=np.float64)
    low, high = np.quantile(_rows(samples), [(1 - level) / 2, (1 + level) / 2], axis=1)
    return float(((y >= low) & (y <= high)).mean()) if len(y) else float("nan")


def reliability_bins(
    probability: npt.ArrayLike, happened: npt.ArrayLike, bins: int = RELIABILITY_BINS
) -> list[dict[str, float | int]]:
    """Forecast probability against observed frequency in `bins` equal-width bins of [0, 1];
    empty bins are left out. Each bin: lower and upper edge, mean forecast, observed share, rows."""
    p = np.asarray(probability, dtype=np.float64)
    event = np.asarray(happened).astype(bool)
    index = np.minimum((np.clip(p, 0.0, 1.0) * bins).astype(int), bins - 1)
    table: list[dict[str, float | int]] = []
    for k in range(bins):
        inside = index == k
        n = int(inside.sum())
        if n:
            table.append(
                {
                    "lower": k / bins,
                    "upper": (k + 1) / bins,
                    "predicted": float(p[inside].mean()),
                    "observed": float(event[inside].mean()),
                    "rows": n,
                }
            )
    return table


def quantiles_of_samples(samples: npt.ArrayLike, levels: npt.ArrayLike) -> FloatArray:
    """Each row's quantile at its own levels (rows x levels), the samples read as the quantiles
    at levels (k + 0.5) / S, linearly interpolated between them."""
    ordered = np.sort(_rows(samples), axis=1)
    n_samples = ordered.shape[1]
    position = np.clip(np.asarray(levels, dtype=np.float64) * n_samples - 0.5, 0.0, n_samples - 1.0)
    if position.ndim == 1:
        position = np.broadcast_to(position, (ordered.shape[0], len(position)))
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, n_samples - 1)
    weight = position - below
    low = np.take_along_axis(ordered, below, axis=1)
    high = np.take_along_axis(ordered, above, axis=1)
    result: FloatArray = low + weight * (high - low)
    return result


@dataclass(frozen=True)
class Recalibration:
    """The map u -> G(u) of quantile recalibration, held as G^-1 on a grid of levels."""

    pit_quantiles: tuple[float, ...]  # G^-1 at the levels of _GRID
    rows: int

    @classmethod
    def fit(cls, pit: npt.ArrayLike) -> Recalibration:
        values = np.asarray(pit, dtype=np.float64)
        if not len(values):
            return cls.identity()
        return cls(tuple(float(q) for q in np.quantile(values, _GRID)), len(values))

    @classmethod
    def identity(cls) -> Recalibration:
        return cls(tuple(float(q) for q in _GRID), 0)

    def cdf(self, u: npt.ArrayLike) -> FloatArray:
        """G(u): the share of calibration PIT values at or below u."""
        knots = np.asarray(self.pit_quantiles)
        # Repeated knots (a PIT histogram with a gap) would make interp ill-defined: nudge apart.
        knots = knots + np.arange(len(knots)) * 1e-12
        result: FloatArray = np.interp(np.asarray(u, dtype=np.float64), knots, _GRID)
        return result

    def levels(self, tau: npt.ArrayLike) -> FloatArray:
        """G^-1(tau): the original forecast's levels that become the levels tau."""
        result: FloatArray = np.interp(np.asarray(tau, dtype=np.float64), _GRID, np.asarray(self.pit_quantiles))
        return result

    def samples(self, samples: npt.ArrayLike) -> FloatArray:
        """Recalibrated samples: the forecast's quantiles at G^-1((k + 0.5) / S)."""
        rows = _rows(samples)
        tau = (np.arange(rows.shape[1]) + 0.5) / rows.shape[1]
        return quantiles_of_samples(rows, self.levels(tau))

    def probability_at_least(self, probability: npt.ArrayLike) -> FloatArray:
        """P'(count >= k) = 1 - G(P(count < k)) = 1 - G(1 - p)."""
        result: FloatArray = 1.0 - self.cdf(1.0 - np.asarray(probability, dtype=np.float64))
        return result


def fit_recalibration(backtest: Backtest, known_by: int | None = None) -> Recalibration:
    """The recalibration learnt from a backtest's forecasts whose target month is at or
    before `known_by` (all of them when None)."""
    rows = np.ones(len(backtest.month), dtype=bool) if known_by is None else backtest.month <= known_by
    return Recalibration.fit(count_pit(backtest.y_true[rows], backtest.samples[rows]))


def apply_recalibration(backtest: Backtest, rows: npt.NDArray[np.bool_], recalibration: Recalibration) -> Backtest:
    """The backtest's `rows`, recalibrated (the point forecast is left as the model made it)."""
    return replace(
        backtest,
        origin=backtest.origin[rows],
        step=backtest.step[rows],
        unit=backtest.unit[rows],
        month=backtest.month[rows],
        y_true=backtest.y_true[rows],
        point=backtest.point[rows],
        samples=recalibration.samples(backtest.samples[rows]).astype(np.float32),
        p_ge1=recalibration.probability_at_least(backtest.p_ge1[rows]).astype(np.float32),
        p_ge25=recalibration.probability_at_least(backtest.p_ge25[rows]).astype(np.float32),
    )


def recalibrated_backtest(backtest: Backtest, min_rows: int = MIN_CALIBRATION_ROWS) -> Backtest:
    """The forecasts of every origin recalibrated on the earlier forecasts known by then
    (target month at or before the origin); origins with fewer than `min_rows` such
    forecasts are warm-up and left out. No forecast is recalibrated with its own outcome
    or any later one."""
    parts = []
    for origin in np.unique(backtest.origin):
        known = backtest.month <= origin
        if known.sum() < min_rows:
            continue
        recalibration = fit_recalibration(backtest, known_by=int(origin))
        parts.append(apply_recalibration(backtest, backtest.origin == origin, recalibration))
    if not parts:
        return apply_recalibration(backtest, np.zeros(len(backtest.origin), dtype=bool), Recalibration.identity())
    return replace(concatenate_backtests(parts), model=f"{backtest.model}+recalibrated")


ROW_FIELDS = ("origin", "step", "unit", "month", "y_true", "point", "samples", "p_ge1", "p_ge25")


def concatenate_backtests(parts: list[Backtest]) -> Backtest:
    """One backtest holding the rows of every part, in order (name and timings of the first)."""
    rows: dict[str, Any] = {name: np.concatenate([getattr(part, name) for part in parts]) for name in ROW_FIELDS}
    return replace(parts[0], **rows)


def backtest_rows(backtest: Backtest, keep: npt.NDArray[np.bool_]) -> Backtest:
    """The backtest's rows where `keep` is true."""
    rows: dict[str, Any] = {name: getattr(backtest, name)[keep] for name in ROW_FIELDS}
    return replace(backtest, **rows)


def calibration_figures(backtest: Backtest) -> dict[str, object]:
    """The calibration of a backtest's forecasts, JSON-ready: coverage of the central 50 % and
    90 % intervals (randomised, and closed for reference) with a pass mark, the PIT histogram,
    and reliability bins for P(at least 1) and P(at least 25)."""
    pit = count_pit(backtest.y_true, backtest.samples)
    coverage = {}
    for level in INTERVAL_LEVELS:
        share = central_coverage(pit, level)
        coverage[f"{round(level * 100)}"] = {
            "nominal": level,
            "observed": share,
            "closed_interval": closed_interval_coverage(backtest.y_true, backtest.samples, level),
            "passes": bool(abs(share - level) <= COVERAGE_TOLERANCE),
        }
    return {
        "rows": len(backtest.y_true),
        "origins": len(np.unique(backtest.origin)),
        "coverage": coverage,
        "pit": pit_histogram(pit),
        "reliability_ge1": reliability_bins(backtest.p_ge1, backtest.y_true >= 1),
        "reliability_ge25": reliability_bins(backtest.p_ge25, backtest.y_true >= 25),
    }
