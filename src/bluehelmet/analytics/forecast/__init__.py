"""Forecasters of violence per unit and month: one interface (`fit` / `predict`), baselines
and the main LightGBM model. See base.Forecaster."""

from collections.abc import Sequence
from typing import Unpack

from .base import MAX_HORIZON, QUANTILE_LEVELS, Forecast, Forecaster, parse_horizons, point_from_samples
from .baselines import (
    ConflictologyForecaster,
    LastValueForecaster,
    RollingMeanForecaster,
    ZeroForecaster,
    baseline_forecasters,
)
from .lgbm import LightGBMForecaster, LightGBMOptions


def all_forecasters(
    horizons: Sequence[int] = tuple(range(1, MAX_HORIZON + 1)), **main_options: Unpack[LightGBMOptions]
) -> dict[str, Forecaster]:
    """The baselines and the main model, by name, ready to fit."""
    return {**baseline_forecasters(), LightGBMForecaster.name: LightGBMForecaster(horizons, **main_options)}


__all__ = [
    "MAX_HORIZON",
    "QUANTILE_LEVELS",
    "Forecast",
    "Forecaster",
    "parse_horizons",
    "point_from_samples",
    "ZeroForecaster",
    "LastValueForecaster",
    "RollingMeanForecaster",
    "ConflictologyForecaster",
    "LightGBMForecaster",
    "baseline_forecasters",
    "all_forecasters",
]
