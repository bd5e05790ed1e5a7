"""ViEWS's production models (views-stepshifter) in the forecast benchmark. Runs ONLY in
its own virtualenv (benchmarks/forecast/.stepshifter-venv, made by compare_views.py from
requirements-stepshifter.txt): views-stepshifter pins views_pipeline_core<3, darts,
numpy<2 and pandas<2, which neither the project nor views-baseline's venv can share.

    python stepshifter_side.py forecast PANEL.parquet CONFIG.json OUT.parquet
        Fits every model of STEPSHIFTER_MODELS (or the CONFIG's "models") at every origin on the panel cut there
        and forecasts the next steps; writes one row per (model, origin, step, unit)
        with the samples (one sample for the point models), as views_side.py does.

The model classes are driven directly, the way views-stepshifter's own StepshifterManager
drives them (config dict + partitioner dict, fit(df), predict("forecasting")), without
its data loader (which downloads ViEWS's querysets): the frame they get is our panel,
indexed (month_id, country_id), with our model's own features as the covariates (the
CONFIG's "features", computed by compare_views.py from each month and earlier only) and
the target. Stepshifter regresses the target of month t + s on the covariates of month t
(lags_past_covariates=[-s]), as our model does. Nothing here imports the project.
"""

import json
import logging
import os
import sys
import time
import warnings

os.environ.setdefault("TQDM_DISABLE", "1")  # views-stepshifter draws a progress bar per step

import numpy as np
import pandas as pd
from views_stepshifter.models.hurdle_model import HurdleModel
from views_stepshifter.models.shurf_model import ShurfModel
from views_stepshifter.models.stepshifter import StepshifterModel

# The unit index is named country_id at both levels: ShurfModel groups its samples by
# ("month_id", "country_id") by name, and the name is only a label for the others (the
# id is never a feature: views-stepshifter forces use_static_covariates=False).
UNIT = "country_id"

# Hyperparameters as ViEWS's production configs set them (views-platform/views-models,
# models/<name>/configs/config_hyperparameters.py), one thread per fit (views-stepshifter
# already runs the steps in parallel processes). "log1p" models regress log1p(target)
# and give expm1 of it back: for StepshifterModel through its own target_transform
# registry; the two-stage models accept only "identity", so they get log1p(target) as
# their target, as ViEWS's ln_ged_sb_dep models did, and we take expm1 of their output.
STEPSHIFTER_MODELS = {
    # orange_pasta (PRIO-GRID, LGBMRegressor, n_estimators 200)
    "views_stepshifter_lgbm": {
        "class": StepshifterModel,
        "log1p": True,
        "config": {"model_reg": "LGBMRegressor", "parameters": {"n_estimators": 200, "n_jobs": 1, "verbose": -1}},
    },
    # XGBRegressor stepshifter (bittersweet_symphony / yellow_pikachu family)
    "views_stepshifter_xgb": {
        "class": StepshifterModel,
        "log1p": True,
        "config": {"model_reg": "XGBRegressor", "parameters": {"n_estimators": 200, "n_jobs": 1}},
    },
    # old_money (HurdleModel, LGBMClassifier + LGBMRegressor, 200 trees each)
    "views_hurdle_lgbm": {
        "class": HurdleModel,
        "log1p": True,
        "config": {
            "model_clf": "LGBMClassifier",
            "model_reg": "LGBMRegressor",
            "parameters": {
                "clf": {"n_estimators": 200, "n_jobs": 1, "verbose": -1},
                "reg": {"n_estimators": 200, "n_jobs": 1, "verbose": -1},
            },
        },
    },
    # green_squirrel (HurdleModel, XGBRFClassifier + XGBRFRegressor, 250 trees each)
    "views_hurdle_xgbrf": {
        "class": HurdleModel,
        "log1p": True,
        "config": {
            "model_clf": "XGBRFClassifier",
            "model_reg": "XGBRFRegressor",
            "parameters": {"clf": {"n_estimators": 250, "n_jobs": 1}, "reg": {"n_estimators": 250, "n_jobs": 1}},
        },
    },
    # lovely_creature (ShurfModel, XGBClassifier + XGBRegressor on the raw count, lognormal
    # draws with sigma 0.5). ViEWS trains 50 submodels and draws 10 samples from each; in
    # views-stepshifter 1.4.0 every entry of ShurfModel._submodel_list is the same dict (the
    # last submodel's), and XGBoost's fits are deterministic (random_state 0) anyway, so one
    # submodel with 500 draws is the same predictive distribution at 1/50 of the cost.
    "views_shurf_xgb": {
        "class": ShurfModel,
        "log1p": False,
        "config": {
            "model_clf": "XGBClassifier",
            "model_reg": "XGBRegressor",
            "submodels_to_train": 1,
            "pred_samples": 500,
            "log_target": False,
            "draw_dist": "Lognormal",
            "draw_sigma": 0.5,
            "parameters": {
                "clf": {"n_estimators": 2, "max_depth": 4, "subsample": 0.2, "n_jobs": 1},
                "reg": {"n_estimators": 2, "max_depth": 4, "subsample": 0.2, "n_jobs": 1},
            },
        },
    },
}


def model_config(spec, target, horizons):
    config = {
        **spec["config"],
        "targets": [target],
        "steps": list(horizons),
        "time_steps": max(horizons),
        "sweep": False,
        "run_type": "forecasting",
        # StepshifterModel transforms the target itself; the two-stage models take only identity.
        "target_transform": "log1p" if spec["log1p"] and spec["class"] is StepshifterModel else "identity",
    }
    return config


def forecast_origin(name, spec, frame, target, origin, horizons):
    """One model fitted on the frame cut at the origin: {(step, unit): samples}."""
    history = frame[frame.index.get_level_values("month_id") <= origin].copy()
    pre_transformed = spec["log1p"] and spec["class"] is not StepshifterModel
    if pre_transformed:
        history[target] = np.log1p(history[target])
    first = int(history.index.get_level_values("month_id").min())
    partition = {"train": (first, origin), "test": (origin + 1, origin + max(horizons))}
    model = spec["class"](model_config(spec, target, horizons), partition)
    model.fit(history)
    prediction = model.predict("forecasting")
    column = f"pred_{target}"
    values = prediction[column]
    if spec["class"] is ShurfModel:
        samples = [np.asarray(v, dtype=np.float64) for v in values]
    else:
        samples = [np.atleast_1d(np.float64(v)) for v in values]
    if pre_transformed:
        samples = [np.expm1(s) for s in samples]
    # StepshifterManager cleans every forecast the same way (inf, NaN and negatives -> 0).
    samples = [np.where(np.isfinite(s) & (s > 0), s, 0.0) for s in samples]
    months = prediction.index.get_level_values("month_id").to_numpy()
    units = prediction.index.get_level_values(UNIT).to_numpy()
    return months, units, samples


def forecast(panel_path, config_path, out_path):
    config = json.load(open(config_path))
    target = config["target"]
    horizons = config["horizons"]
    frame = pd.read_parquet(panel_path).rename(columns={"unit_id": UNIT})
    frame = frame.set_index(["month_id", UNIT]).sort_index()[[*config["features"], target]].astype(np.float64)
    frames, timings = [], {}
    for name in config.get("models") or STEPSHIFTER_MODELS:
        spec = STEPSHIFTER_MODELS[name]
        np.random.seed(42)  # ShurfModel draws with NumPy's global generator
        started = time.perf_counter()
        for origin in config["origins"]:
            months, units, samples = forecast_origin(name, spec, frame, target, origin, horizons)
            keep = np.isin(months - origin, horizons)
            frames.append(
                pd.DataFrame(
                    {
                        "model": name,
                        "origin": origin,
                        "step": (months - origin)[keep],
                        "unit_id": units[keep].astype(np.int64),
                        "month_id": months[keep],
                        "samples": [s.astype(np.float32) for s, k in zip(samples, keep) if k],
                    }
                )
            )
        timings[name] = time.perf_counter() - started
        print(f"   {name}: {timings[name]:.0f} s", flush=True)
    pd.concat(frames, ignore_index=True).to_parquet(out_path)
    json.dump(timings, open(str(out_path) + ".timings.json", "w"))


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    # scikit-learn warns at every darts predict that the array has no feature names.
    warnings.filterwarnings("ignore", category=UserWarning)
    command, *args = sys.argv[1:]
    {"forecast": forecast}[command](*args)
