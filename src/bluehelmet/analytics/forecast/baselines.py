"""Reference forecasters: what a model has to beat.

They mirror the ViEWS baselines (views-baseline: ZeroModel, LocfModel, AverageModel,
ConflictologyModel) in what they forecast; the benchmark runs the ViEWS originals beside
them. Point baselines carry one degenerate sample, so their CRPS is their absolute error.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import Forecast, Forecaster, point_from_samples


class ZeroForecaster(Forecaster):
    name = "zero"

    def predict(self, horizons: Sequence[int]) -> Forecast:
        shape = (len(self.panel_.units), len(horizons))
        return self._forecast(horizons, np.zeros(shape), np.zeros((*shape, 1)))


class LastValueForecaster(Forecaster):
    """The last observed month, carried forward to every horizon."""

    name = "last_value"

    def predict(self, horizons: Sequence[int]) -> Forecast:
        last = np.repeat(self.panel_.y[:, -1:], len(horizons), axis=1)
        return self._forecast(horizons, last, last[:, :, None])


class RollingMeanForecaster(Forecaster):
    """The mean of the last `window` months; the probabilities are the share of those
    months with at least 1 and at least 25 fatalities."""

    def __init__(self, window: int = 12):
        self.window = window
        self.name = f"rolling_mean_{window}"

    def predict(self, horizons: Sequence[int]) -> Forecast:
        recent = self.panel_.y[:, -self.window :]
        mean = np.repeat(recent.mean(axis=1, keepdims=True), len(horizons), axis=1)
        forecast = self._forecast(horizons, mean, mean[:, :, None])
        forecast.p_ge1 = np.repeat((recent >= 1).mean(axis=1, keepdims=True), len(horizons), axis=1).astype(np.float32)
        forecast.p_ge25 = np.repeat((recent >= 25).mean(axis=1, keepdims=True), len(horizons), axis=1).astype(
            np.float32
        )
        return forecast


class ConflictologyForecaster(Forecaster):
    """Conflictology (climatology for conflict): each forecast is `n_samples` draws, with
    replacement, from the unit's own last `window` months; the point forecast is the one
    the draws imply under squared log error (base.point_from_samples)."""

    def __init__(self, window: int = 12, n_samples: int = 100, seed: int = 42):
        self.window = window
        self.n_samples = n_samples
        self.seed = seed
        self.name = f"conflictology_{window}"

    def predict(self, horizons: Sequence[int]) -> Forecast:
        recent = self.panel_.y[:, -self.window :]
        rng = np.random.default_rng(self.seed)
        picks = rng.integers(0, recent.shape[1], size=(recent.shape[0], len(horizons), self.n_samples))
        samples = np.take_along_axis(recent[:, None, :], picks.reshape(recent.shape[0], -1)[:, None, :], axis=2)
        samples = samples.reshape(recent.shape[0], len(horizons), self.n_samples)
        return self._forecast(horizons, point_from_samples(samples), samples)


def baseline_forecasters() -> dict[str, Forecaster]:
    made = [ZeroForecaster(), LastValueForecaster(), RollingMeanForecaster(12), ConflictologyForecaster(12)]
    return {f.name: f for f in made}
