"""Each run looks back at the previous one: its forecasts against what happened, and what
changed since (earlywarning.review, analytics.forecast_review)."""

import polars as pl
import pytest

from bluehelmet.analytics.forecast_review import verdicts
from bluehelmet.analytics.panel import month_id
from bluehelmet.earlywarning.models import ForecastRun, UnitForecast
from bluehelmet.earlywarning.runs import create_run, execute_run
from bluehelmet.incidents.models import AlertRule

from .conftest import SMALL_MODEL, synthetic_events


def test_verdicts_of_a_threshold():
    assert verdicts([0.9, 0.9, 0.1, 0.1, 0.5], [3, 0, 2, 0, 1], threshold=0.5) == [
        "hit",
        "false_alarm",
        "miss",
        "calm",
        "hit",
    ]


@pytest.mark.django_db
def test_a_run_reviews_the_previous_runs_next_month(car_history):
    first = execute_run(
        create_run(car_history, cutoff_month=month_id(2021, 6), backtest_origins=0, model_options=SMALL_MODEL).pk
    )
    assert first.status == ForecastRun.Status.SUCCEEDED, first.error
    assert first.review == {}  # nothing earlier to look back at
    AlertRule.objects.create(mission=car_history, name="Risk", kind=AlertRule.Kind.RISK, risk_threshold=0.6)
    second = execute_run(
        create_run(car_history, cutoff_month=month_id(2021, 7), backtest_origins=0, model_options=SMALL_MODEL).pk
    )
    assert second.status == ForecastRun.Status.SUCCEEDED, second.error
    review = second.review
    assert review["previous_run"] == first.pk and review["month"] == "2021-07"
    assert (review["threshold"], review["threshold_source"]) == (0.6, "alert_rule")
    # Every admin area is watched; its outcome is the GED fatalities of July 2021 there.
    events = synthetic_events().filter(
        (pl.col("date_start").dt.year() == 2021) & (pl.col("date_start").dt.month() == 7)
    )
    fatalities = dict(events.group_by("adm_1").agg(pl.col("best").sum()).iter_rows())
    outcome = review["levels"]["admin"]["outcome"]
    rows = {row["key"]: row for row in outcome["rows"]}
    assert set(rows) == {"Bangui province", "Haute-Kotto province", "Ouaka province", "Nana-Grébizi province"}
    for key, row in rows.items():
        assert row["observed"] == fatalities.get(key, 0)
        p_before = UnitForecast.objects.get(unit__run=first, unit__key=key, horizon=1).p_ge1
        assert row["p_ge1"] == pytest.approx(p_before, abs=1e-4)
        expected = verdicts([p_before], [row["observed"]], 0.6)[0]
        assert row["verdict"] == expected
    assert sum(outcome["counts"].values()) == 4
    # What changed: signed changes of next-month risk, each with the inputs that moved it.
    for level in ("admin", "pgm"):
        for change in review["levels"][level]["changes"]:
            after = UnitForecast.objects.get(unit__run=second, unit__level=level, unit__key=change["key"], horizon=1)
            assert change["after"] == pytest.approx(after.p_ge1, abs=1e-4)
            assert change["change"] == pytest.approx(change["after"] - change["before"], abs=2e-4)
            assert all(isinstance(name, str) for name, _value in change["drivers"])
    assert any(review["levels"][level]["changes"] for level in ("admin", "pgm"))
