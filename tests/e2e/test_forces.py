"""A planner's path: the demo mission's units and sites, training compliance, and an
optimised plan beside today's posture with the share of risk each covers."""

import datetime
import json
import re
from pathlib import Path

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS, exercise_moment
from bluehelmet.core.models import Mission

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
PARTNER = next(u for u in DEMO_USERS if u.username == "partner")
REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")


def test_planner_sees_units_training_and_an_optimised_plan(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/MINUSCA/forces/")

    # Units and sites from the Geo-PKO maps, on the map and in the tables.
    expect(page.locator("#units-table .unit-row").first).to_be_visible()
    expect(page.locator("#units-table")).to_contain_text("contingent, Bangui")
    expect(page.locator("#bases-table")).to_contain_text("Mission headquarters")
    assert page.locator("#base-map path.base-marker").count() > 5
    expect(page.locator("#strength-chart")).to_be_visible()

    # Training compliance per unit and country, with who is overdue.
    page.get_by_role("link", name="Training").click()
    expect(page.locator("#compliance-headline")).to_contain_text(re.compile(r"\d+\.\d% of required trainings current"))
    assert page.locator("#compliance-by-unit tbody tr").count() > 5
    expect(page.locator("#overdue-table")).to_contain_text("Exercise person")

    # The optimiser: run it, then today's posture and the plan side by side.
    page.get_by_role("link", name="Allocation plan").click()
    # Early warning's forecast when it has one, else the fallback from past events: labelled.
    expect(page.locator(".risk-source")).to_contain_text(re.compile("early-warning forecast|fallback from history"))
    page.fill("#id_time_limit", "10")
    page.get_by_role("button", name="Optimise").click()
    today, plan = page.locator("#share-today .share-value"), page.locator("#share-plan .share-value")
    expect(plan).to_have_text(re.compile(r"\d+\.\d%"))
    expect(today).to_have_text(re.compile(r"\d+\.\d%"))
    assert float(plan.inner_text().rstrip("%")) >= float(today.inner_text().rstrip("%"))
    expect(page.locator("#population-note")).to_contain_text("Population unknown: unweighted risk.")
    for map_id in ("#posture-map", "#plan-map"):
        expect(page.locator(f"{map_id} path.place-marker").first).to_be_attached()
        assert page.locator(f"{map_id} path.base-marker").count() > 0
    covered_today = page.locator("#posture-map path.place-covered").count()
    covered_plan = page.locator("#plan-map path.place-covered").count()
    assert covered_plan >= covered_today
    Path("test-results").mkdir(exist_ok=True)
    page.screenshot(path="test-results/forces-plan.png", full_page=True)


def test_partner_sees_units_but_not_personnel(page, log_in):
    log_in(PARTNER.username, PARTNER.password)
    page.goto("/missions/MINUSCA/forces/")
    expect(page.locator("#units-table .unit-row").first).to_be_visible()
    expect(page.get_by_role("link", name="Training")).to_have_count(0)
    response = page.goto("/missions/MINUSCA/forces/training/")
    assert response.status == 403


def coverage_visits(page) -> dict[str, int]:
    return {p["id"]: p["visits"] for p in json.loads(page.locator("#coverage-map-data").text_content())}


def test_reporter_plans_and_reports_a_patrol_and_sees_it_on_the_coverage_map(page, log_in, django_db_blocker):
    # The demo's exercise incidents sit in the mission's own period (core.demo.exercise_moment):
    # the patrol goes out the day before, so they are near it.
    with django_db_blocker.unblock():
        exercise = exercise_moment(Mission.objects.get(acronym="UNAMSIL"))
    log_in(REPORTER.username, REPORTER.password)
    page.goto("/missions/UNAMSIL/forces/patrols/")
    expect(page.locator("#patrol-map path.coverage-marker").first).to_be_attached()
    before = coverage_visits(page)

    page.locator("#plan-patrol").click()
    expect(page.locator("#route-map path.patrol-place").first).to_be_attached()
    page.locator("#id_unit").select_option(index=1)
    page.locator("#id_kind").select_option("joint_police")
    yesterday = exercise.date() - datetime.timedelta(days=1)
    page.fill("#id_start", f"{yesterday}T08:00")
    page.fill("#id_end", f"{yesterday}T14:00")
    place = page.locator("#id_places option").first
    place_id, place_name = int(place.get_attribute("value")), place.inner_text()
    page.locator("#id_places").select_option(str(place_id))
    # Sent without a drawing: the route is required, the error is shown by the map.
    page.get_by_role("button", name="Plan the patrol").click()
    expect(page.locator("#route-error")).to_contain_text("Draw the patrol's area or route on the map.")
    # Draw a route: a line of three clicks on the map.
    page.locator("input[name=draw_kind][value=LineString]").check()
    page.locator("#route-map").scroll_into_view_if_needed()
    box = page.locator("#route-map").bounding_box()
    for dx, dy in ((0.3, 0.4), (0.5, 0.5), (0.6, 0.7)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    expect(page.locator("#draw-status")).to_have_text("points: 3")
    expect(page.locator("#route-map path.drawn-route")).to_be_attached()
    page.get_by_role("button", name="Plan the patrol").click()
    expect(page.locator(".messages")).to_contain_text("Patrol planned.")

    # Report it: actual times come from the plan; an incident of the mission is linked.
    row = page.locator("tr.patrol-row", has_text="Joint with police").filter(has_text="Planned").first
    row.get_by_role("link", name="Record as conducted").click()
    expect(page.locator("#route-map path.planned-route")).to_be_attached()
    page.fill("#id_actual_start", f"{yesterday}T08:30")
    page.fill("#id_actual_end", f"{yesterday}T13:00")
    page.fill("#id_community_contacts", "3")
    page.locator("#id_incidents input[type=checkbox]").first.check()
    page.get_by_role("button", name="Record as conducted").click()
    expect(page.locator(".messages")).to_contain_text("Patrol recorded as conducted.")
    reported = page.locator("tr.patrol-row", has_text="Joint with police").filter(has_text="Conducted").first
    expect(reported).to_contain_text(place_name)
    expect(reported).to_contain_text("4.5")

    # The coverage map counts the visit, and draws the route.
    after = coverage_visits(page)
    assert after[place_id] == before.get(place_id, 0) + 1
    expect(page.locator("#patrol-map path.coverage-visited").first).to_be_attached()
    expect(page.locator("#patrol-map path.patrol-route").first).to_be_attached()
    Path("test-results").mkdir(exist_ok=True)
    page.screenshot(path="test-results/forces-patrols.png", full_page=True)
