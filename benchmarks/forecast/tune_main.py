"""Choose the main model's settings on windows that end before compare_views.py's begin.

    .venv/bin/python benchmarks/forecast/tune_main.py [--levels pgm,adm1] [--origins 9] [--spacing 4]

compare_views.py evaluates origins from (last month - 12 - 3 x 12) on; here every origin
is at least 12 months before that first evaluation origin, so every month a candidate is
scored on (origin + 1 .. origin + 12) is on or before it: the evaluation windows' outcomes
are never seen while choosing. Prints MSLE and CRPS (our metric code, which agrees with
views-evaluation's) of each candidate, per level, and the candidates' ranks.
"""

import argparse
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bluehelmet.analytics.evaluate import rolling_origin, score_table  # noqa: E402
from bluehelmet.analytics.forecast import ConflictologyForecaster, LightGBMForecaster  # noqa: E402
from bluehelmet.analytics.panel import events_panel, month_id, month_label, read_ged_csv  # noqa: E402

GED = ROOT / "src" / "bluehelmet" / "data" / "ucdp" / "ged231_events_central_african_republic.csv"
HORIZONS = list(range(1, 13))
EVALUATION_ORIGINS, EVALUATION_SPACING = 13, 3  # compare_views.py's defaults

CANDIDATES: dict[str, dict[str, float | int]] = {
    "current": {},
    "more_trees": {"n_estimators": 300, "learning_rate": 0.03},
    "min_leaf_30": {"min_data_in_leaf": 30},
    "leaves_15": {"num_leaves": 15, "min_data_in_leaf": 50},
    "train_120m": {"max_train_months": 120},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="pgm,adm1")
    parser.add_argument("--origins", type=int, default=9)
    parser.add_argument("--spacing", type=int, default=4)
    parser.add_argument("--candidates", default=",".join(CANDIDATES))
    args = parser.parse_args()
    events = read_ged_csv(GED)
    for level in args.levels.split(","):
        panel = events_panel(events, level, first_month=month_id(1989, 1))
        first_evaluation_origin = panel.last_month - max(HORIZONS) - EVALUATION_SPACING * (EVALUATION_ORIGINS - 1)
        last = first_evaluation_origin - max(HORIZONS)
        origins = [last - args.spacing * k for k in range(args.origins)][::-1]
        print(
            f"\n== {level}: tuning origins {month_label(origins[0])} .. {month_label(origins[-1])} "
            f"(last outcome {month_label(origins[-1] + max(HORIZONS))}; evaluation starts at origin "
            f"{month_label(first_evaluation_origin)})",
            flush=True,
        )
        forecasters = {"conflictology": ConflictologyForecaster()}
        for name in args.candidates.split(","):
            forecasters[name] = LightGBMForecaster(HORIZONS, **CANDIDATES[name])  # type: ignore[arg-type]
        started = time.perf_counter()
        table = score_table(rolling_origin(panel, forecasters, origins, HORIZONS), HORIZONS)
        overall = table.filter(pl.col("horizon") == "all").select("model", "MSLE", "CRPS", "MSE").sort("MSLE")
        print(overall)
        print(f"   {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
