"""The planner's rule of thumb, to measure the optimiser against: first hold headquarters
with the strongest units that may go there, then take the units one by one, strongest
first, and base each where its patrols add the most risk not yet covered."""

from __future__ import annotations

import time

import numpy as np
import numpy.typing as npt

from .problem import UNLIMITED, Plan, Problem


def greedy_plan(problem: Problem) -> Plan:
    started = time.perf_counter()
    capacity = problem.capacity
    room = np.where(problem.site_capacity == UNLIMITED, problem.n_units, problem.site_capacity).astype(int)
    site_of_unit = np.full(problem.n_units, -1)
    covered_by = np.full(problem.n_places, -1)
    # Must-cover places first, at any cost in ordinary risk.
    weight = problem.weight.copy()
    if problem.must_cover:
        weight[problem.must_cover] += weight.sum() + 1.0
    order = sorted(range(problem.n_units), key=lambda u: -problem.strength[u])

    def patrol(u: int, j: int) -> npt.NDArray[np.intp]:
        """The places unit u would cover from site j: its `capacity` heaviest uncovered ones."""
        candidates = np.flatnonzero(problem.reach(u)[j] & (covered_by < 0))
        return candidates[np.argsort(-weight[candidates], kind="stable")][: capacity[u]]

    def base(u: int, j: int) -> None:
        site_of_unit[u] = j
        room[j] -= 1
        covered_by[patrol(u, j)] = u

    if problem.hq is not None and problem.hq_min_troops > 0:
        held = 0
        for u in order:
            if held >= problem.hq_min_troops or room[problem.hq] <= 0:
                break
            if problem.hq in set(problem.allowed_sites(u)):
                base(u, problem.hq)
                held += problem.strength[u]
    for u in order:
        if site_of_unit[u] >= 0:
            continue
        best, best_gain = -1, -1.0
        for j in problem.allowed_sites(u):
            if room[j] <= 0:
                continue
            gain = weight[patrol(u, j)].sum()
            # Ties: stay at home rather than move for nothing.
            if gain > best_gain + 1e-12 or (abs(gain - best_gain) <= 1e-12 and j == problem.home[u]):
                best, best_gain = j, gain
        if best >= 0:
            base(u, best)
    plan = Plan("greedy", site_of_unit, covered_by, problem.weight, status="heuristic", optimal=False)
    plan.objective = plan.covered_weight
    plan.seconds = time.perf_counter() - started
    return plan
