"""Maximal covering location with unit capacities, solved as a MILP with HiGHS.

Interchangeable units (same strength, radius, home and max move) form groups g.
Variables
  n[g,j]    integer  how many units of group g are based at site j (sites within max move)
  w[r,j,i]  [0,1]    patrols from site j to place i by units of patrol radius r (i within r)
  y[i]      [0,1]    place i is covered
Constraints
  sum_j n[g,j] = |g|                        every unit has one base
  sum_g n[g,j] <= capacity[j]               at most k units per site
  sum_g strength[g] n[g,hq] >= hq_min       minimum presence at headquarters
  sum_i w[r,j,i] <= sum_g cap[g] n[g,j]     patrols within the capacity of the units there
  w[r,j,i] <= sum_g n[g,j]                  (no patrols from an empty site: a tighter bound)
  y[i] <= sum w[.,.,i];  y[i] = 1 when i must be covered
Objective
  max sum_i weight[i] y[i], minus a tie-breaker of at most 1e-6 of the total weight that
  prefers leaving units where they are when moving them gains nothing.

Given integral n, the rest is a bipartite flow, so y comes out integral without being
declared so: only n carries integrality. The greedy plan is passed as the first incumbent.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt
from scipy import sparse

from .greedy import greedy_plan
from .problem import UNLIMITED, Plan, Problem

TIE_BREAK_SHARE = 1e-6

_banner_lock = threading.Lock()
_banner_shown = False


def _silence_licence_banner() -> None:
    """HiGHS prints its version and licence banner on the process's standard output (file
    descriptor 1, from C++: `output_flag` is set too late to stop it) the first time a solver is
    made. Make that first solver with descriptor 1 pointed at /dev/null, once per process, so the
    banner does not land in the middle of a command's output (the demo's, for one)."""
    global _banner_shown
    with _banner_lock:
        if _banner_shown:
            return
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
                highspy.Highs()  # type: ignore[no-untyped-call]  # highspy leaves Highs.__init__ unannotated
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True


@dataclass(frozen=True)
class Violation:
    """A constraint that cannot be met. `index` is the unit (unit_placement), site
    (site_capacity, hq_presence) or place (must_cover); `shortfall` by how much it fails
    (units, troops or places); `reason` a short code of why, for the caller's message."""

    constraint: str
    index: int | None
    shortfall: float
    reason: str = ""


class Infeasible(Exception):
    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(
            "; ".join(f"{v.constraint}[{v.index}] short by {v.shortfall:g} ({v.reason})" for v in violations)
        )


class _Model:
    """Columns and rows gathered as arrays, passed to HiGHS in one piece."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.rows_i: list[int] = []
        self.cols_i: list[int] = []
        self.vals: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []

    def col(self, cost: float = 0.0, lower: float = 0.0, upper: float = 1.0, integer: bool = False) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(
        self, cols: list[int], vals: list[float], lower: float = -highspy.kHighsInf, upper: float = highspy.kHighsInf
    ) -> int:
        r = len(self.row_lower)
        self.rows_i.extend([r] * len(cols))
        self.cols_i.extend(cols)
        self.vals.extend(vals)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        return r

    def solve(
        self, time_limit: float, mip_rel_gap: float, start: npt.NDArray[np.float64] | None = None
    ) -> tuple[highspy.Highs, float]:
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(self.cost), len(self.row_lower)
        lp.col_cost_ = np.array(self.cost, dtype=float)
        lp.col_lower_ = np.array(self.lower, dtype=float)
        lp.col_upper_ = np.array(self.upper, dtype=float)
        lp.row_lower_ = np.array(self.row_lower, dtype=float)
        lp.row_upper_ = np.array(self.row_upper, dtype=float)
        matrix = sparse.csc_matrix((self.vals, (self.rows_i, self.cols_i)), shape=(lp.num_row_, lp.num_col_))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        if any(self.integer):
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in self.integer
            ]
        _silence_licence_banner()
        highs = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy leaves Highs.__init__ unannotated
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", float(time_limit))
        highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        highs.passModel(lp)
        if start is not None:
            solution = highspy.HighsSolution()
            solution.col_value = start
            solution.value_valid = True
            highs.setSolution(solution)
        started = time.perf_counter()
        highs.run()
        return highs, time.perf_counter() - started


def unit_groups(problem: Problem) -> list[list[int]]:
    """Units that are interchangeable (same strength, radius, home and max move), so the
    model counts how many of each group go where instead of telling identical units
    apart: the same plans, without the symmetric copies that slow branch and bound."""
    groups: dict[tuple[float, float, int, float], list[int]] = {}
    for u in range(problem.n_units):
        key = (problem.strength[u], problem.radius_km[u], int(problem.home[u]), problem.max_move_km[u])
        groups.setdefault(key, []).append(u)
    return list(groups.values())


@dataclass
class _Built:
    model: _Model
    groups: list[list[int]]
    n: dict[tuple[int, int], int]  # (group, site) -> column: how many of the group's units are based there
    w: dict[tuple[float, int, int], int]  # (radius class, site, place) -> column: patrols from the site to the place
    y: dict[int, int]  # place -> column
    slacks: dict[tuple[str, int], int]  # (constraint, index) -> column


def _build(problem: Problem, mode: str) -> _Built:
    """mode: "plan" (the MILP), "posture" (units fixed at home, no rules: how much today's
    posture covers) or "elastic" (every rule softened by a slack, minimise the slacks).

    Units at one site with the same patrol radius pool their patrol capacity: any split of
    the pooled patrols among them is feasible, so the model plans per site and radius
    (w) and hands the patrols to units afterwards."""
    m = _Model()
    groups = unit_groups(problem)
    capacity = problem.capacity
    total = problem.weight.sum()
    max_move = max(float(problem.site_site_km.max()), 1.0) if problem.n_sites else 1.0
    tie_break = TIE_BREAK_SHARE * total / max(problem.n_units, 1) / max_move if mode == "plan" else 0.0
    n: dict[tuple[int, int], int] = {}
    slacks: dict[tuple[str, int], int] = {}
    for g, units in enumerate(groups):
        u = units[0]
        sites: list[int] | npt.NDArray[np.intp]
        if mode == "posture":
            sites = [problem.home[u]] if problem.home[u] >= 0 else []
        else:
            sites = problem.allowed_sites(u)
        move = problem.move_km(u)
        for j in sites:
            fixed = len(units) if mode == "posture" else 0
            n[g, int(j)] = m.col(cost=tie_break * move[j], lower=fixed, upper=len(units), integer=mode != "posture")
    at_site: list[list[tuple[int, int]]] = [[] for _ in range(problem.n_sites)]
    for (g, j), col in n.items():
        at_site[j].append((g, col))
    if mode != "posture":
        # every unit has one base
        for g, units in enumerate(groups):
            cols = [n[g, int(j)] for j in problem.allowed_sites(units[0])]
            vals = [1.0] * len(cols)
            if mode == "elastic":
                slacks["unit_placement", units[0]] = s = m.col(cost=1.0, upper=len(units))
                cols, vals = cols + [s], vals + [1.0]
            m.row(cols, vals, lower=len(units), upper=len(units))
        # at most k units per site
        for j in range(problem.n_sites):
            if problem.site_capacity[j] == UNLIMITED or not at_site[j]:
                continue
            cols, vals = [col for _g, col in at_site[j]], [1.0] * len(at_site[j])
            if mode == "elastic":
                slacks["site_capacity", j] = s = m.col(cost=1.0, upper=highspy.kHighsInf)
                cols, vals = cols + [s], vals + [-1.0]
            m.row(cols, vals, upper=float(problem.site_capacity[j]))
        # minimum presence at headquarters
        if problem.hq is not None and problem.hq_min_troops > 0:
            cols = [col for _g, col in at_site[problem.hq]]
            vals = [float(problem.strength[groups[g][0]]) for g, _col in at_site[problem.hq]]
            if mode == "elastic":
                # Falling one hq_min short costs as much as leaving one unit unplaced.
                slacks["hq_presence", problem.hq] = s = m.col(cost=1.0 / problem.hq_min_troops, upper=highspy.kHighsInf)
                cols, vals = cols + [s], vals + [1.0]
            m.row(cols, vals, lower=float(problem.hq_min_troops))
    # patrols from each site, per radius class, within the capacity of the units there
    w: dict[tuple[float, int, int], int] = {}
    cover_cols: list[list[int]] = [[] for _ in range(problem.n_places)]
    for radius in sorted(set(problem.radius_km.tolist())):
        reach = problem.site_place_km <= radius + 1e-9
        for j in range(problem.n_sites):
            based = [(g, col) for g, col in at_site[j] if problem.radius_km[groups[g][0]] == radius]
            if not based:
                continue
            patrols = []
            for i in map(int, np.flatnonzero(reach[j])):
                w[radius, j, i] = col = m.col()
                patrols.append(col)
                cover_cols[i].append(col)
                # No patrol from a site without units (tightens the relaxation).
                m.row([col] + [c for _g, c in based], [1.0] + [-1.0] * len(based), upper=0.0)
            if patrols:
                m.row(
                    patrols + [c for _g, c in based],
                    [1.0] * len(patrols) + [-float(capacity[groups[g][0]]) for g, _c in based],
                    upper=0.0,
                )
    must = set(problem.must_cover) if mode != "posture" else set()
    y: dict[int, int] = {}
    for i in range(problem.n_places):
        if not cover_cols[i]:
            continue
        lower = 1.0 if (i in must and mode == "plan") else 0.0
        y[i] = col = m.col(cost=-problem.weight[i] if mode != "elastic" else 0.0, lower=lower)
        m.row([col] + cover_cols[i], [1.0] + [-1.0] * len(cover_cols[i]), upper=0.0)
        if mode == "elastic" and i in must:
            slacks["must_cover", i] = s = m.col(cost=1.0)
            m.row([col, s], [1.0, 1.0], lower=1.0)
    return _Built(m, groups, n, w, y, slacks)


def _plan_from(problem: Problem, built: _Built, values: Sequence[float] | npt.NDArray[np.float64], method: str) -> Plan:
    """Units to sites from the group counts (units stay home where their group's count
    allows), then each covered place to a unit at a site that patrols it."""
    site_of_unit = np.full(problem.n_units, -1)
    for g, units in enumerate(built.groups):
        counts = {j: int(round(values[col])) for (gg, j), col in built.n.items() if gg == g and values[col] > 0.5}
        home = problem.home[units[0]]
        order = sorted(counts, key=lambda j: j != home)
        queue = [j for j in order for _ in range(counts[j])]
        for u, j in zip(units, queue):
            site_of_unit[u] = j
    left = problem.capacity.copy()
    covered_by = np.full(problem.n_places, -1)
    patrols_to: dict[int, list[tuple[float, float, int]]] = {}
    for (radius, j, i), c in built.w.items():
        if values[c] > 1e-6:
            patrols_to.setdefault(i, []).append((values[c], radius, j))
    for i, col in built.y.items():
        if values[col] < 0.5:
            continue
        patrols = sorted(patrols_to.get(i, []), reverse=True)
        for _value, radius, j in patrols:
            free = [u for u in np.flatnonzero(site_of_unit == j) if problem.radius_km[u] == radius and left[u] > 0]
            if free:
                covered_by[i] = free[0]
                left[free[0]] -= 1
                break
    return Plan(method=method, site_of_unit=site_of_unit, covered_by=covered_by, weight=problem.weight)


def _start_from(problem: Problem, built: _Built, plan: Plan) -> npt.NDArray[np.float64] | None:
    """A plan (the greedy one) as a starting solution of the MILP, so the solver's first
    incumbent is never worse than the rule of thumb."""
    values = np.zeros(len(built.model.cost))
    for g, units in enumerate(built.groups):
        for u in units:
            j = plan.site_of_unit[u]
            if j < 0 or (g, j) not in built.n:
                return None
            values[built.n[g, j]] += 1
    for i, u in enumerate(plan.covered_by):
        if u < 0:
            continue
        key = (problem.radius_km[u], plan.site_of_unit[u], i)
        if key not in built.w or i not in built.y:
            return None
        values[built.w[key]] = 1.0
        values[built.y[i]] = 1.0
    return values


def unreachable_violations(problem: Problem) -> list[Violation]:
    """Rules that fail on their own, each found without a solver: the clearest messages."""
    violations = []
    capacity = problem.site_capacity
    for u in range(problem.n_units):
        allowed = problem.allowed_sites(u)
        if len(allowed) == 0:
            violations.append(Violation("unit_placement", u, 1, "no_site_within_max_move"))
    if (capacity != UNLIMITED).all() and capacity.sum() < problem.n_units:
        violations.append(
            Violation("site_capacity", None, problem.n_units - int(capacity.sum()), "too_few_places_at_sites")
        )
    if problem.hq is not None and problem.hq_min_troops > 0:
        can_reach = sum(
            problem.strength[u] for u in range(problem.n_units) if problem.hq in set(problem.allowed_sites(u))
        )
        if can_reach < problem.hq_min_troops:
            violations.append(
                Violation(
                    "hq_presence", problem.hq, problem.hq_min_troops - can_reach, "not_enough_troops_can_reach_hq"
                )
            )
    for i in problem.must_cover:
        reachable = any(problem.reach(u)[problem.allowed_sites(u), i].any() for u in range(problem.n_units))
        if not reachable:
            violations.append(Violation("must_cover", i, 1, "no_unit_can_reach"))
    return violations


def diagnose(problem: Problem, time_limit: float = 10.0) -> list[Violation]:
    """Why the rules cannot all be met: first each rule alone, then (for rules that only
    clash together) an elastic copy of the model that may break each rule at a cost; the
    rules it breaks at least cost are reported."""
    violations = unreachable_violations(problem)
    if violations:
        return violations
    built = _build(problem, "elastic")
    highs, _seconds = built.model.solve(time_limit, 1e-6)
    values = highs.getSolution().col_value
    reasons = {
        "unit_placement": "rules_leave_no_site",
        "site_capacity": "site_full",
        "hq_presence": "too_few_troops_at_hq",
        "must_cover": "rules_leave_no_unit",
    }
    return [
        Violation(constraint, index, float(values[col]), reasons[constraint])
        for (constraint, index), col in built.slacks.items()
        if values[col] > 1e-6
    ]


def solve(problem: Problem, *, time_limit: float = 30.0, mip_rel_gap: float = 1e-4) -> Plan:
    """The plan that covers the most weighted risk under the rules, optimal or with its
    proven gap when the time limit stops the search. Raises Infeasible, naming the rules
    that cannot be met, when no plan meets them all."""
    early = unreachable_violations(problem)
    if early:
        raise Infeasible(early)
    built = _build(problem, "plan")
    start = _start_from(problem, built, greedy_plan(problem))
    highs, seconds = built.model.solve(time_limit, mip_rel_gap, start)
    status = highs.getModelStatus()
    info = highs.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        raise Infeasible(diagnose(problem, time_limit))
    solution = highs.getSolution()
    if not solution.value_valid:
        # Stopped (time limit) before finding any plan: say so rather than guess.
        raise TimeoutError(f"no plan found within {time_limit:g} s ({highs.modelStatusToString(status)})")
    plan = _plan_from(problem, built, solution.col_value, "milp")
    plan.optimal = status == highspy.HighsModelStatus.kOptimal
    plan.status = highs.modelStatusToString(status)
    plan.objective = plan.covered_weight
    plan.mip_gap = float(info.mip_gap) if np.isfinite(info.mip_gap) else None
    plan.dual_bound = -float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    plan.seconds = seconds
    return plan


def evaluate_posture(problem: Problem) -> Plan:
    """How much weighted risk a posture covers: units stay at `home`, patrols are assigned
    at best within each unit's radius and capacity (a flow problem, solved exactly). The
    rules (HQ, k per site, must cover) are not applied: the posture is what it is."""
    built = _build(problem, "posture")
    if not built.y:
        plan = Plan(
            "posture", np.where(problem.home >= 0, problem.home, -1), np.full(problem.n_places, -1), problem.weight
        )
        plan.objective, plan.mip_gap = 0.0, 0.0
        return plan
    highs, seconds = built.model.solve(60.0, 1e-9)
    plan = _plan_from(problem, built, highs.getSolution().col_value, "posture")
    plan.objective, plan.mip_gap, plan.seconds = plan.covered_weight, 0.0, seconds
    return plan
