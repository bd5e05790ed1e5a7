"""The performance area in a real browser: the results dashboard, the effect estimates, the
report button, and the lesson search."""

import re
from pathlib import Path

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
PARTNER = next(u for u in DEMO_USERS if u.username == "partner")


def test_results_dashboard_shows_lights_trends_and_no_data(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/UNAMSIL/performance/")
    rows = page.locator("tr.indicator-row")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 6
    killed = page.locator('tr.indicator-row[data-code="POC-1"]')
    expect(killed).to_have_attribute("data-status", "green")
    expect(killed.locator("canvas.sparkline")).to_be_visible()
    # Civil affairs engagement coverage is computed from the demo's exercise engagements.
    engagement = page.locator('tr.indicator-row[data-code="CA-1"]')
    expect(engagement).to_be_visible()
    expect(engagement).not_to_contain_text("no community engagement records")
    expect(page.locator("#effects-summary")).to_contain_text("Each additional 1,000 troops is associated with")
    # The sparkline is drawn: Chart.js leaves pixels on the canvas.
    drawn = killed.locator("canvas.sparkline").evaluate(
        "c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).some(v => v !== 0)"
    )
    assert drawn

    killed.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/performance/indicators/\d+/"))
    expect(page.locator("#indicator-chart")).to_be_visible()
    expect(page.locator("#assessments")).to_contain_text("Exercise assessment (demo data)")
    Path("test-results").mkdir(exist_ok=True)


def test_effect_page_shows_the_event_study_plot(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/MINUSCA/performance/effects/")
    figure = page.locator(".effect-figure img")
    expect(figure).to_be_visible()
    assert figure.evaluate("img => img.naturalWidth") > 100
    expect(page.locator("#estimate-base_openings")).to_contain_text("Averaged over the months after opening")
    # The demo imports the HKS file, which has the Central African Republic's conflict months.
    expect(page.locator("#estimate-conflict_months")).to_contain_text("Hultman, Kathman & Shannon")
    expect(page.locator("#estimate-conflict_months")).not_to_contain_text("no conflict-month series")


def test_report_button_produces_html_and_pdf(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/UNAMSIL/performance/")
    page.click("#report-button")
    expect(page).to_have_url(re.compile(r"/performance/reports/\d+/"))
    expect(page.locator("#report-status")).to_have_attribute("data-status", "succeeded", timeout=60_000)
    pdf = page.request.get(page.locator("#report-pdf").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    with page.context.expect_page() as opened:
        page.click("#report-html")
    report = opened.value
    expect(report.locator("h1")).to_contain_text("UNAMSIL")
    expect(report.locator("body")).to_contain_text("Results framework")
    assert report.locator("img").count() >= 2


def test_lesson_search_narrows_as_you_type(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/UNAMSIL/lessons/")
    cards = page.locator("#lesson-results .lesson-card")
    expect(cards.first).to_be_visible()
    total = cards.count()
    page.fill("#lesson-search input[name=q]", "rules of engagement")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Peacekeepers must be able to defend themselves and the mandate")
    assert total > 1
    expect(page).to_have_url(re.compile(r"q=rules"))

    page.fill("#lesson-search input[name=q]", "")
    page.select_option("select[name=exercise]", "exercise")
    expect(cards.first).to_contain_text("Exercise")
    for text in cards.all_inner_texts():
        assert "exercise data" in text
    cards.first.locator("a").first.click()
    expect(page.locator("#applications")).to_be_visible()


def test_partner_sees_shared_lessons_and_no_report_button(page, log_in):
    log_in(PARTNER.username, PARTNER.password)
    page.goto("/missions/UNAMSIL/performance/")
    expect(page.locator("#report-button")).to_have_count(0)
    page.goto("/missions/UNAMSIL/lessons/")
    for text in page.locator("#lesson-results .lesson-card").all_inner_texts():
        assert "exercise data" not in text
