"""The gazetteer in the browser (issue 15), for UNAMSIL (Sierra Leone) and MINUSCA (Central
African Republic): typing a town's name in the report form sets the point and the admin
area, and the filed report lands there; the overview map labels the towns and its search
box flies to a place; the incident page shows its own map; the incident list filters by a
place found by name."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS
from bluehelmet.core.models import Place
from bluehelmet.incidents.models import Incident

REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")
ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")

# (mission, what is typed, the town's GeoNames key, its point as GeoNames gives it)
TOWNS = [
    ("UNAMSIL", "Makeni", "geonames:2406407", (8.88605, -12.04417)),
    ("MINUSCA", "Bambari", "geonames:240604", (5.76795, 20.67565)),
]


def watch_errors(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    return problems


@pytest.mark.parametrize(("acronym", "typed", "key", "point"), TOWNS)
def test_a_town_found_by_name_sets_the_reports_point_and_area(page, log_in, acronym, typed, key, point):
    problems = watch_errors(page)
    town = Place.objects.select_related("parent").get(key=key)
    log_in(REPORTER.username, REPORTER.password)
    page.goto(f"/missions/{acronym}/incidents/report/")
    search = page.locator("#report-place-search")
    expect(search).to_have_attribute("role", "combobox")
    search.press_sequentially(typed.lower()[:5], delay=40)
    option = page.locator(".place-search-option").first
    expect(option).to_contain_text(typed)
    expect(option).to_contain_text("Locality")
    expect(search).to_have_attribute("aria-expanded", "true")
    search.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    search.press("Enter")  # picks the place; the form is not sent
    expect(page).to_have_url(re.compile(r"/incidents/report/$"))
    expect(page.locator("#id_latitude")).to_have_value(f"{point[0]:.5f}")
    expect(page.locator("#id_longitude")).to_have_value(f"{point[1]:.5f}")
    expect(page.locator("#id_place")).to_have_value(str(town.parent_id))
    expect(page.locator("#id_location_description")).to_have_value(typed)
    expect(page.locator("#pick-map .leaflet-marker-icon:not(.map-place-label)")).to_have_count(1)

    page.select_option("#id_type", "armed-clash")
    page.fill("#id_narrative", f"E2E gazetteer: report placed by searching {typed}.")
    page.select_option("#id_source-kind", "un_personnel")
    page.select_option("#id_source-reliability", "B")
    page.select_option("#id_source-credibility", "2")
    page.click("#report-form button[type=submit]")
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    incident = Incident.objects.get(pk=int(re.search(r"/incidents/(\d+)/$", page.url).group(1)))
    assert (incident.latitude, incident.longitude) == pytest.approx(point, abs=1e-5)
    assert incident.place_id == town.parent_id and incident.location_description == typed

    Path("test-results").mkdir(exist_ok=True)
    page.screenshot(path=f"test-results/gazetteer-incident-{acronym}.png", full_page=True)
    # The incident's page has its own map: the point, and the admin area it lies in.
    detail_map = page.locator("#incident-detail-map")
    expect(detail_map.locator("path.incident-marker")).to_have_count(1)
    expect(detail_map.locator("path.incident-area")).to_have_count(1)
    centre = detail_map.evaluate("el => { const c = el.bhMap.getCenter(); return [c.lat, c.lng]; }")
    area_box = town.parent
    assert abs(centre[0] - point[0]) < 1.5 and abs(centre[1] - point[1]) < 1.5, (centre, area_box.name)
    assert problems == []


@pytest.mark.parametrize(("acronym", "largest"), [("UNAMSIL", "Freetown"), ("MINUSCA", "Bangui")])
def test_the_overview_map_labels_towns_and_more_as_one_zooms_in(page, log_in, acronym, largest):
    problems = watch_errors(page)
    log_in(ANALYST.username, ANALYST.password)
    page.goto(f"/missions/{acronym}/")
    mission_map = page.locator("#mission-map")
    labels = mission_map.locator(".map-place-label")
    expect(labels.filter(has_text=largest)).to_have_count(1)
    # Labels never take a click from the map.
    assert labels.first.evaluate("el => getComputedStyle(el).pointerEvents") == "none"
    before = labels.count()
    mission_map.evaluate("el => el.bhMap.setZoom(el.bhMap.getZoom() + 2, { animate: false })")
    page.wait_for_function("n => Number(document.getElementById('mission-map').dataset.placeLabels) !== n", arg=before)
    assert labels.count() != before or before == 0
    Path("test-results").mkdir(exist_ok=True)
    mission_map.screenshot(path=f"test-results/gazetteer-labels-{acronym}.png")
    assert problems == []


def test_the_map_search_box_flies_to_the_place(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/MINUSCA/")
    box = page.locator("#mission-map .map-place-search input")
    box.fill("mbaiki")
    page.locator("#mission-map .place-search-option", has_text="Mbaïki").first.click()
    expect(page.locator("#mission-map")).to_have_attribute("data-place-found", "Mbaïki")
    page.wait_for_function(
        "() => { const c = document.getElementById('mission-map').bhMap.getCenter();"
        " return Math.abs(c.lat - 3.868) < 0.05 && Math.abs(c.lng - 17.989) < 0.05; }"
    )


def test_the_incident_list_filters_by_a_place_found_by_name(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/UNAMSIL/incidents/list/")
    page.locator("#id_place_search").fill("makeni")
    page.locator(".place-search-option", has_text="Makeni").first.click()
    makeni = Place.objects.get(key="geonames:2406407")
    expect(page.locator("#id_place")).to_have_value(str(makeni.pk))
    page.locator("form.filters button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"[?&]place={makeni.pk}\b"))
    expect(page.locator("#id_place_search")).to_have_value("Makeni")
