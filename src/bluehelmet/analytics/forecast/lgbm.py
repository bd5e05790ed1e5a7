"""The main model: a LightGBM hurdle, one pair of models per horizon (direct multi-step).

For horizon h, the features of month t predict the target of month t + h:
- a classifier gives p = P(y > 0);
- a regressor, fitted on the months that had fatalities, gives mu = E[log1p y | y > 0],
  and its training residuals give the shape of the spread around mu.
The predictive distribution is the mixture "0 with probability 1 - p, else expm1(mu + e)".
Its samples are its quantiles at evenly spaced levels (no Monte Carlo noise in CRPS), the
point forecast is expm1(E[log1p y]) = expm1(p * (mu + mean e)), the forecast that
minimises the expected squared log error (MSLE).

Scale: features are float32 in one (month, unit, feature) array, training rows of every
horizon are a prefix of it, histogram bins are shared across horizons, and "quiet" rows
(no event at the unit or its neighbours for three years) are subsampled and reweighted
when the panel is large; the training window is capped by a row budget. LightGBM runs
single-threaded by default: on a small shared machine OpenMP threads that wait for a busy
core cost more than they gain (pass n_threads to change it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

from ..panel import Panel, PanelError
from .base import MAX_HORIZON, Forecast, Forecaster
from .features import build_features

QUIET_MONTHS = 36
LARGE_PANEL_ROWS = 300_000
RESIDUAL_LEVELS = np.linspace(0.0025, 0.9975, 200)
MIN_POSITIVE_ROWS = 10


class LightGBMOptions(TypedDict, total=False):
    """The keyword options of LightGBMForecaster, for callers that pass them along."""

    n_estimators: int
    learning_rate: float
    num_leaves: int
    min_data_in_leaf: int
    max_bin: int
    max_train_months: int
    max_train_rows: int
    quiet_fraction: float | None
    n_samples: int
    n_threads: int
    seed: int


class LightGBMForecaster(Forecaster):
    name = "lightgbm_hurdle"

    def __init__(
        self,
        horizons: Sequence[int] = tuple(range(1, MAX_HORIZON + 1)),
        *,
        n_estimators: int = 150,
        learning_rate: float = 0.05,
        num_leaves: int = 7,
        min_data_in_leaf: int = 100,
        max_bin: int = 63,
        max_train_months: int = 240,
        max_train_rows: int = 1_000_000,
        quiet_fraction: float | None = None,
        n_samples: int = 100,
        n_threads: int = 1,
        seed: int = 1,
    ):
        self.horizons = sorted(horizons)
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_data_in_leaf = min_data_in_leaf
        self.max_bin = max_bin
        self.max_train_months = max_train_months
        self.max_train_rows = max_train_rows
        self.quiet_fraction = quiet_fraction
        self.n_samples = n_samples
        self.n_threads = n_threads
        self.seed = seed

    def _params(self, objective: str) -> dict[str, str | float]:
        return {
            "objective": objective,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_data_in_leaf,
            "feature_fraction": 0.9,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "lambda_l2": 1.0,
            "num_threads": self.n_threads,
            "seed": self.seed,
            "deterministic": True,
            "force_row_wise": True,
            "verbosity": -1,
        }

    def fit(self, panel: Panel) -> LightGBMForecaster:
        panel.check_history(self.horizons)
        self.panel_ = panel
        features, self.feature_names_ = build_features(panel)
        n_months, n_units, n_features = features.shape
        flat = features.reshape(n_months * n_units, n_features)
        target = panel.y.T.ravel()  # same (month, unit) order as the feature rows

        keep, weight = self._quiet_subsample(features, n_months * n_units)
        self.models_: dict[int, tuple[lgb.Booster, lgb.Booster, npt.NDArray[np.float64]]] = {}
        self.importance_ = np.zeros(n_features, dtype=np.float64)
        reference = None
        # The most recent months only, within a row budget: a continent of cells learns as
        # much from ten years as from twenty, at half the cost.
        train_months = max(24, min(self.max_train_months, self.max_train_rows // n_units))
        for h in self.horizons:
            last_row_month = n_months - 1 - h
            first_row_month = max(0, last_row_month - train_months + 1)
            rows = np.arange(first_row_month * n_units, (last_row_month + 1) * n_units)
            rows = rows[keep[rows]]
            labels = target[rows + h * n_units]
            x, w = flat[rows], weight[rows]
            positive = labels > 0
            if positive.sum() < MIN_POSITIVE_ROWS or positive.all():
                raise PanelError(
                    f"too little history for horizon {h}: {int(positive.sum())} of {len(labels)} training "
                    f"unit-months have a non-zero {panel.target}; a model needs both kinds"
                )
            data = lgb.Dataset(
                x,
                label=positive.astype(np.float32),
                weight=w,
                reference=reference,
                params={"max_bin": self.max_bin, "verbosity": -1},
                free_raw_data=True,
            )
            classifier = lgb.train(self._params("binary"), data, num_boost_round=self.n_estimators)
            reference = reference or data
            magnitude = np.log1p(labels[positive])
            positive_data = lgb.Dataset(
                x[positive],
                label=magnitude,
                weight=w[positive],
                reference=reference,
                params={"max_bin": self.max_bin, "verbosity": -1},
                free_raw_data=True,
            )
            regressor = lgb.train(self._params("regression"), positive_data, num_boost_round=self.n_estimators)
            residuals = magnitude - _predict(regressor, x[positive], num_threads=self.n_threads)
            self.models_[h] = (classifier, regressor, np.quantile(residuals, RESIDUAL_LEVELS).astype(np.float64))
            self.importance_ += classifier.feature_importance("gain") + regressor.feature_importance("gain")
        self.origin_features_ = features[-1].copy()
        return self

    def _quiet_subsample(
        self, features: npt.NDArray[np.float32], n_rows: int
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float32]]:
        """Keep every row with recent violence nearby; keep a share of the quiet ones,
        weighted up by its inverse so the model still learns how rare violence is there."""
        fraction = self.quiet_fraction
        if fraction is None:
            fraction = 1.0 if n_rows <= LARGE_PANEL_ROWS else 0.1
        keep = np.ones(n_rows, dtype=bool)
        weight = np.ones(n_rows, dtype=np.float32)
        if fraction >= 1.0:
            return keep, weight
        names = self.feature_names_
        quiet = features[:, :, names.index("months_since_event")].ravel() >= QUIET_MONTHS
        if "neighbours_months_since_event" in names:
            quiet &= features[:, :, names.index("neighbours_months_since_event")].ravel() >= QUIET_MONTHS
        rng = np.random.default_rng(self.seed)
        drop = quiet & (rng.random(n_rows) >= fraction)
        keep[drop] = False
        weight[quiet] = 1.0 / fraction
        return keep, weight

    def predict(self, horizons: Sequence[int] | None = None, *, contributions: bool = False) -> Forecast:
        horizons = self.horizons if horizons is None else list(horizons)
        missing = [h for h in horizons if h not in self.models_]
        if missing:
            raise PanelError(f"no model fitted for horizon(s) {missing}")
        x = self.origin_features_
        n_units = x.shape[0]
        levels = (np.arange(self.n_samples) + 0.5) / self.n_samples
        point = np.empty((n_units, len(horizons)))
        samples = np.empty((n_units, len(horizons), self.n_samples), dtype=np.float32)
        p_ge1 = np.empty((n_units, len(horizons)))
        p_ge25 = np.empty((n_units, len(horizons)))
        drivers = np.zeros((n_units, len(horizons), x.shape[1]), dtype=np.float32) if contributions else None
        for j, h in enumerate(horizons):
            classifier, regressor, residual_q = self.models_[h]
            p = _predict(classifier, x, num_threads=self.n_threads)
            mu = _predict(regressor, x, num_threads=self.n_threads)
            point[:, j] = np.expm1(np.maximum(p * (mu + residual_q.mean()), 0))
            # Quantile of the mixture at each level: 0 below 1 - p, else the positive part's.
            inner = (levels[None, :] - (1 - p[:, None])) / np.maximum(p[:, None], 1e-12)
            positive = np.expm1(np.maximum(mu[:, None] + np.interp(inner, RESIDUAL_LEVELS, residual_q), 0))
            samples[:, j, :] = np.where(inner > 0, positive, 0.0)
            p_ge1[:, j] = p * _share_above(np.log1p(1) - mu, residual_q)
            p_ge25[:, j] = p * _share_above(np.log1p(25) - mu, residual_q)
            if drivers is not None:
                drivers[:, j, :] = _predict(classifier, x, pred_contrib=True, num_threads=self.n_threads)[:, :-1]
        forecast = self._forecast(horizons, point, samples)
        forecast.p_ge1 = p_ge1.astype(np.float32)
        forecast.p_ge25 = p_ge25.astype(np.float32)
        forecast.extra = {"feature_names": self.feature_names_, "importance": self.importance_.tolist()}
        if contributions:
            forecast.extra["contributions"] = drivers
        return forecast


def _predict(
    booster: lgb.Booster, x: npt.NDArray[np.float32], *, num_threads: int, pred_contrib: bool = False
) -> npt.NDArray[np.float64]:
    """Booster.predict on a dense matrix, which gives an array (sparse results come only from sparse input)."""
    result = booster.predict(x, pred_contrib=pred_contrib, num_threads=num_threads)
    assert isinstance(result, np.ndarray)
    return result


def _share_above(
    thresholds: npt.NDArray[np.float64], residual_quantiles: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """P(e >= threshold) under the residuals' empirical distribution, per unit."""
    below = np.interp(thresholds, residual_quantiles, RESIDUAL_LEVELS, left=0.0, right=1.0)
    return 1.0 - below
