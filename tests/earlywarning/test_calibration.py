"""Calibration of predictive distributions (analytics.calibration): PIT, coverage,
reliability, and quantile recalibration without leakage."""

import numpy as np
import pytest

from bluehelmet.analytics import calibration
from bluehelmet.analytics.evaluate import Backtest


def poisson_forecasts(rate, n_rows=4000, n_samples=400, seed=0):
    """Outcomes from Poisson(rate), forecasts as quantiles of Poisson(`rate`) (rows x samples)."""
    rng = np.random.default_rng(seed)
    y = rng.poisson(rate, n_rows).astype(float)
    samples = np.sort(rng.poisson(rate, (n_rows, n_samples)).astype(float), axis=1)
    return y, samples


def test_pit_of_a_calibrated_count_forecast_is_uniform():
    y, samples = poisson_forecasts(1.5)
    pit = calibration.count_pit(y, samples)
    histogram = calibration.pit_histogram(pit)
    assert sum(histogram) == pytest.approx(1.0)
    assert max(abs(share - 0.1) for share in histogram) < 0.02
    # Coverage of the central intervals is the nominal rate, within sampling error.
    assert calibration.central_coverage(pit, 0.5) == pytest.approx(0.5, abs=0.03)
    assert calibration.central_coverage(pit, 0.9) == pytest.approx(0.9, abs=0.02)


def test_too_narrow_forecasts_give_a_u_shaped_pit_and_low_coverage():
    rng = np.random.default_rng(1)
    y = rng.poisson(5, 3000).astype(float)
    samples = np.full((3000, 50), 5.0)  # certain of 5: far too sharp
    pit = calibration.count_pit(y, samples)
    histogram = calibration.pit_histogram(pit)
    assert histogram[0] > 0.3 and histogram[-1] > 0.3
    assert calibration.central_coverage(pit, 0.5) < 0.3


def test_the_randomised_pit_of_a_zero_spreads_over_the_mass_at_zero():
    samples = np.array([[0.0, 0.0, 0.0, 2.5]])  # P(0) = 0.75; 2.5 counts as 2
    pits = [calibration.count_pit([0.0], samples, seed=s)[0] for s in range(200)]
    assert 0 <= min(pits) and max(pits) <= 0.75
    assert 0.75 <= calibration.count_pit([2.0], samples)[0] <= 1.0
    assert calibration.count_pit([3.0], samples)[0] == 1.0


def test_closed_interval_coverage_of_a_known_distribution():
    y = np.arange(10, dtype=float)
    samples = np.tile(np.linspace(0, 9, 101), (10, 1))  # quantiles 5% and 95% are 0.45 and 8.55
    assert calibration.closed_interval_coverage(y, samples, 0.9) == pytest.approx(0.8)


def test_reliability_bins_are_equal_width_and_count_what_happened():
    p = np.array([0.05, 0.05, 0.15, 0.95, 0.95, 0.95, 0.95, 1.0])
    happened = np.array([0, 1, 0, 1, 1, 1, 0, 1])
    bins = calibration.reliability_bins(p, happened)
    assert [(b["lower"], b["rows"]) for b in bins] == [(0.0, 2), (0.1, 1), (0.9, 5)]
    assert bins[0]["observed"] == 0.5 and bins[0]["predicted"] == pytest.approx(0.05)
    assert bins[2]["observed"] == pytest.approx(0.8) and bins[2]["predicted"] == pytest.approx(0.96)


def test_quantile_recalibration_narrows_a_too_wide_forecast():
    rng = np.random.default_rng(2)
    scale = np.exp(rng.normal(1, 0.5, 6000))
    y = rng.poisson(scale).astype(float)
    # Forecast: the right centre, twice the spread (recalibration reshapes within the
    # forecast's own range of samples: it narrows and shifts, it cannot reach beyond them).
    levels = (np.arange(100) + 0.5) / 100
    samples = np.quantile(rng.poisson(scale[:, None], (6000, 200)), levels, axis=1).T
    samples = np.maximum(scale[:, None] + 2.0 * (samples - scale[:, None]), 0)
    fit, test = slice(0, 3000), slice(3000, None)
    before = calibration.count_pit(y[test], samples[test])
    recalibration = calibration.Recalibration.fit(calibration.count_pit(y[fit], samples[fit]))
    after = calibration.count_pit(y[test], recalibration.samples(samples[test]))
    assert calibration.central_coverage(before, 0.5) > 0.6
    assert calibration.central_coverage(after, 0.9) == pytest.approx(0.9, abs=calibration.COVERAGE_TOLERANCE)
    assert calibration.central_coverage(after, 0.5) == pytest.approx(0.5, abs=calibration.COVERAGE_TOLERANCE)
    # The probabilities move with the distribution: P'(>= k) = 1 - G(1 - p).
    p = (samples[test] >= 1).mean(axis=1)
    assert recalibration.probability_at_least(p) == pytest.approx(
        (recalibration.samples(samples[test]) >= 1).mean(axis=1), abs=0.05
    )


def test_identity_recalibration_changes_nothing():
    y, samples = poisson_forecasts(2.0, n_rows=50, n_samples=100)
    same = calibration.Recalibration.identity()
    assert same.samples(samples) == pytest.approx(samples)
    assert same.probability_at_least(np.array([0.2, 0.7])) == pytest.approx([0.2, 0.7])


def backtest_from(origins, steps, y, samples):
    n = len(y)
    return Backtest(
        model="m",
        origin=np.asarray(origins, dtype=np.int32),
        step=np.asarray(steps, dtype=np.int32),
        unit=np.zeros(n, dtype=int),
        month=np.asarray(origins, dtype=np.int32) + np.asarray(steps, dtype=np.int32),
        y_true=y.astype(np.float32),
        point=np.zeros(n, dtype=np.float32),
        samples=samples.astype(np.float32),
        p_ge1=(samples >= 1).mean(axis=1).astype(np.float32),
        p_ge25=(samples >= 25).mean(axis=1).astype(np.float32),
        fit_seconds=0.0,
        predict_seconds=0.0,
    )


def test_a_backtest_is_recalibrated_only_with_outcomes_known_at_each_origin():
    y, samples = poisson_forecasts(3.0, n_rows=1200, n_samples=100)
    origins = np.repeat([10, 13, 16, 19], 300)
    steps = np.tile(np.repeat([1, 3, 6], 100), 4)
    backtest = backtest_from(origins, steps, y, samples)
    # Poison the outcomes of the last origin: they must not change how the others are recalibrated.
    poisoned = backtest_from(origins, steps, np.where(origins == 19, 1000.0, y), samples)
    clean, dirty = (calibration.recalibrated_backtest(b, min_rows=100) for b in (backtest, poisoned))
    # Origin 10 has nothing known before it: warm-up. 13 knows 10's steps 1 and 3 (200 rows).
    assert sorted(set(clean.origin.tolist())) == [13, 16, 19]
    assert clean.model == "m+recalibrated"
    assert clean.samples == pytest.approx(dirty.samples)
    figures = calibration.calibration_figures(clean)
    assert set(figures["coverage"]) == {"50", "90"}
    assert figures["coverage"]["90"]["passes"] is True
    assert figures["rows"] == 900 and len(figures["pit"]) == 10
