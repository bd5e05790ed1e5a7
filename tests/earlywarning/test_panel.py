"""Panels from events and from researchers' files (analytics.panel, no Django)."""

import datetime

import numpy as np
import polars as pl
import pytest

from bluehelmet.analytics.geo import priogrid_gid
from bluehelmet.analytics.panel import (
    PanelError,
    ceasefire_in_force,
    events_panel,
    month_id,
    month_label,
    panel_from_frame,
    priogrid_neighbours,
    read_ged_csv,
)

from .conftest import synthetic_events


def _events(*rows):
    return pl.DataFrame(
        [dict(zip(("date_start", "type_of_violence", "best", "latitude", "longitude", "adm_1"), row)) for row in rows]
    )


def test_month_ids_follow_views():
    assert month_id(1980, 1) == 1
    assert month_id(2022, 12) == 516
    assert month_label(516) == "2022-12"


def test_events_panel_is_dense_with_zeros_and_sums_by_type():
    events = _events(
        (datetime.date(2020, 1, 5), 1, 4, 4.36, 18.55, "Bangui province"),
        (datetime.date(2020, 1, 20), 3, 6, 4.36, 18.55, "Bangui province"),
        (datetime.date(2020, 4, 2), 2, 1, 6.54, 21.98, "Haute-Kotto province"),
    )
    panel = events_panel(events, "pgm", covariate_targets=("ged_os", "events"))
    assert panel.y.shape == (2, 4)  # two cells x Jan..Apr 2020
    bangui = list(panel.units).index(priogrid_gid(4.36, 18.55))
    assert panel.y[bangui].tolist() == [10, 0, 0, 0]  # months without events are 0, not missing
    assert panel.covariates["ged_os"][bangui, 0] == 6
    assert panel.covariates["events"][bangui, 0] == 2
    assert not np.isnan(panel.y).any()

    by_area = events_panel(events, "adm1", target="ged_sb")
    assert by_area.units.tolist() == ["Bangui province", "Haute-Kotto province"]
    assert by_area.y.sum() == 4


def test_events_panel_rejects_bad_events():
    with pytest.raises(PanelError, match="negative fatality"):
        events_panel(_events((datetime.date(2020, 1, 5), 1, -4, 4.36, 18.55, "x")))
    with pytest.raises(PanelError, match="unknown target"):
        events_panel(_events((datetime.date(2020, 1, 5), 1, 4, 4.36, 18.55, "x")), target="deaths")
    with pytest.raises(PanelError, match="no events"):
        events_panel(_events((datetime.date(2020, 1, 5), 1, 4, 4.36, 18.55, "x")).clear())


def test_events_panel_with_no_event_left_names_the_problem():
    # Every event lacks its admin-1 area, so an admin-1 panel keeps none: the month range of
    # nothing used to fail with a TypeError (int(None)).
    with pytest.raises(PanelError, match="no events to build a panel from"):
        events_panel(_events((datetime.date(2020, 1, 5), 1, 4, 4.36, 18.55, "")), "adm1")
    empty = pl.DataFrame(schema={"unit": pl.Utf8, "month": pl.Int32, "deaths": pl.Int64})
    with pytest.raises(PanelError, match="no rows to build a panel from"):
        panel_from_frame(empty, unit="unit", time="month", target="deaths")


def test_site_panel_counts_events_within_the_radius():
    events = _events(
        (datetime.date(2020, 1, 5), 1, 4, 4.36, 18.55, "a"),  # at the site
        (datetime.date(2020, 2, 5), 1, 7, 4.50, 18.55, "a"),  # ~15 km north
        (datetime.date(2020, 2, 5), 1, 9, 5.36, 18.55, "a"),  # ~110 km north: outside
    )
    sites = pl.DataFrame({"unit": [7], "latitude": [4.36], "longitude": [18.55]})
    panel = events_panel(events, "site", sites=sites, radius_km=25)
    assert panel.y.tolist() == [[4, 7]]


def test_priogrid_neighbours_touch_and_do_not_wrap():
    centre = priogrid_gid(4.25, 18.25)
    gids = [centre, centre + 1, centre + 720, centre + 5, 720]  # 720 is the last cell of row 0
    neighbours = priogrid_neighbours(gids)
    assert sorted(gids[i] for i in neighbours[0]) == [centre + 1, centre + 720]
    assert list(neighbours[3]) == []
    assert 721 not in [gids[i] for i in neighbours[4]]


def test_ceasefire_covariate():
    # Troops nearby: tests/earlywarning/test_covariates.py (analytics.forecast.covariates).
    events = _events(
        (datetime.date(2020, 1, 5), 1, 4, 4.36, 18.55, "a"), (datetime.date(2020, 3, 5), 1, 4, 6.54, 21.98, "b")
    )
    panel = events_panel(events, "pgm")
    flags = ceasefire_in_force(panel, [(month_id(2020, 2), None)])
    assert flags[0].tolist() == [0, 1, 1]


def test_shipped_ged_file_reads_into_panels():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "src/bluehelmet/data/ucdp/ged231_events_central_african_republic.csv"
    events = read_ged_csv(path)
    panel = events_panel(events, "adm1")
    assert len(panel.units) >= 15
    assert panel.y.sum() > 10000  # GED best estimates for the Central African Republic


def _frame(**overrides):
    frame = pl.DataFrame(
        {
            "district": ["a"] * 3 + ["b"] * 3,
            "period": ["2020-01", "2020-02", "2020-03"] * 2,
            "deaths": [0, 2, 5, 1, 0, 0],
            "rain": [1.0, 2.0, 3.0, 1.0, 2.0, 3.0],
        }
    )
    return frame.with_columns(**overrides) if overrides else frame


def test_panel_from_frame_reads_a_good_panel():
    panel = panel_from_frame(_frame(), unit="district", time="period", target="deaths")
    assert panel.units.tolist() == ["a", "b"]
    assert panel.y.tolist() == [[0, 2, 5], [1, 0, 0]]
    assert list(panel.covariates) == ["rain"]
    assert month_label(panel.first_month) == "2020-01"


def test_panel_from_frame_reads_whole_float_month_numbers():
    """A month number written as 1.0 (pandas writes an integer column with a gap so) is month 1."""
    frame = _frame(period=pl.Series([1.0, 2.0, 3.0] * 2))
    panel = panel_from_frame(frame, unit="district", time="period", target="deaths")
    assert panel.months.tolist() == [1, 2, 3]
    assert panel.y.tolist() == [[0, 2, 5], [1, 0, 0]]


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (_frame(), {"target": "fatalities"}, "unknown column.*fatalities"),
        (_frame(), {"covariates": []}, "unknown column.*not declared.*rain"),
        (_frame(rain=pl.lit("wet")), {}, "'rain' is not numeric"),
        (_frame(deaths=pl.Series([0, 2, -5, 1, 0, 0])), {}, "negative counts in 'deaths'.*unit 'a' in 2020-03"),
        (
            _frame(period=pl.Series(["2020-01", "2020-01", "2020-03", "2020-01", "2020-02", "2020-03"])),
            {},
            "duplicate unit-month.*'a' in 2020-01",
        ),
        (
            _frame()
            .filter(pl.col("period") != "2020-02")
            .vstack(_frame().filter((pl.col("district") == "b") & (pl.col("period") == "2020-02"))),
            {},
            "gaps: 1 unit.*'a' has 2 of 3 months",
        ),
        (_frame(deaths=pl.Series([0, None, 5, 1, 0, 0])), {}, "empty values in column.*deaths"),
        (_frame(period=pl.lit("March")), {}, "'March' is not a month"),
        (_frame(period=pl.Series([1.0, 2.5, 3.0] * 2)), {}, "2.5 is not a month"),
    ],
)
def test_panel_from_frame_names_the_problem(frame, kwargs, message):
    arguments = {"unit": "district", "time": "period", "target": "deaths", **kwargs}
    with pytest.raises(PanelError, match=message):
        panel_from_frame(frame, **arguments)


def test_too_little_history_names_the_horizon():
    panel = events_panel(synthetic_events(n_months=10), "adm1")
    with pytest.raises(PanelError, match="too little history for horizon 12"):
        panel.check_history(range(1, 13))


def test_until_cuts_the_future_off():
    panel = events_panel(synthetic_events(n_months=30), "adm1")
    cut = panel.until(panel.first_month + 9)
    assert cut.y.shape[1] == 10 and cut.last_month == panel.first_month + 9
    with pytest.raises(PanelError):
        panel.until(panel.first_month - 1)
