"""Where a mission's maps open (core.missions.mission_bounds, written on every map element by
{% map_attrs mission %}): around its admin areas, else its sites; the viewer's places only."""

import json
import re
from html import unescape

from django.template import Context, Template
from django.test import RequestFactory

from bluehelmet.core.missions import mission_bounds
from bluehelmet.core.models import Place, Role
from tests.factories import make_user


def area(country, name, south, west, north, east):
    return Place.objects.create(
        key=f"adm1:{name}",
        kind=Place.Kind.ADM1,
        name=name,
        country=country,
        parent=country,
        geometry={
            "type": "Polygon",
            "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
        },
        min_lat=south,
        min_lon=west,
        max_lat=north,
        max_lon=east,
    )


def site(country, name, latitude, longitude):
    return Place.objects.create(
        key=f"site:{name}", kind=Place.Kind.SITE, name=name, country=country, latitude=latitude, longitude=longitude
    )


def test_the_admin_areas_decide_where_there_are_any(mission, country):
    user = make_user("ana", mission, Role.ANALYST)
    area(country, "Eastern", 7.0, -11.6, 9.0, -10.3)
    area(country, "Western Area", 8.2, -13.3, 8.6, -12.9)
    site(country, "Far away site", 0.0, 0.0)  # areas known: sites do not widen the box
    assert mission_bounds(user, mission) == [[7.0, -13.3], [9.0, -10.3]]


def test_the_sites_decide_where_no_boundaries_are_loaded(mission, country):
    """UNMIL's case: no boundaries for Liberia, only its Geo-PKO sites."""
    user = make_user("ana", mission, Role.ANALYST)
    site(country, "Monrovia", 6.30, -10.80)
    site(country, "Voinjama", 8.42, -9.75)
    assert mission_bounds(user, mission) == [[6.30, -10.80], [8.42, -9.75]]


def test_no_box_without_areas_or_sites_and_none_from_another_mission(mission, country, other_mission, other_country):
    user = make_user("ana", mission, Role.ANALYST)
    assert mission_bounds(user, mission) is None
    site(other_country, "Bangui", 4.36, 18.56)
    assert mission_bounds(user, mission) is None
    # Places of a mission the user is not in are not the user's (core.access.places_for).
    assert mission_bounds(user, other_mission) is None


def test_the_tag_writes_bounds_tiles_and_areas(mission, country, settings):
    settings.BLUEHELMET_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.BLUEHELMET_TILE_ATTRIBUTION = "© <Example>"
    user = make_user("ana", mission, Role.ANALYST)
    area(country, "Eastern", 7.0, -11.6, 9.0, -10.3)
    request = RequestFactory().get("/")
    request.user = user
    html = Template("{% load bluehelmet %}<div {% map_attrs mission %}></div>").render(
        Context({"mission": mission, "request": request})
    )
    bounds = re.search(r'data-bounds="([^"]*)"', html).group(1)
    assert json.loads(unescape(bounds)) == [[7.0, -11.6], [9.0, -10.3]]
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© &lt;Example&gt;"' in html  # escaped, as every attribute
    assert 'data-areas-url="/missions/UNAMSIL/map/areas.geojson"' in html
    no_areas = Template("{% load bluehelmet %}<div {% map_attrs mission areas=False %}></div>").render(
        Context({"mission": mission, "request": request})
    )
    assert 'data-areas-url=""' in no_areas
