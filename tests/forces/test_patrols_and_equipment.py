"""Patrols planned and reported in the app, the coverage they give, and equipment."""

import datetime
import json
import uuid

import pytest
from django.utils import timezone

from bluehelmet.core.models import Role
from bluehelmet.forces.models import Equipment, Patrol, Unit
from bluehelmet.forces.queries import equipment_by_unit, patrols_and_coverage
from bluehelmet.incidents.models import Incident, IncidentType

PATROLS = "/missions/UNAMSIL/forces/patrols/"
# A square around the Bo chiefdom's (of the fixture) centre.
AREA = {"type": "Polygon", "coordinates": [[[-11.8, 7.9], [-11.7, 7.9], [-11.7, 8.0], [-11.8, 8.0], [-11.8, 7.9]]]}
ROUTE = {"type": "LineString", "coordinates": [[-13.30, 8.40], [-13.20, 8.45]]}  # through Freetown chiefdom


def plan_data(unit, **changes):
    data = {
        "unit": unit.pk,
        "kind": "foot",
        "period": "day",
        "start": "2001-03-10T08:00",
        "end": "2001-03-10T14:00",
        "route": json.dumps(AREA),
        "notes": "Test patrol",
        "sharing": "mission",
    }
    data.update(changes)
    return data


def make_incident(mission, when, code="attack"):
    kind, _created = IncidentType.objects.get_or_create(
        mission=mission, code=code, defaults={"name": "Attack on civilians"}
    )
    return Incident.objects.create(
        mission=mission,
        client_id=uuid.uuid4(),
        type=kind,
        occurred_at=when,
        latitude=7.95,
        longitude=-11.75,
        narrative="Test incident",
        location_description="Bo",
    )


@pytest.fixture
def bo_unit(forces):
    return forces["Guinea contingent, Bo"]


@pytest.fixture
def planned(client_for, users, bo_unit, chiefdoms):
    response = client_for(users[Role.REPORTER]).post(f"{PATROLS}new/", plan_data(bo_unit))
    assert response.status_code == 302
    return Patrol.objects.get()


def test_planning_a_patrol_takes_in_the_places_of_the_drawn_area(planned, bo_unit, chiefdoms):
    assert (planned.status, planned.unit, planned.kind) == (Patrol.Status.PLANNED, bo_unit, "foot")
    assert planned.route == AREA and planned.hours == 6
    assert [p.name for p in planned.places.all()] == ["Bo chiefdom"]


def test_a_route_and_places_picked_by_hand(client_for, users, bo_unit, chiefdoms):
    daru = chiefdoms["Daru chiefdom"]
    client_for(users[Role.ANALYST]).post(
        f"{PATROLS}new/",
        plan_data(bo_unit, kind="joint_police", period="night", route=json.dumps(ROUTE), places=[daru.pk]),
    )
    patrol = Patrol.objects.get()
    assert patrol.route == ROUTE and list(patrol.places.all()) == [daru]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"end": "2001-03-10T07:00"}, "end"),
        ({"route": ""}, "route"),
        (
            {"route": json.dumps({"type": "Polygon", "coordinates": [[[-11.8, 7.9], [-11.7, 7.9], [-11.8, 7.9]]]})},
            "route",
        ),
        ({"route": json.dumps({"type": "Point", "coordinates": [-11.8, 7.9]})}, "route"),
        ({"route": json.dumps({"type": "LineString", "coordinates": [[-11.8, 97.9], [-11.7, 7.9]]})}, "route"),
        ({"route": "{not json"}, "route"),
        (
            {"route": json.dumps({"type": "LineString", "coordinates": [[0.0, 0.0], [0.1, 0.1]]})},
            "places",
        ),  # far from every place
        ({"kind": "swimming"}, "kind"),
        ({"start": "yesterday"}, "start"),
    ],
)
def test_plan_errors_are_per_field_and_save_nothing(client_for, users, bo_unit, chiefdoms, changes, field):
    response = client_for(users[Role.ANALYST]).post(f"{PATROLS}new/", plan_data(bo_unit, **changes))
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not Patrol.objects.exists()


def test_a_unit_of_another_mission_is_refused(client_for, users, chiefdoms, other_mission, forces):
    foreign = Unit.objects.create(mission=other_mission, name="Foreign battalion")
    response = client_for(users[Role.ANALYST]).post(f"{PATROLS}new/", plan_data(foreign))
    assert response.status_code == 400 and "unit" in response.context["form"].errors
    assert not Patrol.objects.exists()


def test_a_patrol_is_saved_whole_or_not_at_all(client_for, users, bo_unit, chiefdoms, monkeypatch):
    from django.forms.models import BaseModelForm

    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(BaseModelForm, "_save_m2m", broken)
    with pytest.raises(RuntimeError):
        client_for(users[Role.ANALYST]).post(f"{PATROLS}new/", plan_data(bo_unit))
    assert not Patrol.objects.exists()


def test_reporting_a_patrol_links_the_missions_incidents_and_counts_its_visits(
    client_for, users, planned, mission, other_mission, chiefdoms
):
    met = make_incident(mission, timezone.make_aware(datetime.datetime(2001, 3, 10, 11)))
    make_incident(mission, timezone.make_aware(datetime.datetime(2001, 6, 1)))  # months later: not offered
    client = client_for(users[Role.REPORTER])
    page = client.get(f"{PATROLS}{planned.pk}/report/")
    offered = list(page.context["form"].fields["incidents"].queryset)
    assert offered == [met]
    bo = chiefdoms["Bo chiefdom"]
    response = client.post(
        f"{PATROLS}{planned.pk}/report/",
        {
            "actual_start": "2001-03-10T08:30",
            "actual_end": "2001-03-10T13:00",
            "places": [bo.pk],
            "incidents": [met.pk],
            "community_contacts": 4,
            "notes": "Market calm",
        },
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == Patrol.Status.CONDUCTED and planned.hours == 4.5
    assert list(planned.incidents.all()) == [met] and planned.community_contacts == 4
    coverage = patrols_and_coverage(users[Role.ANALYST], mission)
    assert {r["place"].name: r["visits"] for r in coverage["coverage"]}["Bo chiefdom"] == 1
    assert next(p for p in coverage["coverage_map"] if p["name"] == "Bo chiefdom")["visits"] == 1
    assert coverage["routes"]["features"][0]["geometry"] == AREA
    page = client.get(PATROLS).content.decode()
    assert "coverage-map-data" in page and "Market calm" not in page  # notes stay on the report


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"actual_end": "2001-03-10T08:00"}, "actual_end"),
        ({"actual_start": ""}, "actual_start"),
        ({"actual_start": "2999-01-01T08:00", "actual_end": "2999-01-01T10:00"}, "actual_start"),
        ({"community_contacts": -1}, "community_contacts"),
        ({"incidents": ["foreign"]}, "incidents"),
    ],
)
def test_report_errors_are_per_field(client_for, users, planned, other_mission, changes, field):
    foreign = make_incident(other_mission, timezone.make_aware(datetime.datetime(2001, 3, 10, 11)))
    data = {"actual_start": "2001-03-10T09:00", "actual_end": "2001-03-10T12:00", "community_contacts": 0, **changes}
    data["incidents"] = [foreign.pk] if changes.get("incidents") else []
    response = client_for(users[Role.ANALYST]).post(f"{PATROLS}{planned.pk}/report/", data)
    assert response.status_code == 400 and field in response.context["form"].errors
    planned.refresh_from_db()
    assert planned.status == Patrol.Status.PLANNED and not planned.incidents.exists()


def test_patrol_pages_are_for_staff_of_the_mission(client_for, users, other_member, planned):
    assert client_for(users[Role.PARTNER]).get(f"{PATROLS}new/").status_code == 403
    assert client_for(users[Role.PARTNER]).get(f"{PATROLS}{planned.pk}/report/").status_code == 403
    assert client_for(other_member).get(f"/missions/MINUSCA/forces/patrols/{planned.pk}/report/").status_code == 404


def test_equipment_is_recorded_and_its_gaps_shown(client_for, users, bo_unit, mission):
    client = client_for(users[Role.REPORTER])
    data = {
        "unit": bo_unit.pk,
        "category": "vehicle",
        "name": "Armoured personnel carrier",
        "required": 10,
        "present": 8,
        "serviceable": 6,
        "limits": "long-range patrols",
        "updated": "2001-03-01",
    }
    assert client.post("/missions/UNAMSIL/forces/equipment/new/", data).status_code == 302
    item = Equipment.objects.get()
    assert item.gap == 4
    rows = equipment_by_unit(users[Role.ANALYST], mission)
    assert rows[0]["unit"] == bo_unit and rows[0]["limited"] == ["long-range patrols"]
    assert "limited in: long-range patrols" in client.get("/missions/UNAMSIL/forces/equipment/").content.decode()
    client.post(
        f"/missions/UNAMSIL/forces/equipment/{item.pk}/",
        {**data, "category": "other", "serviceable": 10, "present": 10},
    )
    item.refresh_from_db()
    assert (item.category, item.gap) == ("other", 0)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"serviceable": 9}, "serviceable"),
        ({"present": -1}, "present"),
        ({"category": "spaceship"}, "category"),
        ({"name": ""}, "name"),
    ],
)
def test_equipment_errors_are_per_field(client_for, users, bo_unit, changes, field):
    data = {
        "unit": bo_unit.pk,
        "category": "generator",
        "name": "Generator 60 kVA",
        "required": 4,
        "present": 8,
        "serviceable": 3,
        "updated": "2001-03-01",
        **changes,
    }
    response = client_for(users[Role.ANALYST]).post("/missions/UNAMSIL/forces/equipment/new/", data)
    assert response.status_code == 400 and field in response.context["form"].errors and not Equipment.objects.exists()


def test_equipment_of_another_missions_unit_is_refused(client_for, users, other_mission, forces):
    foreign = Unit.objects.create(mission=other_mission, name="Foreign battalion")
    data = {
        "unit": foreign.pk,
        "category": "generator",
        "name": "Generator",
        "required": 1,
        "present": 1,
        "serviceable": 1,
        "updated": "2001-03-01",
    }
    response = client_for(users[Role.ANALYST]).post("/missions/UNAMSIL/forces/equipment/new/", data)
    assert "unit" in response.context["form"].errors and not Equipment.objects.exists()
    item = Equipment.objects.create(
        unit=foreign,
        category="generator",
        name="G",
        required=1,
        present=1,
        serviceable=1,
        updated=datetime.date(2001, 1, 1),
    )
    assert client_for(users[Role.ANALYST]).get(f"/missions/UNAMSIL/forces/equipment/{item.pk}/").status_code == 404
