"""The ViEWS side of the forecast benchmark. Runs ONLY in the benchmark's own virtualenv
(benchmarks/forecast/.views-venv, made by compare_views.py): views-baseline and
views-evaluation pin packages the project does not use (numpy<2, pandas 1.5).

    python views_side.py forecast PANEL.parquet CONFIG.json OUT.parquet
        Fits every ViEWS baseline at every origin on the panel cut there and forecasts
        the next steps; writes one row per (model, origin, step, unit) with the samples.
    python views_side.py score PREDICTIONS.parquet OUT.json
        Scores every model's forecasts with views-evaluation's own metric functions
        (its METRIC_CATALOG, parameters from its "base" profile), per step and overall.

Exchange is by Parquet files only; nothing here imports the project.
"""

import json
import logging
import sys
import time

import numpy as np
import pandas as pd
from views_baseline.model.catalog import BaselineModelCatalog
from views_evaluation import METRIC_CATALOG, PROFILES, resolve_metric_params

VIEWS_MODELS = {
    "ZeroModel": {},
    "LocfModel": {},
    "AverageModel": {"window_months": 12},
    "ConflictologyModel": {"window_months": 12, "n_samples": 256, "seed": 42},
    "MixtureBaseline": {"window_months": 12, "lambda_mix": 0.05, "n_samples": 256, "seed": 42},
    "ParametricConflictology": {"window_months": 12, "n_samples": 256, "seed": 42, "family": "nb", "transform": "none"},
    "ParametricHurdleConflictology": {
        "window_months": 12,
        "n_samples": 256,
        "seed": 42,
        "family": "lognormal",
        "transform": "log1p",
    },
}


def forecast(panel_path, config_path, out_path):
    config = json.load(open(config_path))
    loa = config["loa"]
    unit_name = "priogrid_id" if loa == "pgm" else "country_id"
    target = config["target"]
    panel = pd.read_parquet(panel_path).rename(columns={"unit_id": unit_name})
    panel = panel.set_index(["month_id", unit_name]).sort_index()
    horizons = config["horizons"]
    n_ahead = max(horizons)
    frames, timings = [], {}
    for name, options in VIEWS_MODELS.items():
        started = time.perf_counter()
        for origin in config["origins"]:
            # The model sees nothing after the origin; test_start is the month after it.
            history = panel[panel.index.get_level_values("month_id") <= origin]
            catalog = BaselineModelCatalog(
                {"regression_targets": [target], **options}, {"test": (origin + 1, origin + n_ahead)}, loa
            )
            model = catalog.get_model(name).fit(history)
            prediction = model.predict(history, sequence_number=0, output_length=n_ahead)[target]
            months = np.asarray(prediction.index.time)
            keep = np.isin(months - origin, horizons)
            frames.append(
                pd.DataFrame(
                    {
                        "model": f"views_{name}",
                        "origin": origin,
                        "step": (months - origin)[keep],
                        "unit_id": np.asarray(prediction.index.unit)[keep],
                        "month_id": months[keep],
                        "samples": list(np.asarray(prediction.values, dtype=np.float32)[keep]),
                    }
                )
            )
        timings[f"views_{name}"] = time.perf_counter() - started
    pd.concat(frames, ignore_index=True).to_parquet(out_path)
    json.dump(timings, open(str(out_path) + ".timings.json", "w"))


def _metric(name, y_true, y_pred):
    params = resolve_metric_params(name, {}, PROFILES["base"])
    return float(METRIC_CATALOG[name].function(y_true, y_pred, **params))


def views_scores(y, point, samples, p_ge1):
    """Our five metrics, each computed by views-evaluation's catalog function."""
    events = (y > 0).astype(np.int64)
    return {
        "MSE": _metric("MSE", y, point[:, None]),
        "MSLE": _metric("MSLE", y, point[:, None]),
        "CRPS": _metric("CRPS", y, samples),
        "AP": _metric("AP", events, p_ge1[:, None]),
        "Brier": _metric("Brier_cls_point", y, p_ge1[:, None]),
    }


def score(predictions_path, out_path):
    frame = pd.read_parquet(predictions_path)
    result = {}
    for model, rows in frame.groupby("model", sort=False):
        y = rows["y_true"].to_numpy(np.float64)
        point = rows["point"].to_numpy(np.float64)
        samples = np.stack(rows["samples"].to_numpy()).astype(np.float64)
        p_ge1 = rows["p_ge1"].to_numpy(np.float64)
        steps = rows["step"].to_numpy()
        result[model] = {"all": views_scores(y, point, samples, p_ge1)}
        for step in sorted(set(steps.tolist())):
            keep = steps == step
            result[model][str(step)] = views_scores(y[keep], point[keep], samples[keep], p_ge1[keep])
    json.dump(result, open(out_path, "w"))


if __name__ == "__main__":
    # The parametric models log a warning per clamped draw; the clamps are part of the model.
    logging.disable(logging.WARNING)
    command, *args = sys.argv[1:]
    {"forecast": forecast, "score": score}[command](*args)
