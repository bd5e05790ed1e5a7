"""Survival of spells against statsmodels: Cox PHReg (delayed entry, both ties, clustered
errors) and SurvfuncRight (Kaplan-Meier with entry times), to 1e-4."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.duration.hazard_regression import PHReg

from bluehelmet.analytics.effects import CannotEstimate
from bluehelmet.analytics.effects.survival import cox_ph, kaplan_meier


def ceasefire_spells(seed=11, n=240):
    """Spells in 40 countries; peacekeepers lower the hazard; some spells enter late and some
    are split in two rows at a half month (a term that changes during the spell). Event
    times are whole months, so ties occur; no row starts at an event time."""
    rng = np.random.default_rng(seed)
    rows = []
    for spell in range(n):
        country = spell % 40
        peacekeepers = int(rng.random() < 0.5)
        severity = rng.normal()
        hazard = 0.05 * np.exp(-0.7 * peacekeepers + 0.4 * severity)
        length = max(1, int(np.ceil(rng.exponential(1 / hazard))))
        follow_up = int(rng.integers(6, 60))
        stop, ended = (length, 1) if length <= follow_up else (follow_up, 0)
        entry = 0.5 if rng.random() < 0.2 else 0.0
        if stop > 4 and rng.random() < 0.3:
            split = np.floor(stop / 2) + 0.5
            rows.append((spell, country, entry, split, 0, peacekeepers, severity))
            rows.append((spell, country, split, stop, ended, peacekeepers, severity + 0.5))
        else:
            rows.append((spell, country, entry, stop, ended, peacekeepers, severity))
    return pd.DataFrame(rows, columns=["spell", "country", "start", "stop", "ended", "peacekeepers", "severity"])


@pytest.mark.parametrize("ties", ["breslow", "efron"])
@pytest.mark.parametrize("clustered", [True, False])
def test_cox_equals_statsmodels_phreg(ties, clustered):
    spells = ceasefire_spells()
    ours = cox_ph(
        spells,
        start="start",
        stop="stop",
        event="ended",
        terms=["peacekeepers", "severity"],
        cluster="country" if clustered else None,
        ties=ties,
    )
    model = PHReg(
        spells["stop"], spells[["peacekeepers", "severity"]], status=spells["ended"], entry=spells["start"], ties=ties
    )
    theirs = model.fit(groups=spells["country"] if clustered else None)
    assert [t.coefficient for t in ours.terms] == pytest.approx(list(theirs.params), abs=1e-4)
    assert [t.std_error for t in ours.terms] == pytest.approx(list(theirs.bse), abs=1e-4)
    assert ours.log_likelihood == pytest.approx(model.loglike(theirs.params), abs=1e-4)
    hr = ours.term("peacekeepers")
    assert hr.hazard_ratio == pytest.approx(np.exp(np.asarray(theirs.params)[0]), rel=1e-4)
    assert hr.ci_low < hr.hazard_ratio < hr.ci_high
    assert ours.n_clusters == (40 if clustered else None)


def test_efron_and_breslow_differ_with_ties():
    spells = ceasefire_spells()
    args = {"start": "start", "stop": "stop", "event": "ended", "terms": ["peacekeepers", "severity"]}
    assert cox_ph(spells, ties="efron", **args).terms[0].coefficient != pytest.approx(
        cox_ph(spells, ties="breslow", **args).terms[0].coefficient, abs=1e-4
    )


def test_rows_with_a_missing_term_are_dropped_and_counted_as_statsmodels_formulas_do():
    spells = ceasefire_spells()
    spells.loc[[3, 10, 50], "severity"] = np.nan
    ours = cox_ph(spells, start="start", stop="stop", event="ended", terms=["peacekeepers", "severity"], ties="breslow")
    theirs = PHReg.from_formula(
        "stop ~ peacekeepers + severity", spells, status="ended", entry="start", ties="breslow", missing="drop"
    ).fit()
    assert ours.n_dropped_missing == 3 and ours.n_rows == len(spells) - 3
    assert [t.coefficient for t in ours.terms] == pytest.approx(list(theirs.params), abs=1e-4)


def test_kaplan_meier_equals_statsmodels_with_entry_times():
    spells = ceasefire_spells()
    first = spells.drop_duplicates("spell")  # one row per spell, entry times kept
    first = first.assign(stop=first["stop"].where(first["stop"] > first["start"], first["start"] + 1))
    ours = kaplan_meier(first["start"], first["stop"], first["ended"])
    theirs = sm.SurvfuncRight(first["stop"], first["ended"], entry=first["start"])
    assert ours.times == pytest.approx(list(theirs.surv_times))
    assert ours.survival == pytest.approx(list(theirs.surv_prob), abs=1e-4)
    assert ours.std_errors == pytest.approx(list(theirs.surv_prob_se), abs=1e-4)
    assert ours.at_risk == list(theirs.n_risk)


def test_bad_spells_are_refused_in_plain_words():
    spells = ceasefire_spells()
    with pytest.raises(CannotEstimate, match="not in the file: troops"):
        cox_ph(spells, start="start", stop="stop", event="ended", terms=["troops"])
    bad = spells.assign(stop=spells["start"])
    with pytest.raises(CannotEstimate, match="stop after it starts"):
        cox_ph(bad, start="start", stop="stop", event="ended", terms=["peacekeepers"])
    with pytest.raises(CannotEstimate, match="without variation"):
        cox_ph(spells.assign(peacekeepers=1), start="start", stop="stop", event="ended", terms=["peacekeepers"])
    with pytest.raises(CannotEstimate, match="0 .* or 1"):
        cox_ph(spells.assign(ended=2), start="start", stop="stop", event="ended", terms=["peacekeepers"])
