"""Scale run: panel + 12-horizon forecast for 1,000,000 events over a continent-sized
PRIO-GRID (10,000 cells x 360 months). Target: under 5 minutes and 8 GiB on this machine.

    .venv/bin/python benchmarks/forecast/scale.py [--events 1000000] [--side 100] [--months 360]

The events are resampled from the real Central African Republic GED file: each draw is a
real event (its cell, month, type and fatalities) moved as a block with one of 200 "tiles":
a shift in space inside a 100 x 100-cell square (lat -35..15, lon -17..33) and a shift in
time inside the 360 months 1993-01 .. 2022-12, so the data keep CAR's real clustering in
space and time at continental size. Every cell of the square is a unit (most are quiet).

Timed, from the events Parquet file on disk: reading it, building the panel (Polars
sparse aggregation -> dense float32 matrices + neighbours), the features, fitting the main
model for horizons 1-12 (24 LightGBM models) and forecasting every cell with SHAP
contributions. Training keeps the model's defaults: the last 100 months (its
1,000,000-row budget over 10,000 cells) and one in ten quiet rows, weighted. Peak memory: the process's maximum resident set (resource.getrusage) and
the peak of Python/NumPy allocations (tracemalloc).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import polars as pl

# OpenMP threads that spin while waiting for a busy core slow LightGBM down badly on a
# shared 2-core machine; passive waiting keeps two threads worth having.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bluehelmet.analytics.forecast import LightGBMForecaster  # noqa: E402
from bluehelmet.analytics.geo import PRIOGRID_COLUMNS, priogrid_gid  # noqa: E402
from bluehelmet.analytics.panel import events_panel, month_id, read_ged_csv  # noqa: E402

GED = ROOT / "src" / "bluehelmet" / "data" / "ucdp" / "ged231_events_central_african_republic.csv"
TARGET_SECONDS = 300
TARGET_BYTES = 8 * 1024**3
TILES = 200


def synthetic_events(n_events: int, side: int, n_months: int, seed: int = 7) -> tuple[pl.DataFrame, np.ndarray, int]:
    rng = np.random.default_rng(seed)
    car = read_ged_csv(GED)
    first_month = month_id(2022, 12) - n_months + 1
    corner = priogrid_gid(-35.0 + 0.25, -17.0 + 0.25)  # south-west cell of the square
    car_rows = (car["priogrid_gid"].to_numpy() - 1) // PRIOGRID_COLUMNS
    car_cols = (car["priogrid_gid"].to_numpy() - 1) % PRIOGRID_COLUMNS
    local_rows, local_cols = car_rows - car_rows.min(), car_cols - car_cols.min()
    tile_dr = rng.integers(0, side - local_rows.max(), TILES)
    tile_dc = rng.integers(0, side - local_cols.max(), TILES)
    tile_dt = rng.integers(0, n_months, TILES)
    pick = rng.integers(0, car.height, n_events)
    tile = rng.integers(0, TILES, n_events)
    corner_row, corner_col = divmod(corner - 1, PRIOGRID_COLUMNS)
    gid = (
        (corner_row + local_rows[pick] + tile_dr[tile]) * PRIOGRID_COLUMNS
        + corner_col
        + local_cols[pick]
        + tile_dc[tile]
        + 1
    )
    month = first_month + (car["month_id"].to_numpy()[pick] - first_month + tile_dt[tile]) % n_months
    year, month_index = np.divmod(month - 1, 12)
    events = (
        pl.DataFrame(
            {
                "year": 1980 + year,
                "month": month_index + 1,
                "type_of_violence": car["type_of_violence"].to_numpy()[pick],
                "best": car["best"].to_numpy()[pick],
                "latitude": car["latitude"].to_numpy()[pick],
                "longitude": car["longitude"].to_numpy()[pick],
                "priogrid_gid": gid.astype(np.int32),
            }
        )
        .with_columns(date_start=pl.date(pl.col("year"), pl.col("month"), 1))
        .drop("year", "month")
    )
    units = np.array(
        [(corner_row + r) * PRIOGRID_COLUMNS + corner_col + c + 1 for r in range(side) for c in range(side)]
    )
    return events, units, first_month


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--side", type=int, default=100, help="cells per side of the square grid")
    parser.add_argument("--months", type=int, default=360)
    parser.add_argument("--threads", type=int, default=2, help="LightGBM threads")
    args = parser.parse_args()

    started = time.perf_counter()
    events, units, first_month = synthetic_events(args.events, args.side, args.months)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.parquet"
        events.write_parquet(path)
        del events
        print(
            f"generated {args.events:,} events over {len(units):,} cells x {args.months} months "
            f"in {time.perf_counter() - started:.1f} s (not timed)",
            flush=True,
        )

        tracemalloc.start()
        timings = {}
        t0 = time.perf_counter()
        events = pl.read_parquet(path)
        timings["read events"] = time.perf_counter() - t0
        t = time.perf_counter()
        panel = events_panel(
            events, "pgm", units=units, first_month=first_month, last_month=first_month + args.months - 1
        )
        del events
        timings["build panel"] = time.perf_counter() - t
        t = time.perf_counter()
        model = LightGBMForecaster(n_threads=args.threads).fit(panel)
        timings["features + fit 12 horizons"] = time.perf_counter() - t
        t = time.perf_counter()
        forecast = model.predict(contributions=True)
        timings["predict + SHAP"] = time.perf_counter() - t
        total = time.perf_counter() - t0
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB

    nonzero = float((panel.y > 0).mean())
    print(
        f"panel: {panel.y.shape[0]:,} units x {panel.y.shape[1]} months, {100 * nonzero:.1f}% unit-months with fatalities"
    )
    for step, seconds in timings.items():
        print(f"  {step:<28} {seconds:7.1f} s")
    print(f"  {'total':<28} {total:7.1f} s   (target < {TARGET_SECONDS} s)")
    print(
        f"peak memory: {max_rss / 1024**3:.2f} GiB resident (getrusage), {traced_peak / 1024**3:.2f} GiB allocated (tracemalloc)"
        f"   (target < {TARGET_BYTES / 1024**3:.0f} GiB)"
    )
    print(
        f"forecast: {forecast.point.shape[0]:,} cells x {forecast.point.shape[1]} horizons, "
        f"mean P(>=1 fatality) next month {forecast.p_ge1[:, 0].mean():.3f}"
    )
    ok = total < TARGET_SECONDS and max_rss < TARGET_BYTES
    print("within budget" if ok else "OVER BUDGET")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
