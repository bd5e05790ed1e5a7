"""`bluehelmet analyze event-study` and `bluehelmet analyze survival` on files (CSV and
Parquet), against the library functions, and their refusals."""

import json

import numpy as np
import polars as pl
import pytest
from django.core.management import CommandError, call_command

from bluehelmet.analytics.effects import staggered_event_study
from bluehelmet.analytics.effects.survival import cox_ph

from .test_event_study_reference import bases_and_months
from .test_survival import ceasefire_spells


def _study_args(path, *extra):
    return [
        "analyze", "event-study", "--panel", str(path), "--unit", "base", "--time", "month",
        "--outcome", "events", "--first-treated", "opened", "--bootstrap", "20", *extra,
    ]  # fmt: skip


def test_event_study_command_reads_float_months_and_empty_never_treated(tmp_path, capsys):
    panel = bases_and_months()
    written = panel.assign(month=panel["month"].astype(float), opened=panel["opened"].replace(0, np.nan))
    path = tmp_path / "panel.csv"
    written.to_csv(path, index=False)  # months written as 1.0, 2.0 ...; never treated as empty
    assert "1.0," in path.read_text()
    call_command(*_study_args(path, "--leads", "4", "--lags", "3", "--json"))
    out = json.loads(capsys.readouterr().out)
    expected = staggered_event_study(
        panel, unit="base", time="month", outcome="events", first_treated="opened", leads=4, lags=3, bootstrap=20
    )
    assert [row["event_time"] for row in out["event_times"]] == [-4, -3, -2, -1, 0, 1, 2, 3]
    assert [row["estimate"] for row in out["event_times"]] == pytest.approx(expected.estimates)
    assert all({"std_error", "ci_low", "ci_high"} <= set(row) for row in out["event_times"])
    assert out["overall_att"]["estimate"] == pytest.approx(expected.overall_att)
    assert out["window_att"]["estimate"] == pytest.approx(expected.window_att)
    assert "simple" in out["overall_att"]["aggregation"] and "window" in out["window_att"]["aggregation"]
    assert out["pre_trend_test"]["df"] == 3 and 0 <= out["pre_trend_test"]["p_value"] <= 1
    assert out["cohorts"] == [{"first_treated": g, "units": 16} for g in (8, 12, 17, 23)]
    assert out["never_treated_units"] == 16


def test_event_study_command_reads_parquet_and_prints_a_table(tmp_path, capsys):
    path = tmp_path / "panel.parquet"
    pl.from_dict(bases_and_months().to_dict(orient="list")).write_parquet(path)
    call_command(*_study_args(path, "--control", "never", "--lags", "2"))
    out = capsys.readouterr().out
    assert "controls: never treated" in out and "overall ATT (simple" in out and "window" in out


def test_event_study_command_refuses_bad_input(tmp_path):
    panel = bases_and_months()
    path = tmp_path / "panel.csv"
    panel.assign(month=panel["month"] + 0.5).to_csv(path, index=False)
    with pytest.raises(CommandError, match="whole numbers"):
        call_command(*_study_args(path))
    panel.to_csv(path, index=False)
    with pytest.raises(CommandError, match="column nope not in the panel"):
        call_command(*_study_args(path, "--outcome", "nope"))
    with pytest.raises(CommandError, match="no such file"):
        call_command(*_study_args(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="zero or more"):
        call_command(*_study_args(path, "--leads", "-2"))
    with pytest.raises(CommandError, match="control group must be one of|invalid choice"):
        call_command(*_study_args(path, "--control", "sometimes"))


def test_survival_command_matches_the_library_and_counts_dropped_rows(tmp_path, capsys):
    spells = ceasefire_spells()
    spells.loc[[0, 7], "severity"] = np.nan
    path = tmp_path / "spells.csv"
    spells.to_csv(path, index=False)
    call_command(
        "analyze", "survival", "--spells", str(path), "--start", "start", "--stop", "stop", "--event", "ended",
        "--terms", "peacekeepers,severity", "--cluster", "country", "--ties", "breslow",
        "--curves", "peacekeepers", "--json",
    )  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    expected = cox_ph(
        spells, start="start", stop="stop", event="ended", terms=["peacekeepers", "severity"], cluster="country",
        ties="breslow",
    )  # fmt: skip
    assert out["cox"]["n_dropped_missing"] == 2
    assert [t["hazard_ratio"] for t in out["cox"]["terms"]] == pytest.approx([t.hazard_ratio for t in expected.terms])
    assert [c["label"] for c in out["kaplan_meier"]] == ["0", "1"]
    call_command(
        "analyze", "survival", "--spells", str(path), "--start", "start", "--stop", "stop", "--event", "ended",
        "--terms", "peacekeepers", "--cluster", "country",
    )  # fmt: skip
    table = capsys.readouterr().out
    assert "efron ties" in table and "cluster-robust (country), 40 clusters" in table and "peacekeepers" in table


def test_survival_command_refuses_bad_input(tmp_path):
    path = tmp_path / "spells.csv"
    ceasefire_spells().to_csv(path, index=False)
    base = ["analyze", "survival", "--spells", str(path), "--start", "start", "--stop", "stop", "--event", "ended"]
    with pytest.raises(CommandError, match="not in the file: troops"):
        call_command(*base, "--terms", "troops")
    path.write_text("start,stop,ended,x\n0,0,1,1\n")
    with pytest.raises(CommandError, match="stop after it starts"):
        call_command(*base, "--terms", "x")
