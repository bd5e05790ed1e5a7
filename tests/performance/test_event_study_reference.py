"""The staggered event study against diff-diff's Callaway & Sant'Anna (2021), the Python port
of R's `did`: not-yet-treated (or never-treated) controls, universal base period, outcome
regression without covariates. Every ATT(g, t), every event-time aggregate (before opening
included) and the "simple" overall ATT must agree to 1e-6."""

import warnings

import numpy as np
import pandas as pd
import pytest

from bluehelmet.analytics.effects import staggered_event_study

diff_diff = pytest.importorskip("diff_diff")


def bases_and_months(seed=7):
    """A held-out panel of bases by month: four opening waves and never-treated bases, trends
    that differ by wave (so pre-opening estimates are not zero), an effect that grows."""
    rng = np.random.default_rng(seed)
    rows = []
    for unit in range(80):
        opening = [8, 12, 17, 23, 0][unit % 5]
        level, slope = rng.normal(5, 1), rng.normal(0.05, 0.04) + 0.02 * (unit % 5)
        for month in range(1, 31):
            treated = opening and month >= opening
            y = level + slope * month + (1.0 + 0.3 * (month - opening) if treated else 0.0) + rng.normal(0, 0.3)
            rows.append({"base": unit, "month": month, "events": y, "opened": opening})
    return pd.DataFrame(rows)


def reference(panel, control):
    estimator = diff_diff.CallawaySantAnna(
        control_group={"notyet": "not_yet_treated", "never": "never_treated"}[control],
        estimation_method="reg",
        base_period="universal",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = estimator.fit(panel, outcome="events", unit="base", time="month", first_treat="opened")
        dynamic = fitted.aggregate("event_study")
        simple = fitted.aggregate("simple")
    return fitted, dynamic, simple


@pytest.mark.parametrize("control", ["notyet", "never"])
def test_every_estimate_equals_the_reference(control):
    panel = bases_and_months()
    ours = staggered_event_study(
        panel,
        unit="base",
        time="month",
        outcome="events",
        first_treated="opened",
        leads=None,
        lags=None,
        bootstrap=20,
        control=control,
    )
    fitted, dynamic, simple = reference(panel, control)

    theirs_gt = {
        (int(g), int(t)): cell["effect"]
        for (g, t), cell in fitted.group_time_effects.items()
        if cell["effect"] is not None and np.isfinite(cell["effect"])
    }
    ours_gt = {(c.cohort, c.period): c.estimate for c in ours.group_time}
    assert set(ours_gt) == set(theirs_gt)
    for key, value in theirs_gt.items():
        assert ours_gt[key] == pytest.approx(value, abs=1e-6), key
    assert any(e < -1 for e in ours.event_times)

    theirs_e = {int(e): float(att) for e, att in zip(dynamic.event_time, dynamic.att) if np.isfinite(att)}
    ours_e = dict(zip(ours.event_times, ours.estimates))
    assert set(ours_e) == set(theirs_e)
    for e, value in theirs_e.items():
        assert ours_e[e] == pytest.approx(value, abs=1e-6), e

    assert ours.overall_att == pytest.approx(float(np.asarray(simple.att).ravel()[0]), abs=1e-6)


def test_a_cohort_is_never_its_own_control_before_opening():
    """The former mistake: for a pre-opening month t < g - 1, "not treated by max(t, g - 1)"
    took in cohort g itself; its mean change then sat on both sides of the difference."""
    panel = bases_and_months()
    ours = staggered_event_study(
        panel, unit="base", time="month", outcome="events", first_treated="opened", leads=None, lags=None, bootstrap=0
    )
    cell = next(c for c in ours.group_time if c.cohort == 17 and c.period == 5)
    # 80 bases: 16 per wave; controls are the never-treated and waves 23 (not 17 itself).
    assert (cell.n_treated, cell.n_control) == (16, 32)


def test_the_window_average_is_reported_beside_the_overall_att():
    panel = bases_and_months()
    ours = staggered_event_study(
        panel, unit="base", time="month", outcome="events", first_treated="opened", leads=3, lags=2, bootstrap=30
    )
    assert ours.event_times == [-3, -2, -1, 0, 1, 2]
    # The effect grows with time, so averaging every post-opening cell exceeds the first three months.
    assert ours.overall_att > ours.window_att
    assert ours.window_ci[0] < ours.window_att < ours.window_ci[1]
