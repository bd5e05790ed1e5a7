"""Indicator formulas, their computation per period, and the traffic-light maths."""

import datetime

import pytest

from bluehelmet.analytics import indicators as maths
from bluehelmet.performance.formulas import compute_formula
from bluehelmet.performance.models import Measurement
from bluehelmet.performance.results import compute_indicator, status_counts
from bluehelmet.performance.results import framework as framework_tree

d = datetime.date


def values(indicator):
    return {m.period: (m.value, m.no_data_reason) for m in indicator.measurements.order_by("period")}


def test_conflict_month_formula_sums_and_never_invents_a_zero(framework):
    compute_indicator(framework["killed"])
    got = values(framework["killed"])
    assert got[d(1999, 1, 1)] == (240.0, "")
    assert got[d(1998, 10, 1)] == (0.0, "")  # a real zero: the series covers the month
    value, reason = got[d(1999, 3, 1)]
    assert value is None and "no conflict-month series" in reason


def test_partly_covered_quarter_is_no_data(sierra_leone, mission):
    result = compute_formula("conflict_month_civilians_killed", mission, d(1999, 1, 1), d(1999, 3, 31))
    assert result.value is None and "2 of the 3 months" in result.reason


def test_deployment_sites_uses_the_latest_map_of_the_period(framework):
    compute_indicator(framework["sites"])
    got = values(framework["sites"])
    assert got[d(1999, 10, 1)] == (1.0, "")  # December 1999 map: Lungi
    assert got[d(2001, 1, 1)] == (3.0, "")  # March 2001 map: Bo, Daru, Freetown
    assert got[d(2000, 1, 1)][0] is None and "no deployment map" in got[d(2000, 1, 1)][1]


def test_strength_share_needs_an_authorised_ceiling(sierra_leone, mission):
    result = compute_formula("troop_strength_share", mission, d(2001, 1, 1), d(2001, 1, 31))
    assert result.value is None and "no authorised troop ceiling" in result.reason
    mission.strengths.filter(month=d(2001, 1, 1)).update(authorised_troops=13000)
    assert compute_formula("troop_strength_share", mission, d(2001, 1, 1), d(2001, 1, 31)).value == pytest.approx(
        100 * 10151 / 13000
    )


def test_ged_formula_counts_only_inside_the_span_ged_covers(sierra_leone, mission):
    assert compute_formula("ged_civilian_deaths", mission, d(1999, 1, 1), d(1999, 1, 31)).value == 120
    assert compute_formula("ged_civilian_deaths", mission, d(1999, 6, 1), d(1999, 6, 30)).value == 0
    outside = compute_formula("ged_civilian_deaths", mission, d(2010, 1, 1), d(2010, 1, 31))
    assert outside.value is None and "cover" in outside.reason


def test_areas_without_records_give_no_data_with_a_reason(framework):
    compute_indicator(framework["ddr"])
    ((value, reason),) = values(framework["ddr"]).values()
    assert value is None and reason == "no DDR participants in this period"
    engagement = compute_formula("engagement_coverage", framework["ddr"].mission, d(2001, 1, 1), d(2001, 12, 31))
    assert engagement.value is None and "engagement" in engagement.reason


def test_other_areas_figures_come_from_the_registry_of_indicator_sources(monkeypatch, sierra_leone, mission):
    from bluehelmet.core import indicator_sources

    calls = {}
    sources = indicator_sources._sources
    monkeypatch.setitem(
        sources,
        "incidents.alert_response_share",
        lambda m, start, end, within_hours: calls.setdefault("args", (m, start, end, within_hours)) and 0.75,
    )
    monkeypatch.setitem(
        sources, "incidents.median_time_to_respond", lambda m, start, end: datetime.timedelta(hours=5, minutes=30)
    )
    share = compute_formula("alert_response_share", mission, d(2001, 1, 1), d(2001, 3, 31), {"within_hours": 48})
    assert share.value == pytest.approx(75.0) and calls["args"] == (mission, d(2001, 1, 1), d(2001, 3, 31), 48)
    assert compute_formula("median_time_to_respond", mission, d(2001, 1, 1), d(2001, 3, 31)).value == pytest.approx(5.5)
    monkeypatch.setitem(sources, "incidents.alert_response_share", lambda *args, **kwargs: None)
    empty = compute_formula("alert_response_share", mission, d(2001, 1, 1), d(2001, 3, 31))
    assert empty.value is None and empty.reason == "no alerts recorded in this period"
    monkeypatch.delitem(sources, "incidents.alert_response_share")  # as if the area were not installed
    absent = compute_formula("alert_response_share", mission, d(2001, 1, 1), d(2001, 3, 31))
    assert absent.value is None and "not available" in absent.reason


def test_each_area_registers_the_figures_it_offers():
    from bluehelmet.core.indicator_sources import indicator_source, indicator_source_names, register_indicator_source
    from bluehelmet.ddr.indicators import reintegration_rate

    assert indicator_source_names() == [
        "civilaffairs.engagement_coverage",
        "ddr.reintegration_rate",
        "forces.training_compliance",
        "incidents.alert_response_share",
        "incidents.median_time_to_respond",
    ]
    assert indicator_source("ddr.reintegration_rate") is reintegration_rate  # the dotted path, imported when asked for
    with pytest.raises(ValueError, match="already registered"):
        register_indicator_source("ddr.reintegration_rate", lambda *args: 0)


def test_manual_values_are_not_overwritten(framework):
    killed = framework["killed"]
    Measurement.objects.create(
        indicator=killed,
        period=d(1999, 1, 1),
        value=200,
        source=Measurement.Source.MANUAL,
        evidence_note="field report",
    )
    compute_indicator(killed)
    assert killed.measurements.get(period=d(1999, 1, 1)).value == 200


def test_dashboard_tree_statuses_and_partner_scope(framework, users):
    from bluehelmet.core.models import Role

    for name in ("killed", "sites", "ddr"):
        compute_indicator(framework[name])
    tree = framework_tree(users[Role.ANALYST], framework["killed"].mission)
    rows = {row.indicator.code: row for row in tree[0]["outcomes"][0]["outputs"][0]["rows"]}
    assert rows["POC-1"].latest.period == d(1999, 2, 1)  # the latest known value, not the no-data month
    assert rows["POC-1"].status == maths.GREEN  # 0 killed in February 1999, target 0
    assert rows["FOR-2"].status == maths.GREEN and rows["DDR-1"].status == maths.GREY
    assert status_counts(tree)[maths.GREY] == 2  # DDR-1 and the manual indicator without values
    partner_rows = framework_tree(users[Role.PARTNER], framework["killed"].mission)[0]["outcomes"][0]["outputs"][0][
        "rows"
    ]
    assert [row.indicator.code for row in partner_rows] == ["POC-1"]  # the only public indicator


@pytest.mark.parametrize(
    "value, baseline, target, direction, expected",
    [
        (0, 30, 0, "decrease", maths.GREEN),
        (10, 30, 0, "decrease", maths.AMBER),
        (30, 30, 0, "decrease", maths.RED),
        (96, 78, 95, "increase", maths.GREEN),
        (80, None, 95, "increase", maths.AMBER),
        (None, 30, 0, "decrease", maths.GREY),
        (5, 30, None, "decrease", maths.GREY),
    ],
)
def test_traffic_lights(value, baseline, target, direction, expected):
    assert maths.status(value, baseline, target, direction) == expected


def test_trend_and_periods():
    assert maths.trend([10, None, 8, 6, 4]) == "down"
    assert maths.trend([5, 5, 5.01]) == "flat"
    assert maths.trend([1, 2]) is None
    assert maths.periods_between(d(2001, 2, 10), d(2001, 12, 1), "quarter") == [
        d(2001, 1, 1),
        d(2001, 4, 1),
        d(2001, 7, 1),
        d(2001, 10, 1),
    ]
    assert maths.period_end(d(2001, 10, 1), "quarter") == d(2001, 12, 31)
