"""Missions, places and organizations."""

import datetime

import pytest

from bluehelmet.core.models import Membership, Role

from .conftest import ids

pytestmark = pytest.mark.django_db


def test_missions_are_the_users_own_with_role_and_host_countries(api_as, world):
    response = api_as(world.users["reporter"]).get("/api/missions/")
    [row] = response.json()["results"]
    assert row["acronym"] == "UNAMSIL"
    assert row["role"] == Role.REPORTER
    assert row["host_countries"] == [{"id": world.sl.pk, "kind": "country", "name": "Sierra Leone", "pcode": ""}]


def test_another_missions_detail_is_404(api_as, world):
    client = api_as(world.users["administrator"])
    assert client.get(f"/api/missions/{world.unamsil.pk}/").json()["role"] == Role.ADMINISTRATOR
    assert client.get(f"/api/missions/{world.minusca.pk}/").status_code == 404


def test_role_is_per_mission(api_as, world):
    user = world.users["analyst"]
    Membership.objects.create(user=user, mission=world.minusca, role=Role.PARTNER)
    rows = api_as(user).get("/api/missions/").json()["results"]
    assert {r["acronym"]: r["role"] for r in rows} == {"MINUSCA": Role.PARTNER, "UNAMSIL": Role.ANALYST}


def test_superuser_is_administrator_of_every_mission(api_as, world):
    rows = api_as(world.users["superuser"]).get("/api/missions/").json()["results"]
    assert {r["acronym"]: r["role"] for r in rows} == {"MINUSCA": Role.ADMINISTRATOR, "UNAMSIL": Role.ADMINISTRATOR}


def test_mission_filters(api_as, world):
    # The start and end months of both missions, from the UN peacekeeping list.
    world.unamsil.start, world.unamsil.end = datetime.date(1999, 10, 1), datetime.date(2005, 12, 31)
    world.unamsil.save()
    world.minusca.start = datetime.date(2014, 4, 1)
    world.minusca.save()
    client = api_as(world.users["superuser"])
    assert ids(client.get("/api/missions/", {"acronym": "unamsil"})) == {world.unamsil.pk}
    assert ids(client.get("/api/missions/", {"active_at": "2001-06-15"})) == {world.unamsil.pk}
    assert ids(client.get("/api/missions/", {"active_at": "2020-01-01"})) == {world.minusca.pk}
    assert ids(client.get("/api/missions/", {"active_at": "1990-01-01"})) == set()
    assert client.get("/api/missions/", {"active_at": "not-a-date"}).status_code == 400


def test_places_are_those_of_the_host_countries(api_as, world):
    unamsil = ids(api_as(world.users["partner"]).get("/api/places/"))
    assert unamsil == {world.sl.pk, world.southern.pk, world.bo.pk, world.kenema.pk}
    client = api_as(world.minusca_analyst)
    assert ids(client.get("/api/places/")) == {world.car.pk, world.lobaye.pk, world.mbaiki.pk}
    assert client.get(f"/api/places/{world.bo.pk}/").status_code == 404


def test_place_geometry_only_when_asked(api_as, world):
    client = api_as(world.users["analyst"])
    listed = client.get("/api/places/", {"kind": "adm1"}).json()["results"]
    assert [p["name"] for p in listed] == ["Southern"] and "geometry" not in listed[0]
    with_geometry = client.get("/api/places/", {"kind": "adm1", "geometry": "1"}).json()["results"]
    assert with_geometry[0]["geometry"]["type"] == "Polygon"


def test_place_detail_has_geometry_and_admin_areas(api_as, world):
    client = api_as(world.users["analyst"])
    bo = client.get(f"/api/places/{world.bo.pk}/").json()
    assert bo["geometry"] is None
    assert bo["priogrid_gid"] == 140737  # the PRIOID Geo-PKO gives for Bo
    assert [(a["kind"], a["name"]) for a in bo["admin_areas"]] == [("adm1", "Southern"), ("country", "Sierra Leone")]
    southern = client.get(f"/api/places/{world.southern.pk}/").json()
    assert southern["geometry"]["type"] == "Polygon" and southern["admin_areas"][0]["name"] == "Sierra Leone"


def test_place_filters(api_as, world):
    client = api_as(world.users["superuser"])
    assert ids(client.get("/api/places/", {"kind": "site"})) == {world.bo.pk, world.kenema.pk, world.mbaiki.pk}
    assert ids(client.get("/api/places/", {"name": "ENE"})) == {world.kenema.pk}
    assert ids(client.get("/api/places/", {"parent": world.southern.pk})) == {world.bo.pk}
    assert ids(client.get("/api/places/", {"country": world.car.pk, "kind": "site"})) == {world.mbaiki.pk}
    assert ids(client.get("/api/places/", {"priogrid_gid": 140737})) == {world.bo.pk}
    assert client.get("/api/places/", {"kind": "planet"}).status_code == 400


def test_organizations_are_shared_reference_data(api_as, world):
    partner = ids(api_as(world.users["partner"]).get("/api/organizations/"))
    assert world.guinea.pk in partner and world.lra.pk in partner
    assert ids(api_as(world.minusca_partner).get("/api/organizations/")) == partner


def test_organization_filters(api_as, world):
    client = api_as(world.users["reporter"])
    rows = client.get("/api/organizations/", {"kind": "armed_group"}).json()["results"]
    assert [r["name"] for r in rows] == ["CPJP", "LRA", "Seleka"]
    rows = client.get("/api/organizations/", {"name": "central african"}).json()["results"]
    assert [r["key"] for r in rows] == ["ucdp:86"]
