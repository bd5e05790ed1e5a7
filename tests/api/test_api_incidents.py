"""Conflict events (JSON and GeoJSON) and conflict months."""

import json

import pytest

from bluehelmet.core.models import Membership, Role

from .conftest import ids

pytestmark = pytest.mark.django_db


def test_events_are_those_of_the_users_host_countries(api_as, world):
    client = api_as(world.minusca_analyst)
    assert ids(client.get("/api/events/")) == {world.lra_event.pk, world.bangui_event.pk, world.bria_event.pk}
    row = client.get(f"/api/events/{world.bangui_event.pk}/").json()
    assert row["ged_id"] == 22782 and row["type_of_violence"] == 3 and row["sharing"] == "mission"


def test_another_missions_events_are_invisible(api_as, world):
    client = api_as(world.users["administrator"])  # of UNAMSIL
    assert ids(client.get("/api/events/")) == set()
    assert client.get(f"/api/events/{world.lra_event.pk}/").status_code == 404
    assert client.get(f"/api/events/{world.lra_event.pk}/", {"format": "geojson"}).status_code == 404


def test_partner_sees_only_public_events(api_as, world):
    client = api_as(world.minusca_partner)
    assert ids(client.get("/api/events/")) == {world.lra_event.pk, world.bria_event.pk}
    assert client.get(f"/api/events/{world.bangui_event.pk}/").status_code == 404


def test_staff_role_in_one_mission_does_not_lift_partner_rule_in_another(api_as, world):
    user = world.users["analyst"]  # staff of UNAMSIL
    Membership.objects.create(user=user, mission=world.minusca, role=Role.PARTNER)
    assert ids(api_as(user).get("/api/events/")) == {world.lra_event.pk, world.bria_event.pk}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"date_from": "2009-01-01"}, {"lra_event", "bria_event"}),
        ({"date_from": "2009-01-01", "date_to": "2010-12-31"}, {"lra_event"}),
        ({"date_to": "1999-12-31"}, {"bangui_event"}),
        ({"type_of_violence": 2}, {"bria_event"}),
        ({"actor": "lra"}, {"lra_event"}),
        ({"actor": "Government"}, {"lra_event", "bangui_event"}),
        ({"place": "haute-kotto"}, {"bria_event"}),
        ({"min_fatalities": 12}, {"lra_event", "bria_event"}),
        ({"country": "central african republic"}, {"lra_event", "bangui_event", "bria_event"}),
        ({"priogrid_gid": 135758}, set()),
        ({"mission": "MINUSCA"}, {"lra_event", "bangui_event", "bria_event"}),
        (
            {"mission": "MINUSCA", "type_of_violence": 1, "date_from": "2009-09-08", "date_to": "2009-09-08"},
            {"lra_event"},
        ),
    ],
)
def test_event_filters(api_as, world, params, expected):
    response = api_as(world.minusca_analyst).get("/api/events/", params)
    assert ids(response) == {getattr(world, name).pk for name in expected}


def test_event_mission_filter_only_knows_the_users_missions(api_as, world):
    client = api_as(world.minusca_analyst)
    # UNAMSIL exists but is not this user's: refused like an unknown acronym, no hint either way.
    unknown = client.get("/api/events/", {"mission": "NOSUCH"})
    invisible = client.get("/api/events/", {"mission": "UNAMSIL"})
    assert unknown.status_code == invisible.status_code == 400
    assert "UNAMSIL" not in invisible.content.decode()
    superuser = api_as(world.users["superuser"])
    assert ids(superuser.get("/api/events/", {"mission": "UNAMSIL"})) == set()


def test_invalid_filter_values_are_400_not_500(api_as, world):
    client = api_as(world.minusca_analyst)
    for params in (
        {"date_from": "yesterday"},
        {"type_of_violence": 9},
        {"min_fatalities": "many"},
        {"priogrid_gid": "x"},
    ):
        assert client.get("/api/events/", params).status_code == 400, params


def _assert_feature(feature, event):
    assert feature["type"] == "Feature" and feature["id"] == event.pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [event.longitude, event.latitude]}
    assert feature["properties"]["ged_id"] == event.ged_id
    assert "latitude" not in feature["properties"]


def test_geojson_feature_collection_of_the_filtered_page(api_as, world):
    client = api_as(world.minusca_analyst)
    response = client.get(
        "/api/events/", {"format": "geojson", "date_from": "2009-01-01", "ordering": "date_start", "page_size": 1}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    assert collection["count"] == 2 and "page=2" in collection["next"]
    [feature] = collection["features"]
    _assert_feature(feature, world.lra_event)
    # Passes a GeoJSON check: every coordinate is a finite [lon, lat] in range.
    lon, lat = feature["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_of_one_event_and_by_suffix(api_as, world):
    client = api_as(world.minusca_analyst)
    _assert_feature(
        json.loads(client.get(f"/api/events/{world.bria_event.pk}/", {"format": "geojson"}).content), world.bria_event
    )
    collection = json.loads(client.get("/api/events.geojson", {"type_of_violence": 3}).content)
    assert [f["id"] for f in collection["features"]] == [world.bangui_event.pk]


def test_geojson_for_a_user_without_data_is_an_empty_collection(api_as, world):
    collection = json.loads(api_as(world.users["outsider"]).get("/api/events/", {"format": "geojson"}).content)
    assert collection == {"type": "FeatureCollection", "count": 0, "next": None, "previous": None, "features": []}


def test_conflict_months_follow_the_host_countries(api_as, world):
    # No sharing field: a partner sees the series of their mission's countries.
    assert ids(api_as(world.users["partner"]).get("/api/conflict-months/")) == {world.sl_jan.pk, world.sl_feb.pk}
    client = api_as(world.minusca_analyst)
    assert ids(client.get("/api/conflict-months/")) == set()
    assert client.get(f"/api/conflict-months/{world.sl_jan.pk}/").status_code == 404


def test_conflict_month_filters(api_as, world):
    client = api_as(world.users["analyst"])
    assert ids(client.get("/api/conflict-months/", {"month_from": "1991-02"})) == {world.sl_feb.pk}
    assert ids(client.get("/api/conflict-months/", {"month_to": "1991-01"})) == {world.sl_jan.pk}
    assert ids(client.get("/api/conflict-months/", {"mission": "UNAMSIL", "conflict_id": 187})) == {
        world.sl_jan.pk,
        world.sl_feb.pk,
    }
    assert ids(client.get("/api/conflict-months/", {"country": world.car.pk})) == set()
    row = client.get(f"/api/conflict-months/{world.sl_feb.pk}/").json()
    assert row["side_b"] == "RUF" and row["pko_present"] is False
