"""`bluehelmet forecast evaluate` and `bluehelmet forecast run`."""

import json
from pathlib import Path

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from bluehelmet.earlywarning.models import ForecastRun

from .conftest import synthetic_events

GED = Path(__file__).resolve().parents[2] / "src/bluehelmet/data/ucdp/ged231_events_central_african_republic.csv"


def _panel_file(tmp_path, frame=None):
    if frame is None:
        panel = synthetic_events(n_months=40).with_columns(month=pl.col("date_start").dt.strftime("%Y-%m"))
        frame = panel.group_by("adm_1", "month").agg(pl.col("best").sum().alias("deaths"))
        grid = frame.select("adm_1").unique().join(frame.select("month").unique(), how="cross")
        frame = grid.join(frame, on=["adm_1", "month"], how="left").with_columns(pl.col("deaths").fill_null(0))
    path = tmp_path / "panel.csv"
    frame.write_csv(path)
    return path


def test_evaluate_a_panel_file_prints_one_table(tmp_path, capsys):
    path = _panel_file(tmp_path)
    call_command(
        "forecast",
        "evaluate",
        "--panel",
        str(path),
        "--unit",
        "adm_1",
        "--time",
        "month",
        "--target",
        "deaths",
        "--horizons",
        "1,3",
        "--origins",
        "2",
    )
    out = capsys.readouterr().out
    assert "4 units x 40 months; 2 origins" in out
    for name in (
        "zero",
        "last_value",
        "rolling_mean_12",
        "conflictology_12",
        "lightgbm_hurdle",
        "MSLE",
        "CRPS",
        "Brier",
    ):
        assert name in out


def test_evaluate_events_as_json(capsys):
    call_command(
        "forecast",
        "evaluate",
        "--events",
        str(GED),
        "--level",
        "country",
        "--horizons",
        "1-2",
        "--origins",
        "2",
        "--json",
    )
    result = json.loads(capsys.readouterr().out)
    assert result["units"] == 1 and result["horizons"] == [1, 2]
    assert {row["model"] for row in result["scores"]} >= {"zero", "lightgbm_hurdle"}
    assert {row["horizon"] for row in result["scores"]} == {"1", "2", "all"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "district", "--time", "month", "--target", "deaths"], "unknown column"),
        (["--unit", "adm_1", "--time", "month"], "--panel needs --target"),
        (["--unit", "adm_1", "--time", "month", "--target", "deaths", "--horizons", "1-24"], "between 1 and 12"),
    ],
)
def test_evaluate_bad_input_names_the_problem(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("forecast", "evaluate", "--panel", str(_panel_file(tmp_path)), *args)


def test_evaluate_a_panel_with_gaps(tmp_path):
    frame = pl.DataFrame({"u": ["a", "a", "b"], "m": ["2020-01", "2020-03", "2020-01"], "y": [1, 2, 3]})
    with pytest.raises(CommandError, match="gaps"):
        call_command(
            "forecast",
            "evaluate",
            "--panel",
            str(_panel_file(tmp_path, frame)),
            "--unit",
            "u",
            "--time",
            "m",
            "--target",
            "y",
        )


@pytest.mark.django_db
def test_run_command_stores_a_run(car_history, capsys):
    call_command("forecast", "run", "--mission", car_history.acronym, "--backtest-origins", "0")
    run = ForecastRun.objects.get()
    assert run.status == ForecastRun.Status.SUCCEEDED
    assert "data up to 2021-12" in capsys.readouterr().out


@pytest.mark.django_db
def test_run_command_reports_a_failure(car_history):
    with pytest.raises(CommandError, match="too little history"):
        call_command("forecast", "run", "--mission", car_history.acronym, "--cutoff", "2018-03")
    assert ForecastRun.objects.get().status == ForecastRun.Status.FAILED
    with pytest.raises(CommandError, match="no mission"):
        call_command("forecast", "run", "--mission", "NOPE")


def test_evaluate_a_panel_with_month_numbers_written_as_floats(tmp_path, capsys):
    """pandas writes an integer month column as 1.0, 2.0 ... once it held a gap: still months."""
    frame = pl.DataFrame(
        {"u": [u for u in "abc" for _ in range(30)], "m": [float(m) for _ in "abc" for m in range(1, 31)]}
    ).with_columns(y=(pl.col("m") % 4).cast(pl.Int64))
    path = _panel_file(tmp_path, frame)
    assert "1.0" in path.read_text()
    call_command(
        "forecast", "evaluate", "--panel", str(path), "--unit", "u", "--time", "m", "--target", "y",
        "--horizons", "1", "--origins", "1", "--json",
    )  # fmt: skip
    assert json.loads(capsys.readouterr().out)["months"] == 30
