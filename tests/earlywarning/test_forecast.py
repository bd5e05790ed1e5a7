"""Forecasters: one interface, sensible outputs, and nothing seen after the origin."""

import numpy as np
import pytest

from bluehelmet.analytics.forecast import (
    ConflictologyForecaster,
    LastValueForecaster,
    LightGBMForecaster,
    RollingMeanForecaster,
    ZeroForecaster,
    all_forecasters,
    parse_horizons,
)
from bluehelmet.analytics.panel import PanelError, events_panel

from .conftest import SMALL_MODEL, synthetic_events

HORIZONS = [1, 3, 6, 12]


@pytest.fixture(scope="module")
def panel():
    return events_panel(synthetic_events(n_months=60), "pgm")


def test_parse_horizons():
    assert parse_horizons("1-3,6,12") == [1, 2, 3, 6, 12]
    with pytest.raises(PanelError, match="between 1 and 12"):
        parse_horizons("0-13")
    with pytest.raises(PanelError, match="not a number"):
        parse_horizons("one")


def test_every_forecaster_has_the_same_outputs(panel):
    for name, model in all_forecasters(HORIZONS, **SMALL_MODEL).items():
        forecast = model.fit(panel).predict(HORIZONS)
        n = len(panel.units)
        assert forecast.point.shape == forecast.p_ge1.shape == forecast.p_ge25.shape == (n, 4), name
        assert forecast.samples.shape[:2] == (n, 4), name
        assert forecast.origin == panel.last_month
        assert (forecast.samples >= 0).all() and (forecast.point >= 0).all(), name
        assert ((forecast.p_ge1 >= 0) & (forecast.p_ge1 <= 1)).all(), name
        assert (forecast.p_ge25 <= forecast.p_ge1 + 1e-6).all(), name
        quantiles = forecast.quantiles()
        assert (np.diff(quantiles, axis=0) >= -1e-6).all(), name


def test_baselines_forecast_what_they_say(panel):
    assert not ZeroForecaster().fit(panel).predict([1]).point.any()
    last = LastValueForecaster().fit(panel).predict([1, 2])
    assert np.array_equal(last.point[:, 0], panel.y[:, -1]) and np.array_equal(last.point[:, 1], panel.y[:, -1])
    mean = RollingMeanForecaster(12).fit(panel).predict([1])
    assert np.allclose(mean.point[:, 0], panel.y[:, -12:].mean(axis=1))
    assert np.allclose(mean.p_ge1[:, 0], (panel.y[:, -12:] >= 1).mean(axis=1))
    draws = ConflictologyForecaster(12, n_samples=50).fit(panel).predict([1])
    for i in range(len(panel.units)):
        assert set(draws.samples[i, 0].tolist()) <= set(panel.y[i, -12:].tolist())


def test_main_model_uses_nothing_after_the_origin(panel):
    """Changing every month after the origin cannot change a forecast made at the origin."""
    origin = panel.last_month - 12
    model = LightGBMForecaster(HORIZONS, **SMALL_MODEL)
    before = model.fit(panel.until(origin)).predict()
    tampered = panel.until(panel.last_month)
    tampered.y = panel.y.copy()
    tampered.y[:, origin - panel.first_month + 1 :] = 999
    after = LightGBMForecaster(HORIZONS, **SMALL_MODEL).fit(tampered.until(origin)).predict()
    assert np.array_equal(before.point, after.point)
    assert np.array_equal(before.samples, after.samples)


def test_main_model_learns_where_violence_is(panel):
    forecast = LightGBMForecaster(HORIZONS, **SMALL_MODEL).fit(panel).predict(contributions=True)
    busiest = np.argmax(panel.y[:, -12:].sum(axis=1))
    quietest = np.argmin(panel.y[:, -12:].sum(axis=1))
    assert forecast.p_ge1[busiest, 0] > forecast.p_ge1[quietest, 0]
    contributions = forecast.extra["contributions"]
    assert contributions.shape == (len(panel.units), len(HORIZONS), len(forecast.extra["feature_names"]))
    assert np.abs(contributions).sum() > 0


def test_main_model_subsamples_quiet_rows_with_weights(panel):
    model = LightGBMForecaster([1], quiet_fraction=0.5, **SMALL_MODEL)
    features = np.zeros((10, 4, 3), dtype=np.float32)
    model.feature_names_ = ["x", "months_since_event", "y"]
    features[:, :2, 1] = 240  # two quiet units
    keep, weight = model._quiet_subsample(features, 40)
    quiet = features[:, :, 1].ravel() >= 36
    assert keep[~quiet].all() and not keep[quiet].all()
    assert (weight[quiet] == 2).all() and (weight[~quiet] == 1).all()


def test_main_model_needs_history_for_its_horizons():
    short = events_panel(synthetic_events(n_months=14), "adm1")
    with pytest.raises(PanelError, match="too little history for horizon 12"):
        LightGBMForecaster(range(1, 13)).fit(short)
    with pytest.raises(PanelError, match="no model fitted for horizon"):
        LightGBMForecaster([1], **SMALL_MODEL).fit(short).predict([2])
