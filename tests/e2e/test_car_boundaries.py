"""MINUSCA's maps in a real browser with OCHA's boundaries of the Central African Republic:
the prefectures and sub-prefectures are drawn as polygons, and a reporter places a report
by clicking inside a prefecture."""

import re

from playwright.sync_api import expect
from shapely.geometry import Point, shape

from bluehelmet.core.demo import DEMO_USERS
from bluehelmet.core.models import Place
from bluehelmet.incidents.models import Incident

REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")

# Where a point is drawn on the report form's map, in pixels from its top left corner.
TO_PIXEL = """([lat, lon]) => { const m = document.getElementById('pick-map').bhMap;
  const p = m.latLngToContainerPoint([lat, lon]); return { x: p.x, y: p.y }; }"""


def test_minusca_overview_map_draws_the_prefectures_as_polygons(page, log_in):
    log_in(REPORTER.username, REPORTER.password)
    page.goto("/missions/MINUSCA/")
    expect(page.locator("#mission-map[data-areas-loaded]")).to_be_attached()
    assert int(page.locator("#mission-map").get_attribute("data-areas-loaded")) == 17 + 72
    prefectures = page.locator("#mission-map path.map-area-adm1")
    assert prefectures.count() >= 17
    # Polygons, not circles: each prefecture's path has many vertices.
    d = prefectures.first.get_attribute("d")
    assert d.count("L") > 20
    assert page.locator("#mission-map path.map-area-adm2").count() == 72


def test_a_click_inside_a_prefecture_places_the_report_there(page, log_in):
    haute_kotto = Place.objects.get(pcode="CF52")
    area = shape(haute_kotto.geometry)
    inside = area.representative_point()
    log_in(REPORTER.username, REPORTER.password)
    page.goto("/missions/MINUSCA/incidents/report/")
    pick_map = page.locator("#pick-map")
    expect(page.locator("#pick-map[data-areas-loaded]")).to_be_attached()
    assert page.locator("#pick-map path.map-area-adm1").count() >= 17
    pixel = page.evaluate(TO_PIXEL, [inside.y, inside.x])
    pick_map.click(position=pixel)
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert area.contains(Point(longitude, latitude)), (latitude, longitude)

    page.select_option("#id_type", "armed-clash")
    page.fill("#id_narrative", "E2E: shots heard near the prefecture's main road (fictitious).")
    page.fill("#id_killed_civilian", "0")
    page.select_option("#id_source-kind", "un_personnel")
    page.select_option("#id_source-reliability", "B")
    page.select_option("#id_source-credibility", "2")
    page.fill("#id_source-identity", "E2E patrol leader (fictitious)")
    page.click("#report-form button[type=submit]")
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    incident = Incident.objects.select_related("place").get(pk=int(re.search(r"/incidents/(\d+)/$", page.url).group(1)))
    # Placed by point-in-polygon in a sub-prefecture of Haute-Kotto, which knows its prefecture.
    assert incident.place.pcode.startswith("CF52")
    assert haute_kotto in incident.place.admin_areas() or incident.place == haute_kotto
