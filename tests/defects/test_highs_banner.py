"""Solving prints nothing: HiGHS's licence banner no longer lands in the middle of a command's
output, such as the demo's (issue 15, section 5)."""

import subprocess
import sys

SCRIPT = """
import numpy as np
from bluehelmet.analytics.allocate import UNLIMITED, Problem, solve
print("before")
problem = Problem(
    place_lat=[0.0, 0.0], place_lon=[0.1, 1.1], weight=[1, 5], site_lat=[0.0, 0.0], site_lon=[0.0, 1.0],
    strength=[150], home=[0], troops_per_place=150, site_capacity=[UNLIMITED, UNLIMITED],
    radius_km=[30.0], max_move_km=[np.inf],
)
print("covered", solve(problem).covered_weight)
"""


def test_solving_prints_no_banner():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=120)
    assert "HiGHS" not in done.stdout and "HiGHS" not in done.stderr
    assert done.stdout.split() == ["before", "covered", "5.0"]
