"""The incident map's time control: `from`/`to` (YYYY-MM) narrow the incidents (points and
heat) the map draws, with the page's filters and the access rules as before; a bad month is a
400 naming its field."""

import datetime

import pytest
from django.utils import timezone

from bluehelmet.core.models import Role, Sharing
from bluehelmet.incidents.models import Incident

MAP = "/missions/UNAMSIL/incidents/map.geojson"


@pytest.fixture
def dated(file, sl):
    """Three incidents in three months of 2002 (the middle one shared with partners)."""
    made = []
    for month, sharing in ((1, Sharing.MISSION), (3, Sharing.PUBLIC), (6, Sharing.MISSION)):
        incident = file(sharing=sharing).incident
        when = timezone.make_aware(datetime.datetime(2002, month, 15, 10, 0))
        Incident.objects.filter(pk=incident.pk).update(occurred_at=when)
        made.append(incident.pk)
    return made


def ids(data) -> list[int]:
    return sorted(f["properties"]["id"] for f in data["features"])


def test_the_range_narrows_points_and_heat(client_for, users, dated):
    january, march, june = dated
    client = client_for(users[Role.ANALYST])
    assert ids(client.get(MAP).json()) == [january, march, june]
    data = client.get(MAP, {"from": "2002-02", "to": "2002-06"}).json()
    assert ids(data) == [march, june] and data["total"] == 2 and len(data["heat"]) == 2
    assert ids(client.get(MAP, {"to": "2002-01"}).json()) == [january]
    assert ids(client.get(MAP, {"from": "2002-03", "to": "2002-03"}).json()) == [march]
    assert ids(client.get(MAP, {"from": "", "to": ""}).json()) == [january, march, june]
    # With the page's own filters, and what a partner may see.
    assert ids(client.get(MAP, {"from": "2002-01", "status": "verified"}).json()) == []
    assert ids(client_for(users[Role.PARTNER]).get(MAP, {"from": "2002-01", "to": "2002-12"}).json()) == [march]


@pytest.mark.parametrize(
    "query, field",
    [({"from": "2002-13"}, "from"), ({"to": "June"}, "to"), ({"from": "2002-06", "to": "2002-01"}, "to")],
)
def test_a_bad_month_is_a_field_error(client_for, users, dated, query, field):
    response = client_for(users[Role.ANALYST]).get(MAP, query)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_the_page_carries_the_control_over_its_incidents_months(client_for, users, dated):
    response = client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/incidents/")
    content = response.content.decode()
    assert 'id="incident-timerange"' in content and 'for="incident-from"' in content and 'for="incident-to"' in content
    config = response.context["map_config"]
    values = [m["value"] for m in config["months"]]
    # The mission's period (it started in October 1999 and runs on: to this month, as the
    # picture is live), all of it at first.
    assert values[0] == "1999-10" and values[-1] == timezone.localdate().strftime("%Y-%m")
    assert "2002-01" in values
    assert (config["from"], config["to"]) == (0, len(values) - 1)
    assert client_for(users["outsider"]).get(MAP, {"from": "2002-01"}).status_code == 404
