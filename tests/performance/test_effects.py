"""analytics.effects: the regression command against statsmodels itself, the event study on
data with a known effect, and the refusals."""

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from django.core.management import CommandError, call_command

from bluehelmet.analytics.effects import CannotEstimate, fit_count_model, rate_change, staggered_event_study
from bluehelmet.analytics.effects.count_models import FIT_OPTIONS, NEGBIN_START_ALPHA
from bluehelmet.analytics.effects.panels import cell_month_panel
from bluehelmet.core.demo import DATA_DIR

TERMS = ["troopLag", "policeLag", "militaryobserversLag"]


def sierra_leone_panel() -> pd.DataFrame:
    """The shipped Hultman-Kathman-Shannon conflict months of Sierra Leone (one conflict),
    given a second, fake cluster column so cluster-robust errors can be asked for."""
    data = pd.read_csv(DATA_DIR / "cases" / "sierra_leone_conflict_month_1991_2002.csv")
    data["year_cluster"] = data["year"]
    return data


def statsmodels_fit(data, outcome, terms, model, **cov):
    frame = data[[outcome, *terms, *([cov["group_column"]] if "group_column" in cov else [])]].dropna()
    X = sm.add_constant(frame[terms], has_constant="add")
    options = {"cov_type": "HC0"}
    if "group_column" in cov:
        options = {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(frame[cov["group_column"]])[0]}}
    if model == "poisson":
        return sm.Poisson(frame[outcome], X).fit(**FIT_OPTIONS, **options)
    start = np.append(sm.Poisson(frame[outcome], X).fit(**FIT_OPTIONS).params.to_numpy(), NEGBIN_START_ALPHA)
    return sm.NegativeBinomial(frame[outcome], X).fit(start_params=start, **FIT_OPTIONS, **options)


@pytest.mark.parametrize("model", ["negbin", "poisson"])
def test_effect_command_matches_statsmodels(tmp_path, capsys, model):
    data = sierra_leone_panel()
    path = tmp_path / "panel.csv"
    data.to_csv(path, index=False)
    call_command(
        "analyze",
        "effect",
        "--panel",
        str(path),
        "--outcome",
        "osvAll",
        "--terms",
        ",".join(TERMS),
        "--cluster",
        "year_cluster",
        "--model",
        model,
        "--json",
    )
    ours = json.loads(capsys.readouterr().out)
    theirs = statsmodels_fit(data, "osvAll", TERMS, model, group_column="year_cluster")

    assert ours["n_obs"] == theirs.nobs == 143
    assert ours["n_clusters"] == 12 and ours["covariance"] == "cluster"
    for c in ours["coefficients"]:
        assert c["estimate"] == pytest.approx(theirs.params[c["term"]], abs=1e-4)
        assert c["std_error"] == pytest.approx(theirs.bse[c["term"]], abs=1e-4)
    if model == "negbin":
        assert ours["alpha"]["estimate"] == pytest.approx(theirs.params["alpha"], abs=1e-4)
        assert ours["alpha"]["std_error"] == pytest.approx(theirs.bse["alpha"], abs=1e-4)
    assert ours["log_likelihood"] == pytest.approx(theirs.llf, abs=1e-4)
    assert ours["aic"] == pytest.approx(theirs.aic, abs=1e-4)


def test_effect_command_prints_a_table(tmp_path, capsys):
    path = tmp_path / "panel.csv"
    sierra_leone_panel().to_csv(path, index=False)
    call_command(
        "analyze", "effect", "--panel", str(path), "--outcome", "osvAll", "--terms", "troopLag", "--model", "poisson"
    )
    out = capsys.readouterr().out
    assert "Poisson regression of osvAll" in out and "troopLag" in out and "standard errors: robust" in out


def test_effect_command_refuses_bad_input(tmp_path):
    path = tmp_path / "panel.csv"
    sierra_leone_panel().iloc[90:102].to_csv(path, index=False)
    with pytest.raises(CommandError, match="too few observations"):
        call_command("analyze", "effect", "--panel", str(path), "--outcome", "osvAll", "--terms", ",".join(TERMS))
    with pytest.raises(CommandError, match="not in the data: nope"):
        call_command("analyze", "effect", "--panel", str(path), "--outcome", "osvAll", "--terms", "nope")
    with pytest.raises(CommandError, match="no such file"):
        call_command("analyze", "effect", "--panel", str(tmp_path / "missing.csv"), "--outcome", "y", "--terms", "x")


def test_one_cluster_is_refused_not_faked():
    data = sierra_leone_panel()
    with pytest.raises(CannotEstimate, match="only 1 cluster"):
        fit_count_model(data, "osvAll", TERMS, cluster="conflict_id")


def test_outcome_must_be_a_count_and_not_all_zero():
    data = pd.DataFrame({"y": [0.0] * 30, "x": np.arange(30.0)})
    with pytest.raises(CannotEstimate, match="zero"):
        fit_count_model(data, "y", ["x"])
    data["y"] = 0.5
    with pytest.raises(CannotEstimate, match="count"):
        fit_count_model(data, "y", ["x"])


def test_a_fit_that_does_not_converge_says_so():
    # Separation: every count falls where the dummy d is 1, so the MLE runs off to infinity.
    x = np.arange(40.0)
    d = (x >= 20).astype(float)
    data = pd.DataFrame({"y": np.where(d == 1, np.tile([3.0, 5.0, 7.0, 4.0], 10), 0.0), "d": d, "x": x})
    result = fit_count_model(data, "y", ["d", "x"], model="poisson")
    assert not result.reliable and not result.converged
    assert any("converge" in warning for warning in result.warnings)


def test_unit_fixed_effects_drop_all_zero_units():
    rng = np.random.default_rng(3)
    rows = [{"unit": u, "x": rng.normal(), "y": 0 if u == 0 else rng.poisson(2)} for u in range(6) for _ in range(20)]
    result = fit_count_model(pd.DataFrame(rows), "y", ["x"], model="poisson", unit_effects="unit")
    assert result.n_dropped_all_zero_units == 1 and result.n_unit_effects == 4


def test_rate_change_reads_a_coefficient():
    from bluehelmet.analytics.effects.count_models import Coefficient

    change = rate_change(Coefficient("troops", np.log(0.8), 0.05, 0, 0, 0, 0))
    assert change.percent == pytest.approx(-20.0)
    assert change.ci_low < -20 < change.ci_high < 0 and change.significant


def staggered_panel(effect=-2.0, seed=1):
    """Units opening in three waves and a never-treated group; the effect starts at opening
    and grows by 0.1 a month. Trends are common, levels differ by unit."""
    rng = np.random.default_rng(seed)
    rows = []
    for unit in range(120):
        opening = [10, 15, 20, np.nan][unit % 4]
        level = rng.normal(5, 1)
        for t in range(40):
            treated = not np.isnan(opening) and t >= opening
            y = level + 0.1 * t + (effect - 0.1 * (t - opening) if treated else 0) + rng.normal(0, 0.1)
            rows.append({"unit": unit, "t": t, "y": y, "opened": opening})
    return pd.DataFrame(rows)


def test_event_study_recovers_a_known_dynamic_effect():
    result = staggered_event_study(
        staggered_panel(), unit="unit", time="t", outcome="y", first_treated="opened", leads=5, lags=8, bootstrap=99
    )
    by_time = dict(zip(result.event_times, result.estimates))
    assert by_time[-1] == 0.0
    for e in range(-5, -1):
        assert abs(by_time[e]) < 0.1
    for e in range(0, 9):
        assert by_time[e] == pytest.approx(-2.0 - 0.1 * e, abs=0.1)
    assert result.cohort_units == {10: 30, 15: 30, 20: 30} and result.n_never_treated == 30
    assert all(se > 0 for e, se in zip(result.event_times, result.std_errors) if e != -1)
    assert result.pre_trend_p_value > 0.01


def test_event_study_refuses_an_unbalanced_panel_and_too_few_openings():
    panel = staggered_panel()
    with pytest.raises(CannotEstimate, match="balanced"):
        staggered_event_study(panel.iloc[1:], unit="unit", time="t", outcome="y", first_treated="opened")
    panel["opened"] = np.nan
    with pytest.raises(CannotEstimate, match="too few"):
        staggered_event_study(panel, unit="unit", time="t", outcome="y", first_treated="opened")


def test_cell_month_panel_carries_maps_forward_and_keeps_unknown_troops_unknown():
    events = pd.DataFrame(
        {
            "cell": [1, 1, 2],
            "period": [100, 103, 104],
            "civilian_deaths": [3, 0, 5],
            "fatalities": [3, 4, 5],
            "state_based": [False, True, False],
        }
    )
    deployments = pd.DataFrame(
        {
            "cell": [1, 2, 1],
            "period": [102, 102, 104],
            "troops": [650.0, np.nan, 800.0],
            "police": [True, False, False],
            "observers": [False, True, False],
        }
    )
    panel = cell_month_panel(events, deployments, 100, 105).set_index(["cell", "period"])
    assert panel.loc[(1, 101), "troops"] == 0  # before the first map
    assert panel.loc[(1, 103), "troops"] == pytest.approx(0.65)  # map of 102 still in force
    assert panel.loc[(1, 104), "troops_lag"] == pytest.approx(0.65)
    assert panel.loc[(1, 105), "troops"] == pytest.approx(0.8)
    assert np.isnan(panel.loc[(2, 103), "troops"])  # unknown strength stays unknown
    assert panel.loc[(2, 104), "troops"] == 0  # cell 2 is not on the map of 104
    assert panel.loc[(1, 103), "state_based_deaths"] == 4 and panel.loc[(1, 100), "civilian_deaths"] == 3
    assert panel.loc[(1, 100), "first_opened"] == 102
    assert len(panel) == 2 * 6
