"""A person's path through the demo: log in, open Sierra Leone, replay deployments, filter events."""

import re
from pathlib import Path

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
PARTNER = next(u for u in DEMO_USERS if u.username == "partner")


def test_anonymous_visitor_is_sent_to_login(page):
    page.goto("/missions/UNAMSIL/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_wrong_password_is_refused(page):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", ANALYST.username)
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_sierra_leone_deployments_replay_month_by_month(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.get_by_role("link", name=re.compile("UNAMSIL")).first.click()
    expect(page).to_have_url(re.compile(r"/missions/UNAMSIL/"))

    summary = page.locator("#deployment-summary")
    markers = page.locator("path.deployment-marker")
    slider = page.locator("#mission-from")
    expect(markers.first).to_be_visible()

    # First deployment month, then the last: the sites and troop numbers must change.
    slider.fill(slider.get_attribute("min"))
    slider.dispatch_event("input")
    first_text, first_count = summary.inner_text(), markers.count()
    slider.fill(slider.get_attribute("max"))
    slider.dispatch_event("input")
    expect(summary).not_to_have_text(first_text)
    last_count = markers.count()
    assert (first_text, first_count) != (summary.inner_text(), last_count)
    assert last_count > 0 and first_count > 0

    # The timeline is drawn (Chart.js renders into a canvas).
    expect(page.locator("canvas").first).to_be_visible()
    Path("test-results").mkdir(exist_ok=True)
    page.screenshot(path="test-results/sierra-leone.png", full_page=True)


def test_filtering_events_narrows_the_table(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/MINUSCA/")
    rows = page.locator("#events-table .event-row")
    expect(rows.first).to_be_visible()
    before = page.locator("#events-table").inner_text()

    page.fill("input[name=actor]", "LRA")
    page.fill("input[name=date_from]", "2009-01-01")
    page.fill("input[name=date_to]", "2009-12-31")
    page.locator("#events-filter button[type=submit], #events-filter input[type=submit]").first.click()
    expect(page.locator("#events-table")).not_to_have_text(before)
    # The table is swapped in by htmx: wait for the filtered rows, not just for a change.
    expect(rows.first).to_contain_text("LRA")
    expect(rows.first).to_contain_text("2009")
    for text in rows.all_inner_texts():
        assert "LRA" in text and "2009" in text


def test_french_interface(page, log_in):
    log_in(PARTNER.username, PARTNER.password)
    page.goto("/")
    page.locator("select[name=language]").select_option("fr")
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("body")).to_contain_text("Missions")
