"""Rolling-origin evaluation of forecasters, with metrics defined as views-evaluation
(ViEWS, Uppsala/PRIO) defines them, so our numbers compare with theirs.

Definitions (views-evaluation 2.0 "native" metrics; y observed, x forecast):
- MSE  = mean over rows and samples of (y - x)^2; a point forecast is one sample.
- MSLE = mean of (log1p y - log1p x)^2; values below -1 are an error.
- CRPS = per row, mean_j |x_j - y| - (1 / (2 S^2)) sum_ij |x_i - x_j| over the S samples
  (the plain ensemble estimator, not the "fair" one), then the mean over rows.
- AP   = average precision of a probability for the event y > 0, computed as scikit-learn
  does (step-wise sum over distinct thresholds, not the trapezoid); NaN when the rows
  hold no event, since there is nothing to recall.
- Brier = mean of (p - 1[y > 0])^2 (views' classification point Brier, threshold 0).
Scores are given per step (horizon) and overall, pooled over every origin and step.

Rolling origin: for each origin month o, every forecaster is fitted on the panel cut at
o (`Panel.until`) and forecasts o + h; nothing after the origin is ever seen.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import polars as pl

from .forecast.base import Forecast, Forecaster
from .panel import Panel, PanelError, month_label

_Item = TypeVar("_Item", bound=np.generic)

METRICS = ("MSE", "MSLE", "CRPS", "AP", "Brier")
EVENT_THRESHOLD = 0.0  # an "event" is y > 0: at least one fatality for counts


# --- Metrics -------------------------------------------------------------------------------


def _as_samples(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.ndim != 1:
        raise ValueError(f"observations must be one value per row, got shape {y_true.shape}")
    if y_pred.ndim == 1:
        y_pred = y_pred[:, None]
    if y_pred.ndim != 2 or y_pred.shape[0] != y_true.shape[0]:
        raise ValueError(f"forecasts of shape {y_pred.shape} do not match {y_true.shape[0]} observations")
    return y_true, y_pred


def mse(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float:
    y_true, y_pred = _as_samples(y_true, y_pred)
    return float(np.mean(np.square(y_pred - y_true[:, None])))


def msle(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float:
    y_true, y_pred = _as_samples(y_true, y_pred)
    if (y_true < -1).any() or (y_pred < -1).any():
        raise ValueError("MSLE is undefined for values below -1")
    return float(np.mean(np.square(np.log1p(y_pred) - np.log1p(y_true)[:, None])))


def crps_rows(y_true: npt.ArrayLike, samples: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """CRPS of each row's sample set."""
    y_true, samples = _as_samples(y_true, samples)
    n_samples = samples.shape[1]
    ordered = np.sort(samples, axis=1)
    accuracy = np.abs(ordered - y_true[:, None]).mean(axis=1)
    # sum_ij |x_i - x_j| over a sorted set is 2 * sum_k (2k - S + 1) x_(k), k from 0.
    rank_weights = 2 * np.arange(n_samples) - n_samples + 1
    spread = (ordered @ rank_weights) / n_samples**2
    rows: npt.NDArray[np.float64] = accuracy - spread
    return rows


def crps(y_true: npt.ArrayLike, samples: npt.ArrayLike) -> float:
    return float(np.mean(crps_rows(y_true, samples)))


def average_precision(events: npt.ArrayLike, scores: npt.ArrayLike) -> float:
    """Area under the precision-recall steps, as scikit-learn's average_precision_score;
    NaN when there is no event."""
    events = np.asarray(events).astype(bool).ravel()
    scores = np.asarray(scores, dtype=np.float64).ravel()
    if events.shape != scores.shape:
        raise ValueError("events and scores differ in length")
    total = events.sum()
    if total == 0:
        return float("nan")
    order = np.argsort(-scores, kind="stable")
    scores, events = scores[order], events[order]
    # One operating point per distinct score: the last row of each run of ties.
    cut = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]
    hits = np.cumsum(events)[cut]
    precision = hits / (cut + 1)
    recall = hits / total
    gained = np.diff(np.r_[0.0, recall])
    return float(np.sum(gained * precision))


def brier(y_true: npt.ArrayLike, probability: npt.ArrayLike, threshold: float = EVENT_THRESHOLD) -> float:
    y_true = np.asarray(y_true, dtype=np.float64)
    probability = np.asarray(probability, dtype=np.float64)
    return float(np.mean(np.square(probability - (y_true > threshold))))


def calibration_table(y_true: npt.ArrayLike, probability: npt.ArrayLike, bins: int = 10) -> pl.DataFrame:
    """Predicted probability against observed frequency of y > 0, by decile of the forecasts
    (rows sorted by probability and cut into `bins` groups of equal size)."""
    y_true = np.asarray(y_true, dtype=np.float64)
    probability = np.asarray(probability, dtype=np.float64)
    order = np.argsort(probability, kind="stable")
    groups = np.array_split(order, min(bins, len(order))) if len(order) else []
    return pl.DataFrame(
        {
            "decile": list(range(1, len(groups) + 1)),
            "predicted": [float(probability[g].mean()) for g in groups],
            "observed": [float((y_true[g] > EVENT_THRESHOLD).mean()) for g in groups],
            "rows": [len(g) for g in groups],
        },
        schema={"decile": pl.Int32, "predicted": pl.Float64, "observed": pl.Float64, "rows": pl.Int64},
    )


def score(
    y_true: npt.ArrayLike, point: npt.ArrayLike, samples: npt.ArrayLike, p_ge1: npt.ArrayLike
) -> dict[str, float]:
    return {
        "MSE": mse(y_true, point),
        "MSLE": msle(y_true, point),
        "CRPS": crps(y_true, samples),
        "AP": average_precision(np.asarray(y_true) > EVENT_THRESHOLD, p_ge1),
        "Brier": brier(y_true, p_ge1),
    }


# --- Rolling origin ------------------------------------------------------------------------


@dataclass
class Backtest:
    """Every out-of-sample forecast one model made, one row per (origin, step, unit)."""

    model: str
    origin: npt.NDArray[np.int32]
    step: npt.NDArray[np.int32]
    unit: npt.NDArray[np.int_]
    month: npt.NDArray[np.int32]
    y_true: npt.NDArray[np.float32]
    point: npt.NDArray[np.float32]
    samples: npt.NDArray[np.float32]
    p_ge1: npt.NDArray[np.float32]
    p_ge25: npt.NDArray[np.float32]
    fit_seconds: float
    predict_seconds: float

    def rows(self, step: int | None = None) -> npt.NDArray[np.bool_]:
        return np.ones(len(self.step), dtype=bool) if step is None else self.step == step

    def scores(self, step: int | None = None) -> dict[str, float]:
        keep = self.rows(step)
        return score(self.y_true[keep], self.point[keep], self.samples[keep], self.p_ge1[keep])

    def to_frame(self) -> pl.DataFrame:
        """Long frame for exchange (Parquet): identifiers, truth, forecasts, samples as a list."""
        return pl.DataFrame(
            {
                "model": [self.model] * len(self.step),
                "origin": self.origin,
                "step": self.step,
                "unit": self.unit,
                "month_id": self.month,
                "y_true": self.y_true,
                "point": self.point,
                "p_ge1": self.p_ge1,
                "p_ge25": self.p_ge25,
                "samples": pl.Series(self.samples.astype(np.float64)).cast(pl.List(pl.Float64)),
            }
        )


def default_origins(
    panel: Panel, horizons: Sequence[int], n_origins: int = 12, spacing: int = 1, min_history: int = 24
) -> list[int]:
    """The last `n_origins` origins, `spacing` months apart, whose every horizon is observed."""
    last = panel.last_month - max(horizons)
    origins = [last - spacing * k for k in range(n_origins)][::-1]
    if origins[0] - panel.first_month + 1 < min_history:
        raise PanelError(
            f"too little history for horizon {max(horizons)} with {n_origins} origin(s): the panel covers "
            f"{month_label(panel.first_month)} to {month_label(panel.last_month)}, and the first origin "
            f"{month_label(origins[0])} would have under {min_history} months to learn from"
        )
    return origins


def rolling_origin(
    panel: Panel,
    forecasters: Mapping[str, Forecaster],
    origins: Sequence[int],
    horizons: Sequence[int],
    progress: Callable[[int, int], object] | None = None,
) -> dict[str, Backtest]:
    """Fit a fresh copy of each forecaster at each origin on the panel cut there, forecast
    every horizon, and collect the forecasts beside what happened."""
    sorted_horizons = sorted(horizons)
    steps = np.asarray(sorted_horizons, dtype=np.int32)
    for origin in origins:
        if origin + steps.max() > panel.last_month:
            raise PanelError(
                f"too little history for horizon {int(steps.max())}: origin {month_label(origin)} + "
                f"{int(steps.max())} months is after the panel's last month {month_label(panel.last_month)}"
            )
    parts: dict[str, list[tuple[int, npt.NDArray[np.float32], Forecast]]] = {name: [] for name in forecasters}
    timing = {name: [0.0, 0.0] for name in forecasters}
    n_units = len(panel.units)
    for k, origin in enumerate(origins):
        history = panel.until(origin)
        truth = panel.y[:, origin - panel.first_month + steps]  # (units, horizons)
        for name, template in forecasters.items():
            model = copy.deepcopy(template)
            started = time.perf_counter()
            model.fit(history)
            fitted = time.perf_counter()
            forecast = model.predict(sorted_horizons)
            timing[name][0] += fitted - started
            timing[name][1] += time.perf_counter() - fitted
            parts[name].append((origin, truth, forecast))
        if progress:
            progress(k + 1, len(origins))
    unit_index = np.arange(n_units)
    results = {}
    for name, chunks in parts.items():
        # Rows ordered origin -> step -> unit.
        def stack(get: Callable[[int, npt.NDArray[np.float32], Forecast], npt.NDArray[_Item]]) -> npt.NDArray[_Item]:
            return np.concatenate([get(origin, truth, f) for origin, truth, f in chunks])  # noqa: B023 (called in this iteration)

        results[name] = Backtest(
            model=name,
            origin=stack(lambda o, t, f: np.full(t.size, o, dtype=np.int32)),
            step=stack(lambda o, t, f: np.repeat(steps, n_units)),
            unit=stack(lambda o, t, f: np.tile(unit_index, len(steps))),
            month=stack(lambda o, t, f: np.repeat(o + steps, n_units)),
            y_true=stack(lambda o, t, f: t.T.ravel()),
            point=stack(lambda o, t, f: f.point.T.ravel()),
            samples=np.concatenate(
                [f.samples.transpose(1, 0, 2).reshape(-1, f.samples.shape[2]) for _, _, f in chunks]
            ),
            p_ge1=stack(lambda o, t, f: f.p_ge1.T.ravel()),
            p_ge25=stack(lambda o, t, f: f.p_ge25.T.ravel()),
            fit_seconds=timing[name][0],
            predict_seconds=timing[name][1],
        )
    return results


def score_table(backtests: Mapping[str, Backtest], horizons: Sequence[int]) -> pl.DataFrame:
    """One row per model and horizon, plus one per model over every horizon ("all")."""
    rows = []
    for name, backtest in backtests.items():
        for step in [*sorted(horizons), None]:
            keep = backtest.rows(step)
            rows.append(
                {
                    "model": name,
                    "horizon": "all" if step is None else str(step),
                    "rows": int(keep.sum()),
                    **backtest.scores(step),
                }
            )
    return pl.DataFrame(rows)


def format_table(table: pl.DataFrame, timings: Mapping[str, float] | None = None) -> str:
    """A plain-text table: model x metric, per horizon and overall."""
    headers = ["model", "horizon", *METRICS, "rows"] + (["fit+predict s"] if timings else [])
    lines = []
    for row in table.iter_rows(named=True):
        cells = [row["model"], row["horizon"], *(f"{row[m]:.4f}" for m in METRICS), str(row["rows"])]
        if timings:
            cells.append(f"{timings[row['model']]:.2f}" if row["horizon"] == "all" else "")
        lines.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in lines)) for i, h in enumerate(headers)]
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in lines]
    return "\n".join(out)
