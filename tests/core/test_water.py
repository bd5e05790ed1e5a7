"""The shipped water (issue 15: maps without a basemap draw boundaries, water and place labels
from the shipped data): Natural Earth's seas, lakes and rivers clipped to the mission, for its
members only."""

from pathlib import Path

import pytest
import shapely
from django.urls import reverse
from shapely.geometry import shape

from bluehelmet.core.models import Role
from bluehelmet.core.water import MARGIN_DEGREES, water_within
from bluehelmet.importers.registry import run_import
from tests.factories import make_user

pytestmark = pytest.mark.django_db

BOUNDARIES = Path(__file__).resolve().parents[2] / "src" / "bluehelmet" / "data" / "boundaries"


def kinds(collection) -> list[str]:
    return [feature["properties"]["kind"] for feature in collection["features"]]


def sea_of(collection):
    return shapely.union_all(
        [shape(f["geometry"]) for f in collection["features"] if f["properties"]["kind"] == "ocean"]
    )


def test_sierra_leone_has_its_coast_and_the_central_african_republic_its_rivers_far_from_the_sea():
    sierra_leone = water_within(6.9, -13.3, 10.0, -10.3)
    assert "ocean" in kinds(sierra_leone) and "river" in kinds(sierra_leone)
    # Freetown's peninsula is on the sea's edge; Makeni is inland.
    assert sea_of(sierra_leone).distance(shapely.Point(-13.23, 8.48)) < 0.1
    assert sea_of(sierra_leone).distance(shapely.Point(-12.0, 8.9)) > 0.5
    car = water_within(2.2, 14.4, 11.0, 27.5)
    assert kinds(car).count("river") >= 10  # the Ubangi, the Chari and their tributaries
    # Bangui is on the Ubangi, far from the Gulf of Guinea at the edge of the box.
    assert sea_of(car).distance(shapely.Point(18.56, 4.36)) > 5


def test_nothing_lies_outside_the_box_and_its_margin():
    south, west, north, east = 6.9, -13.3, 10.0, -10.3
    for feature in water_within(south, west, north, east)["features"]:
        min_x, min_y, max_x, max_y = shape(feature["geometry"]).bounds
        assert min_x >= west - MARGIN_DEGREES - 1e-9 and max_x <= east + MARGIN_DEGREES + 1e-9
        assert min_y >= south - MARGIN_DEGREES - 1e-9 and max_y <= north + MARGIN_DEGREES + 1e-9


def test_the_mission_map_gets_its_water_from_its_boundaries(client_for, mission):
    run_import("boundaries", BOUNDARIES / "sle_adm0_adm2_districts_geoboundaries_simplified.geojson")
    client = client_for(make_user("sl-reporter", mission, Role.REPORTER))
    response = client.get(reverse("mission-water", args=["UNAMSIL"]))
    assert response.status_code == 200
    assert {"ocean", "river"} <= set(kinds(response.json()))
    assert "private" in response["Cache-Control"]


def test_a_mission_with_no_boundaries_or_sites_gets_no_water(client_for, mission):
    client = client_for(make_user("sl-reporter", mission, Role.REPORTER))
    assert client.get(reverse("mission-water", args=["UNAMSIL"])).json() == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_only_members_get_the_water(client_for, mission, other_mission):
    outsider = client_for(make_user("car-reporter", other_mission, Role.REPORTER))
    assert outsider.get(reverse("mission-water", args=["UNAMSIL"])).status_code == 404
