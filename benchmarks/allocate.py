"""Allocation optimiser at mission scale: 500 places x 50 units. Target: a proven-optimal
plan, or one within 1% of optimal, in under 30 s.

    .venv/bin/python benchmarks/allocate.py [--places 500] [--units 50] [--seed 1]

The instance is synthetic but seeded from real data, no database needed:
- places: the distinct locations of the real UCDP GED events in the Central African
  Republic (shipped file), the most violent first, topped up with jittered copies when
  there are fewer than asked; each weighted by the share of the 36 months before the
  file's last event in which it had a fatal event within 10 km (the same fallback risk
  the forces pages use), plus a small floor so every place counts;
- candidate sites: every Geo-PKO site MINUSCA ever used (shipped Geo-PKO v1.2 file);
  Bangui, the mission headquarters, must hold 2,000 troops; at most 4 units per other site;
- units: the real contingents of MINUSCA's last Geo-PKO map (October 2018) at their real
  sites, topped up to 50 with contingents of the real sizes at real sites; patrol radius
  50 km, one place per 150 troops, moves of up to 400 km.

In the same run it prints the coverage of today's posture (the units where they are), of
the greedy rule of thumb, and of the optimiser, with the optimiser's gap and time.
"""

import argparse
import csv
import datetime
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bluehelmet.analytics.allocate import Problem, distance_km, evaluate_posture, greedy_plan, solve  # noqa: E402

DATA = ROOT / "src" / "bluehelmet" / "data"
GED = DATA / "ucdp" / "ged231_events_central_african_republic.csv"
GEOPKO = DATA / "geopko" / "geopko_v1_2_africa_1994_2018_location_month.csv"
TARGET_SECONDS, TARGET_GAP = 30.0, 0.01
RADIUS_KM, TROOPS_PER_PLACE, MAX_MOVE_KM, SITE_CAPACITY, HQ_TROOPS = 50.0, 150.0, 400.0, 4, 2000
RISK_MONTHS, RISK_KM = 36, 10.0


def month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def event_places(n: int, rng: random.Random) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    deaths, events = defaultdict(int), []
    with open(GED, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            point = (float(row["latitude"]), float(row["longitude"]))
            deaths[point] += int(row["best"])
            events.append((point, month_index(datetime.date.fromisoformat(row["date_start"])), int(row["best"])))
    points = sorted(deaths, key=lambda p: -deaths[p])
    while len(points) < n:
        lat, lon = rng.choice(points[: len(deaths)])
        points.append((lat + rng.uniform(-0.2, 0.2), lon + rng.uniform(-0.2, 0.2)))
    points = points[:n]
    lat, lon = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    last = max(m for _p, m, _d in events)
    fatal = [(p, m) for p, m, d in events if d > 0 and m > last - RISK_MONTHS]
    near = distance_km(lat, lon, [p[0] for p, _m in fatal], [p[1] for p, _m in fatal]) <= RISK_KM
    months = np.array([m for _p, m in fatal])
    risk = np.array([len(set(months[near[i]])) for i in range(n)]) / RISK_MONTHS
    return lat, lon, risk + 0.01


def minusca_sites_and_units(n_units: int, rng: random.Random):
    sites, contingents, last = {}, [], None
    with open(GEOPKO, newline="", encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["Mission"] == "MINUSCA"]
    for row in rows:
        sites.setdefault(row["location"], (float(row["latitude"]), float(row["longitude"])))
    last = max((int(r["year"]), int(r["month"])) for r in rows)
    for row in rows:
        if (int(row["year"]), int(row["month"])) != last:
            continue
        for k in range(1, 15):
            troops = row[f"No.troops.per.TCC{k}"]
            if row[f"name.of.TCC{k}"] not in ("", "NA") and troops.isdigit() and int(troops) > 0:
                contingents.append((row["location"], int(troops)))
    names = sorted(sites)
    contingents = sorted(set(contingents), key=lambda c: (c[0], -c[1]))[:n_units]
    sizes = [t for _s, t in contingents]
    used = sorted({s for s, _t in contingents})
    while len(contingents) < n_units:
        contingents.append((rng.choice(used), rng.choice(sizes)))
    return names, sites, contingents


def build(n_places: int, n_units: int, seed: int) -> Problem:
    rng = random.Random(seed)
    lat, lon, risk = event_places(n_places, rng)
    names, sites, contingents = minusca_sites_and_units(n_units, rng)
    index = {name: j for j, name in enumerate(names)}
    hq = index["Bangui"]
    capacity = np.full(len(names), SITE_CAPACITY)
    capacity[hq] = -1
    return Problem(
        place_lat=lat,
        place_lon=lon,
        weight=risk,
        site_lat=[sites[n][0] for n in names],
        site_lon=[sites[n][1] for n in names],
        site_capacity=capacity,
        strength=[t for _s, t in contingents],
        radius_km=np.full(n_units, RADIUS_KM),
        home=[index[s] for s, _t in contingents],
        max_move_km=np.full(n_units, MAX_MOVE_KM),
        troops_per_place=TROOPS_PER_PLACE,
        hq=hq,
        hq_min_troops=HQ_TROOPS,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=TARGET_SECONDS)
    args = parser.parse_args()

    started = time.perf_counter()
    problem = build(args.places, args.units, args.seed)
    built = time.perf_counter() - started
    print(
        f"instance: {problem.n_places} places (CAR GED event locations), {problem.n_sites} candidate sites "
        f"(MINUSCA Geo-PKO), {problem.n_units} units, {int(problem.strength.sum()):,} troops; built in {built:.2f} s"
    )

    today = evaluate_posture(problem)
    greedy = greedy_plan(problem)
    started = time.perf_counter()
    best = solve(problem, time_limit=args.time_limit, mip_rel_gap=1e-4)
    wall = time.perf_counter() - started

    def line(label, plan, extra=""):
        print(
            f"  {label:<22} {plan.share_covered:7.1%} of risk covered   {plan.places_covered:>4} places   "
            f"{plan.seconds:6.2f} s  {extra}"
        )

    print("coverage (share of total risk weight):")
    line("today's posture", today, "(units where they are)")
    line("greedy heuristic", greedy)
    gap = best.mip_gap if best.mip_gap is not None else float("nan")
    line("optimiser (HiGHS MILP)", best, f"status {best.status}, proven gap {gap:.4%}, bound {best.dual_bound:.3f}")
    moved = int((best.site_of_unit != problem.home).sum())
    print(
        f"optimiser vs greedy: {best.share_covered - greedy.share_covered:+.1%} points; "
        f"vs today: {best.share_covered - today.share_covered:+.1%} points; units moved: {moved} of {problem.n_units}"
    )
    ok = wall < TARGET_SECONDS and (best.optimal or (best.mip_gap is not None and best.mip_gap <= TARGET_GAP))
    print(
        f"target (optimal or gap <= {TARGET_GAP:.0%}, under {TARGET_SECONDS:.0f} s): {'MET' if ok else 'MISSED'} "
        f"in {wall:.2f} s wall time including model build"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
