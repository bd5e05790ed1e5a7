"""The gap arithmetic (analytics.gaps), no database."""

import datetime

from bluehelmet.analytics.gaps import Coverage, Need, gap_table, gaps_by_area

d = datetime.date


def test_gap_is_need_minus_capped_coverage_largest_first():
    needs = [Need("A", "A", "food", d(2001, 2, 1), 1000, 4), Need("B", "B", "food", d(2001, 2, 1), 500, 3)]
    activities = [
        Coverage("A", "food", d(2001, 3, 1), d(2001, 6, 30), "completed", 400, 300),  # reached counts
        Coverage("A", "food", d(2001, 3, 1), None, "ongoing", 200, None),  # no reached: targeted counts
        Coverage("A", "food", d(2001, 3, 1), None, "planned", 900, None),  # planned: not coverage, but targeted
        Coverage("B", "food", d(2001, 3, 1), None, "ongoing", 2000, 800),  # more than the need: capped
    ]
    rows = gap_table(needs, activities)
    assert [(r.area, r.people_in_need, r.targeted, r.reached, r.coverage, r.gap) for r in rows] == [
        ("A", 1000, 1500, 300, 500, 500),
        ("B", 500, 2000, 800, 500, 0),
    ]
    assert rows[0].covered_share == 0.5


def test_period_keeps_overlapping_activities_and_needs_assessed_by_its_end():
    needs = [Need("A", "A", "food", d(2001, 2, 1), 1000, 4), Need("A", "A", "food", d(2001, 9, 1), 600, 3)]
    activities = [
        Coverage("A", "food", d(2001, 1, 1), d(2001, 2, 28), "completed", 100, 100),
        Coverage("A", "food", d(2001, 5, 1), d(2001, 7, 31), "completed", 300, 300),
    ]
    [row] = gap_table(needs, activities, start=d(2001, 4, 1), end=d(2001, 6, 30))
    assert (row.people_in_need, row.severity, row.coverage, row.gap, row.activities) == (1000, 4, 300, 700, 1)
    [later] = gap_table(needs, activities, start=d(2001, 4, 1), end=d(2001, 12, 31))
    assert later.people_in_need == 600  # the latest assessment by the period's end


def test_smaller_places_add_up_unless_the_area_has_its_own_assessment():
    needs = [
        Need("Kenema", "Nongowa", "wash", d(2001, 2, 1), 300, 3),
        Need("Kenema", "Tunkia", "wash", d(2001, 2, 1), 200, 4),
    ]
    [row] = gap_table(needs, [])
    assert (row.people_in_need, row.severity, row.gap) == (500, 4, 500)
    [row] = gap_table(needs + [Need("Kenema", "Kenema", "wash", d(2001, 1, 1), 800, 3)], [])
    assert row.people_in_need == 800


def test_no_assessment_is_an_unknown_gap_never_zero_and_comes_last():
    rows = gap_table(
        [Need("A", "A", "food", d(2001, 2, 1), 10, 2)], [Coverage("B", "food", None, None, "ongoing", 50, 50)]
    )
    assert [(r.area, r.gap) for r in rows] == [("A", 10), ("B", None)]
    assert rows[1].covered_share is None


def test_sector_filter_and_the_intersectoral_area_figure():
    needs = [Need("A", "A", "food", d(2001, 2, 1), 1000, 4), Need("A", "A", "wash", d(2001, 2, 1), 700, 5)]
    assert [r.sector for r in gap_table(needs, [], sector="wash")] == ["wash"]
    area = gaps_by_area(gap_table(needs, []))["A"]
    assert (area["people_in_need"], area["gap"], area["severity"]) == (1000, 1000, 5)  # the largest, not the sum
