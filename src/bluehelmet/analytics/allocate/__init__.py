"""Where to base limited forces so that their patrols cover the most risk.

    problem = Problem(place_lat=..., weight=..., site_lat=..., strength=..., ...)
    plan = solve(problem)             # MILP (HiGHS): optimal or with its proven gap
    today = evaluate_posture(problem) # what the units cover where they are now
    rule_of_thumb = greedy_plan(problem)

`solve` raises Infeasible with the rules that cannot be met (`violations`).
No Django here: arrays in, arrays out.
"""

from .greedy import greedy_plan
from .problem import UNLIMITED, Plan, Problem, distance_km
from .solver import Infeasible, Violation, diagnose, evaluate_posture, solve

__all__ = [
    "UNLIMITED",
    "Infeasible",
    "Plan",
    "Problem",
    "Violation",
    "diagnose",
    "distance_km",
    "evaluate_posture",
    "greedy_plan",
    "solve",
]
