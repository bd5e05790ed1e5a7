"""The mission timeline's numbers: lag shift, summing missions, GED sums, scoping, caption."""

import datetime

from bluehelmet.core.models import Role
from bluehelmet.datasets.models import MissionStrength
from bluehelmet.forces.timeline import mission_timeline, timeline_caption


def series_at(timeline, name, month):
    return timeline["series"][name][timeline["months"].index(month)]


def test_months_are_one_continuous_range_over_every_source(users, sierra_leone, mission):
    timeline = mission_timeline(mission, users[Role.ANALYST])
    # Battle deaths reach back to 1998-09 (the lag on 1998-10), strength runs to 2001-01.
    assert timeline["months"][0] == "1998-09"
    assert timeline["months"][-1] == "2001-01"
    assert len(timeline["months"]) == 29
    assert all(len(values) == 29 for values in timeline["series"].values())


def test_battle_deaths_lag_is_moved_back_one_month(users, sierra_leone, mission):
    timeline = mission_timeline(mission, users[Role.ANALYST])
    # The 1998-11 row says 322 battle deaths "last month": they belong to October 1998.
    assert series_at(timeline, "battle_deaths", "1998-10") == 322
    assert series_at(timeline, "battle_deaths", "1998-12") == 510
    assert series_at(timeline, "battle_deaths", "1999-01") == 260
    # No March 1999 row, so February's battle deaths are unknown, not zero.
    assert series_at(timeline, "battle_deaths", "1999-02") is None
    # Civilians killed is a same-month figure and stays put.
    assert series_at(timeline, "civilians_killed", "1999-01") == 240
    assert series_at(timeline, "civilians_killed", "1998-09") is None


def test_personnel_is_summed_over_every_mission_in_the_country(users, sierra_leone, mission):
    # UNOMSIL handing over to UNAMSIL: both report for December 2000.
    MissionStrength.objects.create(
        mission=mission, month=datetime.date(2000, 12, 1), troops=500, police=2, observers=10
    )
    timeline = mission_timeline(mission, users[Role.ANALYST])
    assert series_at(timeline, "troops", "2000-11") == 12251  # UNOMSIL alone
    assert series_at(timeline, "troops", "2000-12") == 10137 + 500
    assert series_at(timeline, "police", "2000-12") == 34 + 2
    assert series_at(timeline, "observers", "2000-12") == 249 + 10
    assert series_at(timeline, "troops", "2001-01") == 10151  # UNAMSIL alone
    assert series_at(timeline, "troops", "1999-06") is None


def test_ged_sums_per_month(users, sierra_leone, mission):
    timeline = mission_timeline(mission, users[Role.ANALYST])
    assert series_at(timeline, "ged_civilian_deaths", "1999-01") == 120
    assert series_at(timeline, "ged_state_based_deaths", "1999-01") == 15
    assert series_at(timeline, "ged_civilian_deaths", "2000-05") == 20
    assert series_at(timeline, "ged_state_based_deaths", "2000-05") == 0
    # GED lists every event: a month without events between two GED months had no deaths,
    # while months before the first GED event stay unknown.
    assert series_at(timeline, "ged_civilian_deaths", "1999-06") == 0
    assert series_at(timeline, "ged_civilian_deaths", "1998-12") is None


def test_partner_timeline_counts_public_events_only(users, sierra_leone, mission):
    timeline = mission_timeline(mission, users[Role.PARTNER])
    assert series_at(timeline, "ged_civilian_deaths", "1999-01") == 120  # the public event
    assert series_at(timeline, "ged_state_based_deaths", "1999-01") == 0  # mission-only event left out
    assert series_at(timeline, "ged_civilian_deaths", "2000-05") is None  # after the last public event


def test_a_stranger_gets_an_empty_timeline(other_member, sierra_leone, mission):
    assert mission_timeline(mission, other_member) == {"months": [], "series": {}}


def test_caption_is_computed_from_the_series(users, sierra_leone, mission):
    timeline = mission_timeline(mission, users[Role.ANALYST])
    caption = timeline_caption(timeline, "Sierra Leone")
    assert "first reported in Sierra Leone in November 2000" in caption
    assert "Troops peaked at 12,251 in November 2000." in caption
    # The conflict-month series ends in February 1999, before UN personnel arrived: the
    # caption compares its first and last years.
    assert "Civilians killed: 0 in 1998, 240 in 1999." in caption


def test_caption_is_empty_without_data():
    assert timeline_caption({"months": [], "series": {}}, "Nowhere") == ""
