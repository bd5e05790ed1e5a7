"""Metrics as views-evaluation defines them, and the rolling-origin evaluation."""

import itertools

import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from bluehelmet.analytics import evaluate
from bluehelmet.analytics.forecast import LastValueForecaster, ZeroForecaster
from bluehelmet.analytics.panel import PanelError, events_panel

from .conftest import synthetic_events


def test_point_metrics():
    y = np.array([0.0, 1.0, 3.0])
    x = np.array([0.0, 3.0, 3.0])
    assert evaluate.mse(y, x) == pytest.approx(4 / 3)
    assert evaluate.msle(y, x) == pytest.approx((np.log(4) - np.log(2)) ** 2 / 3)
    # Samples count one by one: a (N, S) forecast is averaged over samples too.
    assert evaluate.mse(y, np.stack([x, x], axis=1)) == pytest.approx(4 / 3)
    with pytest.raises(ValueError, match="below -1"):
        evaluate.msle(y, np.array([0.0, -2.0, 1.0]))


def test_crps_is_the_plain_ensemble_estimator():
    rng = np.random.default_rng(0)
    y = rng.poisson(2, 20).astype(float)
    samples = rng.poisson(2, (20, 7)).astype(float)
    brute = [
        np.mean(np.abs(s - t)) - 0.5 * np.mean([abs(a - b) for a, b in itertools.product(s, s)])
        for t, s in zip(y, samples)
    ]
    assert evaluate.crps(y, samples) == pytest.approx(np.mean(brute))
    # One sample: the absolute error.
    assert evaluate.crps(np.array([3.0]), np.array([[1.0]])) == pytest.approx(2.0)


def test_average_precision_matches_scikit_learn_with_ties():
    rng = np.random.default_rng(1)
    events = rng.random(200) < 0.2
    scores = np.round(rng.random(200), 1)  # many ties
    assert evaluate.average_precision(events, scores) == pytest.approx(average_precision_score(events, scores))
    assert np.isnan(evaluate.average_precision(np.zeros(5, bool), np.ones(5)))


def test_brier_and_calibration():
    y = np.array([0, 0, 2, 5, 0, 1, 0, 0, 3, 0], dtype=float)
    p = np.linspace(0.05, 0.95, 10)
    assert evaluate.brier(y, p) == pytest.approx(np.mean((p - (y > 0)) ** 2))
    table = evaluate.calibration_table(y, p, bins=5)
    assert table["rows"].to_list() == [2] * 5
    assert table["predicted"].to_list() == pytest.approx([0.1, 0.3, 0.5, 0.7, 0.9])
    assert table["observed"].to_list() == pytest.approx([0.0, 1.0, 0.5, 0.0, 0.5])


def test_rolling_origin_is_out_of_sample_and_complete():
    panel = events_panel(synthetic_events(n_months=48), "adm1")
    origins = evaluate.default_origins(panel, [1, 2], n_origins=3, spacing=2)
    assert origins[-1] == panel.last_month - 2 and origins[0] == origins[-1] - 4
    results = evaluate.rolling_origin(panel, {"zero": ZeroForecaster(), "last": LastValueForecaster()}, origins, [1, 2])
    last = results["last"]
    n = len(panel.units)
    assert len(last.y_true) == 3 * 2 * n
    # Last value at origin o for month o + h: exactly the observation at o, never later.
    expected = panel.y[last.unit, last.origin - panel.first_month]
    assert np.array_equal(last.point, expected)
    assert np.array_equal(last.y_true, panel.y[last.unit, last.month - panel.first_month])
    table = evaluate.score_table(results, [1, 2])
    assert table.height == 2 * 3 and set(table["horizon"]) == {"1", "2", "all"}
    zero_all = table.filter((table["model"] == "zero") & (table["horizon"] == "all")).row(0, named=True)
    assert zero_all["MSE"] == pytest.approx(np.mean(results["zero"].y_true ** 2))
    text = evaluate.format_table(table, {"zero": 0.1, "last": 0.2})
    assert "MSLE" in text and "last" in text


def test_rolling_origin_refuses_horizons_past_the_data():
    panel = events_panel(synthetic_events(n_months=30), "adm1")
    with pytest.raises(PanelError, match="too little history for horizon 3"):
        evaluate.rolling_origin(panel, {"zero": ZeroForecaster()}, [panel.last_month - 1], [1, 3])
    with pytest.raises(PanelError, match="too little history for horizon 12 with 12 origin"):
        evaluate.default_origins(panel, range(1, 13), n_origins=12)
