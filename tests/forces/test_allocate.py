"""The allocation optimiser on instances small enough to know the answer by hand."""

import numpy as np
import pytest

from bluehelmet.analytics.allocate import UNLIMITED, Infeasible, Problem, evaluate_posture, greedy_plan, solve

# Three sites on the equator, 1 degree (~111 km) apart; places next to them.
SITES = {"A": 0.0, "B": 1.0, "C": 2.0}


def problem(place_lons, weights, strengths, homes, **rules):
    site_names = list(SITES)
    rules.setdefault("site_capacity", [UNLIMITED] * len(SITES))
    rules.setdefault("radius_km", [30.0] * len(strengths))
    rules.setdefault("max_move_km", [np.inf] * len(strengths))
    return Problem(
        place_lat=[0.0] * len(place_lons),
        place_lon=place_lons,
        weight=weights,
        site_lat=[0.0] * len(SITES),
        site_lon=[SITES[s] for s in site_names],
        strength=strengths,
        home=[site_names.index(h) for h in homes],
        troops_per_place=rules.pop("troops_per_place", 150),
        **rules,
    )


def test_the_plan_moves_units_to_the_risk_and_proves_it_optimal():
    # Risk sits at B and C; both units sit at A.
    p = problem([0.1, 1.1, 1.05, 2.1], [1, 5, 5, 4], strengths=[150, 300], homes=["A", "A"])
    plan = solve(p)
    assert plan.optimal and plan.mip_gap == pytest.approx(0, abs=1e-9)
    # The 300-strong unit covers both B places, the 150-strong unit the C place.
    assert list(plan.site_of_unit) == [2, 1]
    assert plan.covered_weight == 14 and plan.share_covered == pytest.approx(14 / 15)
    today = evaluate_posture(p)
    assert today.covered_weight == 1  # both at A: only the A place is in reach
    assert plan.covered_weight > today.covered_weight


def test_capacity_follows_strength():
    # Three places at B; a 150-strong unit patrols one of them, a 450-strong one all three.
    p = problem([1.0, 1.01, 1.02], [1, 2, 3], strengths=[150], homes=["B"])
    assert solve(p).covered_weight == 3
    p = problem([1.0, 1.01, 1.02], [1, 2, 3], strengths=[450], homes=["B"])
    assert solve(p).covered_weight == 6


def test_the_optimiser_beats_the_greedy_rule_where_greedy_is_myopic():
    # Sites L, M, R at 0.75, 1.0 and 1.25 degrees; radius ~23 km (0.2 degrees). M reaches the
    # four middle places, L and R three each with two of the middle ones. The greedy rule
    # takes M first (4) and adds one more (5); the optimum is L and R (all 6).
    p = Problem(
        place_lat=[0.0] * 6,
        place_lon=[0.6, 0.85, 0.9, 1.1, 1.15, 1.4],
        weight=[1] * 6,
        site_lat=[0.0] * 3,
        site_lon=[0.75, 1.0, 1.25],
        site_capacity=[UNLIMITED] * 3,
        strength=[600, 600],
        radius_km=[23.0, 23.0],
        home=[1, 1],
        max_move_km=[np.inf, np.inf],
    )
    greedy, best = greedy_plan(p), solve(p)
    assert greedy.covered_weight == 5
    assert best.covered_weight == 6 and sorted(best.site_of_unit) == [0, 2]


def test_at_most_k_units_per_site_and_the_hq_minimum_are_kept():
    p = problem(
        [1.0, 1.01, 1.02, 1.03],
        [1, 1, 1, 1],
        strengths=[150, 150, 150],
        homes=["A", "A", "A"],
        site_capacity=[UNLIMITED, 2, UNLIMITED],
        hq=0,
        hq_min_troops=150,
    )
    plan = solve(p)
    sites = list(plan.site_of_unit)
    assert sites.count(1) == 2 and sites.count(0) == 1
    assert plan.covered_weight == 2


def test_a_unit_is_not_moved_further_than_its_max_move():
    p = problem([2.0], [1], strengths=[150], homes=["A"], max_move_km=[150.0])
    plan = solve(p)
    assert plan.site_of_unit[0] in (0, 1) and plan.covered_weight == 0


def test_must_cover_places_are_covered_even_at_a_cost():
    p = problem([0.0, 2.0], [1, 9], strengths=[150], homes=["A"], must_cover=[0])
    plan = solve(p)
    assert plan.covered_by[0] == 0 and plan.covered_weight == 1


def test_units_stay_home_when_moving_gains_nothing():
    p = problem([0.0, 2.0], [1, 1], strengths=[150, 150], homes=["A", "C"])
    assert list(solve(p).site_of_unit) == [0, 2]


@pytest.mark.parametrize(
    "rules, constraint, reason",
    [
        ({"must_cover": [1]}, "must_cover", "no_unit_can_reach"),
        ({"hq": 2, "hq_min_troops": 1000}, "hq_presence", "not_enough_troops_can_reach_hq"),
        ({"site_capacity": [0, 0, 1]}, "site_capacity", "too_few_places_at_sites"),
    ],
)
def test_an_infeasible_rule_is_named(rules, constraint, reason):
    p = problem([0.0, 2.0], [1, 1], strengths=[150, 150], homes=["A", "A"], max_move_km=[10.0, 10.0], **rules)
    with pytest.raises(Infeasible) as error:
        solve(p)
    assert [(v.constraint, v.reason) for v in error.value.violations][0] == (constraint, reason)


def test_rules_that_only_clash_together_are_found_by_the_elastic_model():
    # Each rule alone can be met: the HQ (A) needs the one unit, and so does covering C.
    p = problem([2.0], [1], strengths=[150], homes=["B"], hq=0, hq_min_troops=150, must_cover=[0], radius_km=[30.0])
    with pytest.raises(Infeasible) as error:
        solve(p)
    found = {v.constraint for v in error.value.violations}
    assert found & {"hq_presence", "must_cover"}


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="weights"):
        problem([0.0], [-1], strengths=[150], homes=["A"])
    with pytest.raises(ValueError, match="strengths"):
        problem([0.0], [1], strengths=[0], homes=["A"])
