"""The time control's month range (`from`, `to`: YYYY-MM) on the overview's event map: good
ranges narrow the events drawn, empty bounds leave them all, and a bad month is a 400 naming
its field, never a 500 nor a filter quietly dropped. The form itself: core/timerange.py."""

import datetime

import pytest

from bluehelmet.core.models import Role
from bluehelmet.core.timerange import MonthRangeForm, month_axis

POINTS = "/missions/UNAMSIL/map/events.geojson"


def freetown_events(data) -> int:
    """Events drawn at Freetown (900001 in January 1999 and 900003 in May 2000 share it)."""
    return next((f["properties"]["events"] for f in data["features"] if f["properties"]["place"]), 0)


def places(data) -> set[tuple[float, float]]:
    return {tuple(f["geometry"]["coordinates"]) for f in data["features"]}


def test_a_range_narrows_the_events_on_the_map(client_for, users, sierra_leone):
    client = client_for(users[Role.ANALYST])
    everything = client.get(POINTS).json()
    assert len(everything["features"]) == 2 and freetown_events(everything) == 2

    january_1999 = client.get(POINTS, {"from": "1999-01", "to": "1999-01"}).json()
    assert places(january_1999) == {(-13.234, 8.484), (-11.19, 7.877)}
    assert freetown_events(january_1999) == 1

    from_2000 = client.get(POINTS, {"from": "2000-01"}).json()
    assert places(from_2000) == {(-13.234, 8.484)}
    until_1998 = client.get(POINTS, {"to": "1998-12"}).json()
    assert until_1998["features"] == []
    # The range and the table's filters together.
    assert client.get(POINTS, {"from": "1999-01", "to": "2000-12", "actor": "Government"}).json()["features"] == [
        next(f for f in everything["features"] if f["geometry"]["coordinates"] == [-11.19, 7.877])
    ]


@pytest.mark.parametrize("query", [{}, {"from": "", "to": ""}, {"from": ""}, {"to": "  "}])
def test_empty_bounds_leave_every_event(client_for, users, sierra_leone, query):
    data = client_for(users[Role.ANALYST]).get(POINTS, query).json()
    assert freetown_events(data) == 2 and len(data["features"]) == 2


@pytest.mark.parametrize(
    "query, field",
    [
        ({"from": "2001-13"}, "from"),
        ({"from": "March"}, "from"),
        ({"to": "2001-3-01"}, "to"),
        ({"to": "0000-01"}, "to"),
        ({"from": "1899-12"}, "from"),
        ({"from": "9" * 200}, "from"),
        ({"from": "2002-01", "to": "2001-01"}, "to"),
    ],
)
def test_a_bad_month_is_a_field_error(client_for, users, sierra_leone, query, field):
    response = client_for(users[Role.ANALYST]).get(POINTS, query)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field] and errors[field][0]


def test_the_range_does_not_open_the_gate(client_for, other_member, users, sierra_leone):
    assert client_for(other_member).get(POINTS, {"from": "1999-01"}).status_code == 404
    assert client_for(users["outsider"]).get(POINTS, {"from": "bad"}).status_code == 404


def test_the_form_gives_whole_months_as_days():
    form = MonthRangeForm({"from": "2002-02", "to": "2002-02"})
    assert form.is_valid()
    assert form.date_bounds() == (datetime.date(2002, 2, 1), datetime.date(2002, 2, 28))
    form = MonthRangeForm({"to": "2000-12"})
    assert form.is_valid() and form.date_bounds() == (None, datetime.date(2000, 12, 31))


def test_the_axis_spans_every_month_given():
    d = datetime.date
    assert month_axis(None, d(2001, 11, 15), d(2001, 9, 1), None) == [d(2001, 9, 1), d(2001, 10, 1), d(2001, 11, 1)]
    assert month_axis(None, None) == []
