"""The pure computations of civil affairs (analytics/civilaffairs.py)."""

import datetime

import pytest

from bluehelmet.analytics.civilaffairs import (
    coverage_share,
    engagement_gaps,
    implementation_by_month,
    perception_table,
    share_of,
    wilson_interval,
)

d = datetime.date


def test_wilson_interval_matches_the_textbook_values():
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9433, abs=1e-4)
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and high == pytest.approx(0.1611, abs=1e-4)
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(5, 3)


def test_share_leaves_out_those_who_did_not_answer():
    share = share_of([True, True, False, None, None])
    assert (share.n, share.yes, share.share) == (3, 2, pytest.approx(2 / 3))
    assert share.low < share.share < share.high
    empty = share_of([None, None])
    assert empty.share is None and empty.low is None


def test_perception_table_groups_by_place_and_period():
    rows = [
        ("Kenema", d(2001, 1, 5), True, False),
        ("Kenema", d(2001, 2, 5), False, None),
        ("Kenema", d(2001, 4, 5), True, True),
        ("Bo", d(2001, 3, 31), None, True),
    ]
    table = perception_table(rows, "quarter")
    assert [(r["place"], r["period"], r["respondents"]) for r in table] == [
        ("Bo", d(2001, 1, 1), 1),
        ("Kenema", d(2001, 1, 1), 2),
        ("Kenema", d(2001, 4, 1), 1),
    ]
    q1 = table[1]
    assert q1["trust"].share == 0.5 and q1["security"].n == 1 and q1["security"].share == 0.0
    assert perception_table(rows, "year")[1]["respondents"] == 3


def test_implementation_by_month_counts_each_provision_at_its_latest_level():
    provisions = [[(d(1999, 9, 30), 1), (d(2000, 5, 31), 0), (d(2002, 1, 31), 3)], [(d(1999, 7, 31), 3)], []]
    series = implementation_by_month(provisions, d(1999, 7, 7), d(2002, 1, 31))
    assert series[0]["month"] == d(1999, 7, 1) and series[0]["counts"] == {0: 2, 1: 0, 2: 0, 3: 1}
    september = next(row for row in series if row["month"] == d(1999, 9, 1))
    assert september["counts"] == {0: 1, 1: 1, 2: 0, 3: 1}
    assert series[-1]["counts"] == {0: 1, 1: 0, 2: 0, 3: 2}
    assert series[-1]["shares"][3] == pytest.approx(2 / 3)
    assert implementation_by_month([], d(2000, 1, 1), d(2000, 1, 1))[0]["shares"][0] is None


def test_coverage_share_and_gaps():
    risk = {1: 0.9, 2: 0.6, 3: 0.7}
    assert coverage_share(risk, {2, 99}) == pytest.approx(1 / 3)
    assert engagement_gaps(risk, {2}) == ([2], [1, 3])
    assert coverage_share({}, {1}) is None
