"""A planner's path: the demo mission's units and sites, training compliance, and an
optimised plan beside today's posture with the share of risk each covers."""

import re
from pathlib import Path

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
PARTNER = next(u for u in DEMO_USERS if u.username == "partner")


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
