"""Search everywhere in a real browser: the header's search box, as an analyst, as a reporter
(mission staff: the AMBER incident too) and as a partner (who finds only what is shared with
partners)."""

import re

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
PARTNER = next(u for u in DEMO_USERS if u.username == "partner")
REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")


def search_from_the_header(page, words):
    box = page.get_by_role("searchbox", name="Search everywhere")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))


def test_the_header_search_box_as_an_analyst_and_as_a_partner(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/UNAMSIL/")
    search_from_the_header(page, "ruf")
    # The demo's RUF: an actor, a staff-only (AMBER) exercise incident, the Lomé agreements.
    expect(page.locator("#search-summary")).to_contain_text("results for “ruf”")
    incidents = page.locator('section.search-group[data-kind="incidents.incident"]')
    expect(incidents).to_contain_text("Armed clash")
    expect(incidents.locator("mark").first).to_have_text(re.compile("^RUF$", re.I))
    expect(page.locator('section.search-group[data-kind="core.organization"]')).to_contain_text(
        "Revolutionary United Front"
    )
    expect(page.locator('#search-kinds a[data-kind="incidents.incident"]')).to_have_text(re.compile(r"\(1\)"))
    # Accents and word endings: "lome agreements" finds the Lomé Peace Agreement.
    search_from_the_header(page, "lome agreements")
    expect(page.locator('section.search-group[data-kind="civilaffairs.agreement"]')).to_contain_text("Lomé")
    # One kind, then a result opens its record.
    search_from_the_header(page, "RUF")
    page.locator('#search-kinds a[data-kind="incidents.incident"]').click()
    expect(page.locator("section.search-group h2")).to_have_text("Incidents")
    page.locator("section.search-group .search-hit a").first.click()
    expect(page).to_have_url(re.compile(r"/missions/UNAMSIL/incidents/\d+/$"))
    expect(page.locator("body")).to_contain_text("RUF")
    # A word too short is explained, not an error.
    search_from_the_header(page, "r")
    expect(page.locator("#field-q .field-error")).to_have_text("Type at least 2 letters to search.")

    page.context.clear_cookies()
    log_in(REPORTER.username, REPORTER.password)
    page.goto("/")
    search_from_the_header(page, "ruf")
    expect(page.locator('section.search-group[data-kind="incidents.incident"]')).to_contain_text("Armed clash")

    page.context.clear_cookies()
    log_in(PARTNER.username, PARTNER.password)
    page.goto("/")
    search_from_the_header(page, "ruf")
    expect(page.locator('section.search-group[data-kind="core.organization"]')).to_contain_text(
        "Revolutionary United Front"
    )
    # The AMBER, staff-only incident is neither listed nor counted for a partner.
    expect(page.locator('section.search-group[data-kind="incidents.incident"]')).to_have_count(0)
    expect(page.locator('#search-kinds a[data-kind="incidents.incident"]')).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Armed clash")
