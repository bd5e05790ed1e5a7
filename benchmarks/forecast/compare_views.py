"""Our forecasters against ViEWS's baselines and its production (stepshifter) models, on the
same rolling windows, scored by the same metric code. Target (issue 19): our main model at
least 5 % better than the best of ViEWS's models on MSLE and on CRPS, on both levels, and on
a second country once its GED is loaded.

    .venv/bin/python benchmarks/forecast/compare_views.py [--levels pgm,adm1] [--origins 13]
                                                          [--spacing 3] [--keep DIR]
                                                          [--no-stepshifter] [--stepshifter-models A,B]
                                                          [--ablation | --only-ablation] [--selection-origins 8]

On the shipped UCDP GED events of the Central African Republic, at PRIO-GRID-month and
admin-1-month (units: every cell / GED adm_1 with at least one event, months 1989-01 to
2022-12, target: fatalities, best estimate):
1. builds the panel (analytics.panel) and writes it to Parquet;
2. runs our baselines and our main model rolling-origin (analytics.evaluate);
3. in benchmarks/forecast/.views-venv (created on first use from PyPI with
   requirements-views.txt), runs every views-baseline model at the same origins on the
   same panel (views_side.py forecast);
4. in benchmarks/forecast/.stepshifter-venv (created on first use with pip, not uv, from
   requirements-stepshifter.txt: views-stepshifter 1.4.0 pins views_pipeline_core<3,
   darts, numpy<2 and pandas<2, which clash with views-baseline's; torch is pinned to
   2.13.0, the CPU build pip finds on this machine's disk, so that darts does not pull
   a CUDA build of several GB), runs ViEWS's production stepshifter models (LightGBM and
   XGBoost stepshifters, the LightGBM and XGBoost-random-forest hurdles, the "shurf"
   sampling hurdle; stepshifter_side.py, configurations from ViEWS's own) at the same
   origins and horizons on the same panel, with our main model's features as their
   covariates (analytics.forecast.features: each month's from that month and earlier).
   --no-stepshifter leaves them out, --stepshifter-models picks some;
5. scores every model, ours and theirs, with views-evaluation's own functions
   (views_side.py score) and with ours, asserts the two agree, and prints the table with
   each model's fit+predict time, then the targets: ahead of every ViEWS baseline (the
   earlier target), and issue 19's, PASS or FAIL. The exit status is 0 when issue 19's
   target passes everywhere.
Every shipped GED file (src/bluehelmet/data/ucdp/ged*_events_*.csv) is a country; the
second-country target reads "not loaded" while the CAR is the only one.
6. prints the main model's calibration, raw and recalibrated (print_calibration): coverage of
   its 50 % and 90 % intervals (PASS within 5 points of nominal), PIT histogram, reliability
   of P(>= 1) and P(>= 25).

With --ablation (or --only-ablation, without the ViEWS comparison), also the ablation of
the covariate families (ablation.py): the main model with and without each, MSLE and CRPS
at both levels on the same origins, and which families are kept, by a rule applied on
--selection-origins origins before the test windows.

Point forecasts and probabilities for ViEWS's sample models are derived from their
samples the way ours are (point: expm1(mean log1p), the MSLE-optimal summary; probability
of >= 1 fatality: the share of samples above 0); their point models are one sample.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # ablation.py beside this file

from bluehelmet.analytics.calibration import (  # noqa: E402
    COVERAGE_TOLERANCE,
    INTERVAL_LEVELS,
    backtest_rows,
    calibration_figures,
    concatenate_backtests,
    recalibrated_backtest,
)
from bluehelmet.analytics.evaluate import METRICS, Backtest, format_table, rolling_origin, score_table  # noqa: E402
from bluehelmet.analytics.forecast import all_forecasters, point_from_samples  # noqa: E402
from bluehelmet.analytics.forecast.features import build_features  # noqa: E402
from bluehelmet.analytics.panel import events_panel, month_id, month_label, read_ged_csv  # noqa: E402

HERE = Path(__file__).resolve().parent
VENV = HERE / ".views-venv"
STEPSHIFTER_VENV = HERE / ".stepshifter-venv"
UCDP = ROOT / "src" / "bluehelmet" / "data" / "ucdp"
GED = UCDP / "ged231_events_central_african_republic.csv"
HORIZONS = list(range(1, 13))
MAIN = "lightgbm_hurdle"
TARGET_MARGIN = 0.05  # issue 19: at least 5 % better than the best ViEWS model


def views_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV} (views-baseline, views-evaluation from PyPI) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(HERE / "requirements-views.txt")], check=True
        )
    return python


def stepshifter_python() -> Path:
    """The stepshifter virtualenv, made with pip: pip finds torch 2.13.0 (CPU) on this disk."""
    python = STEPSHIFTER_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {STEPSHIFTER_VENV} (views-stepshifter from PyPI) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(STEPSHIFTER_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "-r", str(HERE / "requirements-stepshifter.txt")], check=True
        )
    return python


def countries() -> list[Path]:
    """Every shipped GED file, the CAR's first."""
    others = sorted(path for path in UCDP.glob("ged*_events_*.csv") if path != GED)
    return [GED, *others]


def country_name(ged: Path) -> str:
    return ged.stem.split("_events_", 1)[1].replace("_", " ")


def unit_ids(panel, level: str) -> np.ndarray:
    """Integer unit ids for ViEWS (its frames take integers): the gid, or 1.. for areas."""
    return panel.units.astype(np.int64) if level == "pgm" else np.arange(1, len(panel.units) + 1)


def views_backtests(path: Path, panel, ids: np.ndarray, origins, timings: dict) -> dict[str, Backtest]:
    """ViEWS forecasts as Backtests, rows in the same order as ours (origin, step, unit)."""
    frame = pl.read_parquet(path)
    position = {int(u): i for i, u in enumerate(ids)}
    results = {}
    for (model,), rows in frame.group_by("model", maintain_order=True):
        rows = rows.with_columns(unit=pl.col("unit_id").replace_strict(position, return_dtype=pl.Int64)).sort(
            "origin", "step", "unit"
        )
        samples = np.stack(rows["samples"].to_list()).astype(np.float64)
        y = panel.y[rows["unit"].to_numpy(), rows["month_id"].to_numpy() - panel.first_month].astype(np.float64)
        results[model] = Backtest(
            model=model,
            origin=rows["origin"].to_numpy(),
            step=rows["step"].to_numpy(),
            unit=rows["unit"].to_numpy(),
            month=rows["month_id"].to_numpy(),
            y_true=y,
            point=point_from_samples(samples) if samples.shape[1] > 1 else samples[:, 0],
            samples=samples,
            p_ge1=(samples > 0).mean(axis=1),
            p_ge25=(samples >= 25).mean(axis=1),
            fit_seconds=timings[model],
            predict_seconds=0.0,
        )
        expected = len(origins) * len(HORIZONS) * len(ids)
        assert len(rows) == expected, f"{model}: {len(rows)} forecasts, expected {expected}"
    return results


def agree(ours: pl.DataFrame, theirs: dict) -> float:
    """Largest relative difference between our scores and views-evaluation's."""
    worst = 0.0
    for row in ours.iter_rows(named=True):
        for metric in METRICS:
            a, b = row[metric], theirs[row["model"]][row["horizon"]][metric]
            if np.isnan(a) and np.isnan(b):
                continue
            worst = max(worst, abs(a - b) / max(abs(b), 1e-12))
    return worst


def write_stepshifter_panel(panel, ids: np.ndarray, path: Path) -> list[str]:
    """The panel with our main model's features, for stepshifter: each row's features come
    from its month and earlier only, so cutting the frame at an origin leaks nothing."""
    features, names = build_features(panel)  # (month, unit, feature)
    by_unit = features.transpose(1, 0, 2).reshape(-1, len(names))  # the frame's (unit, month) order
    frame = pl.DataFrame(
        {
            "month_id": np.tile(panel.months.astype(np.int64), len(ids)),
            "unit_id": np.repeat(ids, len(panel.months)),
            panel.target: panel.y.ravel().astype(np.float64),
            **{name: by_unit[:, k].astype(np.float64) for k, name in enumerate(names)},
        }
    )
    frame.write_parquet(path)
    return names


def run_level(
    ged: Path, level: str, n_origins: int, spacing: int, workdir: Path, stepshifter: bool, stepshifter_models: list[str]
) -> dict:
    """Forecast and score one country at one level; the verdicts for the two targets."""
    events = read_ged_csv(ged)
    started = time.perf_counter()
    panel = events_panel(events, level, first_month=month_id(1989, 1))
    print(
        f"\n== {country_name(ged)}, {level}: {len(panel.units)} units x {len(panel.months)} months "
        f"({month_label(panel.first_month)} to {month_label(panel.last_month)}), panel built in {time.perf_counter() - started:.2f} s"
    )
    origins = test_origins(panel, n_origins, spacing)
    print(
        f"   {len(origins)} origins {month_label(origins[0])} .. {month_label(origins[-1])} every {spacing} months, "
        f"steps 1-12: {len(origins) * 12 * len(panel.units)} forecasts per model"
    )

    ids = unit_ids(panel, level)
    stem = f"{ged.stem}_{level}"
    panel_path = workdir / f"panel_{stem}.parquet"
    panel.to_frame().with_columns(
        unit_id=pl.Series(np.repeat(ids, len(panel.months))), ged_best=pl.col("ged_best").cast(pl.Float64)
    ).select("month_id", "unit_id", "ged_best").write_parquet(panel_path)
    config = {"loa": "pgm" if level == "pgm" else "cm", "target": "ged_best", "origins": origins, "horizons": HORIZONS}
    config_path = workdir / f"config_{stem}.json"
    config_path.write_text(json.dumps(config))

    ours = rolling_origin(panel, all_forecasters(HORIZONS), origins, HORIZONS)
    python = views_python()
    views_path = workdir / f"views_{stem}.parquet"
    subprocess.run(
        [str(python), str(HERE / "views_side.py"), "forecast", str(panel_path), str(config_path), str(views_path)],
        check=True,
    )
    timings = json.loads(Path(str(views_path) + ".timings.json").read_text())
    baselines = views_backtests(views_path, panel, ids, origins, timings)
    production: dict[str, Backtest] = {}
    if stepshifter:
        features_path = workdir / f"panel_features_{stem}.parquet"
        stepshifter_config_path = workdir / f"config_stepshifter_{stem}.json"
        names = write_stepshifter_panel(panel, ids, features_path)
        stepshifter_config_path.write_text(json.dumps({**config, "features": names, "models": stepshifter_models}))
        stepshifter_path = workdir / f"stepshifter_{stem}.parquet"
        print(f"   ViEWS stepshifter models, {len(names)} covariates (our model's features):", flush=True)
        subprocess.run(
            [
                str(stepshifter_python()),
                str(HERE / "stepshifter_side.py"),
                "forecast",
                str(features_path),
                str(stepshifter_config_path),
                str(stepshifter_path),
            ],
            check=True,
        )
        stepshifter_timings = json.loads(Path(str(stepshifter_path) + ".timings.json").read_text())
        production = views_backtests(stepshifter_path, panel, ids, origins, stepshifter_timings)
    backtests = {**baselines, **production, **ours}

    predictions_path = workdir / f"predictions_{stem}.parquet"
    pl.concat([b.to_frame() for b in backtests.values()], how="vertical_relaxed").write_parquet(predictions_path)
    scores_path = workdir / f"views_scores_{stem}.json"
    subprocess.run(
        [str(python), str(HERE / "views_side.py"), "score", str(predictions_path), str(scores_path)], check=True
    )
    table = score_table(backtests, HORIZONS)
    difference = agree(table, json.loads(scores_path.read_text()))
    assert difference < 1e-9, f"our metrics and views-evaluation's differ by up to {difference:.3g} (relative)"

    overall = table.filter(pl.col("horizon") == "all").sort("MSLE")
    seconds = {name: b.fit_seconds + b.predict_seconds for name, b in backtests.items()}
    print(format_table(overall, seconds))
    print(f"   metrics: ours and views-evaluation's agree (largest relative difference {difference:.1e})")
    strongest = [MAIN, "views_ConflictologyModel", "views_ZeroModel"]
    if production:
        best_production = overall.filter(pl.col("model").is_in(list(production))).row(0, named=True)["model"]
        strongest.append(best_production)
    per_step = table.filter(pl.col("model").is_in(strongest) & pl.col("horizon").is_in(["1", "3", "6", "12"]))
    print("   by horizon (main model and the strongest ViEWS models):")
    print(format_table(per_step.sort("horizon", "MSLE")))

    main = overall.filter(pl.col("model") == MAIN).row(0, named=True)
    baseline_rows = overall.filter(pl.col("model").is_in(list(baselines)))
    ahead_of_baselines = True
    for metric in ("MSLE", "CRPS"):
        best = baseline_rows.sort(metric).row(0, named=True)
        ahead = main[metric] < best[metric]
        ahead_of_baselines &= ahead
        print(
            f"   {metric}: {MAIN} {main[metric]:.4f} vs best ViEWS baseline {best['model']} {best[metric]:.4f} "
            f"-> {'AHEAD' if ahead else 'BEHIND'} by {100 * (best[metric] - main[metric]) / best[metric]:+.1f}%"
        )
    views_rows = overall.filter(pl.col("model").is_in([*baselines, *production]))
    target = {}
    for metric in ("MSLE", "CRPS"):
        best = views_rows.sort(metric).row(0, named=True)
        margin = (best[metric] - main[metric]) / best[metric]
        target[metric] = margin >= TARGET_MARGIN
        print(
            f"   target {metric}: {MAIN} {main[metric]:.4f} vs best ViEWS model {best['model']} {best[metric]:.4f}: "
            f"{100 * margin:+.1f}% (needs +{100 * TARGET_MARGIN:.0f}%) -> {'PASS' if target[metric] else 'FAIL'}"
        )
    # Calibration prints its own PASS/FAIL line; the exit status stays the targets'.
    print_calibration(panel, ours[MAIN], origins, spacing)
    return {"ahead_of_baselines": ahead_of_baselines, "target": target, "stepshifter": bool(production)}


# --- Calibration (issue 19, part 2) -------------------------------------------------------

WARMUP_ORIGINS = 4  # origins before the first scored one, 12 months at spacing 3: every step known


def print_calibration(panel, main: Backtest, origins: list[int], spacing: int) -> bool:
    """Calibration of the main model's distributions, raw and recalibrated. Each origin's
    forecasts are recalibrated on the forecasts of earlier origins whose outcomes were known
    at that origin (analytics.calibration.recalibrated_backtest); the main model is also run
    at WARMUP_ORIGINS origins before the first scored one, so that every scored origin has a
    window. Prints coverage of the 50 % and 90 % intervals with PASS/FAIL (within 5 points),
    the PIT histogram and the reliability bins of P(>= 1) and P(>= 25)."""
    warmup_origins = [origins[0] - spacing * k for k in range(WARMUP_ORIGINS, 0, -1)]
    warmup = rolling_origin(panel, {MAIN: all_forecasters(HORIZONS)[MAIN]}, warmup_origins, HORIZONS)[MAIN]
    recalibrated = recalibrated_backtest(concatenate_backtests([warmup, main]))
    recalibrated_scored = backtest_rows(recalibrated, np.isin(recalibrated.origin, origins))
    print(
        f"   calibration of {MAIN} over the {len(origins)} scored origins ({len(main.y_true)} forecasts; "
        f"recalibration window: earlier forecasts with known outcomes, {WARMUP_ORIGINS} warm-up origins):"
    )
    passed = True
    for label, backtest in (("raw", main), ("recalibrated", recalibrated_scored)):
        figures = calibration_figures(backtest)
        cells = []
        for level in INTERVAL_LEVELS:
            coverage = figures["coverage"][f"{round(level * 100)}"]
            mark = "PASS" if coverage["passes"] else "FAIL"
            cells.append(
                f"{round(level * 100)}% interval covers {100 * coverage['observed']:.1f}% -> {mark} "
                f"(closed interval {100 * coverage['closed_interval']:.1f}%)"
            )
            if label == "recalibrated":
                passed &= coverage["passes"]
        print(f"   {label:>12}: " + "; ".join(cells))
        print(
            f"   {'':>12}  PIT histogram (10 bins, 10.0 each if calibrated): "
            + " ".join(f"{100 * v:.1f}" for v in figures["pit"])
        )
        for key, name in (("reliability_ge1", "P(>=1)"), ("reliability_ge25", "P(>=25)")):
            bins = " ".join(
                f"[{b['lower']:.1f}-{b['upper']:.1f}: {b['predicted']:.2f}/{b['observed']:.2f} n={b['rows']}]"
                for b in figures[key]
            )
            print(f"   {'':>12}  reliability {name} (bin: forecast/observed): {bins}")
    print(
        f"   calibration target (recalibrated {' and '.join(f'{round(100 * level)}%' for level in INTERVAL_LEVELS)} "
        f"within {round(100 * COVERAGE_TOLERANCE)} points of nominal): {'PASS' if passed else 'FAIL'}"
    )
    return passed


def test_origins(panel, n_origins: int, spacing: int) -> list[int]:
    """The comparison's origins: `n_origins`, `spacing` months apart, the last one 12 months before the panel's end."""
    last_origin = panel.last_month - max(HORIZONS)
    return [last_origin - spacing * k for k in range(n_origins)][::-1]


def ablation_section(levels: list[str], n_origins: int, spacing: int, n_selection: int) -> None:
    """The covariate ablation on the same panels and origins as the comparison (ablation.py)."""
    from ablation import run_ablation

    events = read_ged_csv(GED)
    panels = {level: events_panel(events, level, first_month=month_id(1989, 1)) for level in levels}
    run_ablation(
        panels,
        {level: test_origins(panel, n_origins, spacing) for level, panel in panels.items()},
        n_selection,
        spacing,
        HORIZONS,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="pgm,adm1")
    parser.add_argument("--origins", type=int, default=13)
    parser.add_argument("--spacing", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the exchanged Parquet files in this directory")
    parser.add_argument("--ablation", action="store_true", help="also the ablation of the covariate families")
    parser.add_argument("--only-ablation", action="store_true", help="the ablation alone, no ViEWS comparison")
    parser.add_argument("--selection-origins", type=int, default=8, help="ablation: origins of the selection windows")
    parser.add_argument(
        "--no-stepshifter", action="store_true", help="leave out ViEWS's stepshifter models (and their virtualenv)"
    )
    parser.add_argument(
        "--stepshifter-models",
        default="",
        help="comma-separated names from stepshifter_side.STEPSHIFTER_MODELS (default: all of them)",
    )
    args = parser.parse_args()
    stepshifter_models = [name for name in args.stepshifter_models.split(",") if name]
    started = time.perf_counter()
    if args.only_ablation:
        ablation_section(args.levels.split(","), args.origins, args.spacing, args.selection_origins)
        print(f"\ntotal {time.perf_counter() - started:.0f} s")
        return
    levels = args.levels.split(",")
    geds = countries()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = {
            (ged, level): run_level(
                ged, level, args.origins, args.spacing, workdir, not args.no_stepshifter, stepshifter_models
            )
            for ged in geds
            for level in levels
        }
    car = {level: results[(GED, level)] for level in levels}
    if args.ablation:
        ablation_section(levels, args.origins, args.spacing, args.selection_origins)
    print(
        f"\ntotal {time.perf_counter() - started:.0f} s; main model ahead of every ViEWS baseline on MSLE and CRPS: "
        + ", ".join(f"{level} {'yes' if result['ahead_of_baselines'] else 'NO'}" for level, result in car.items())
    )
    print(
        f"issue 19 target: {MAIN} at least {100 * TARGET_MARGIN:.0f}% better than the best ViEWS model on MSLE and CRPS"
    )
    if args.no_stepshifter:
        print("   (stepshifter left out: the best ViEWS model is the best baseline)")
    verdicts = []
    for (ged, level), result in results.items():
        passed = all(result["target"].values())
        verdicts.append(passed)
        detail = ", ".join(f"{metric} {'PASS' if ok else 'FAIL'}" for metric, ok in result["target"].items())
        print(f"   {country_name(ged)} {level}: {'PASS' if passed else 'FAIL'} ({detail})")
    if len(geds) == 1:
        print("   second country: not loaded (only the CAR's GED is in src/bluehelmet/data/ucdp)")
    sys.exit(0 if all(verdicts) else 1)


if __name__ == "__main__":
    main()
