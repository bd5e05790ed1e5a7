"""The risk page in a real browser on the demo: MINUSCA's forecast from the shipped GED
events of the Central African Republic (the demo runs it while loading)."""

import re

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
PARTNER = next(u for u in DEMO_USERS if u.username == "partner")


def test_risk_page_map_list_and_place_chart(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/MINUSCA/risk/")
    expect(page.locator("#risk-summary")).to_contain_text("conflict events up to")
    # OCHA's boundaries are loaded: the admin units are the 17 prefectures, no stand-in note.
    expect(page.get_by_text("No boundary file for this country")).to_have_count(0)

    # The map draws the 0.5-degree cells and the prefectures as polygons.
    expect(page.locator("#risk-map[data-loaded]")).to_be_attached()
    assert page.locator("path.risk-cell").count() > 50
    assert page.locator("path.risk-area").count() >= 17
    assert page.locator("path.risk-area-point").count() == 0

    # The top list is ranked by probability and names the drivers.
    rows = page.locator("#top-areas .risk-row")
    expect(rows.first).to_be_visible()
    shares = [
        int(t.strip().rstrip("%")) for t in page.locator("#top-areas .risk-row td:nth-child(3)").all_inner_texts()
    ]
    assert shares == sorted(shares, reverse=True) and shares[0] > 0
    assert page.locator("#top-areas .risk-row td:nth-child(7)").first.inner_text().strip()

    # Picking a place draws its history against the forecast bands.
    second = page.locator("#top-areas .unit-link").nth(1)
    name = second.inner_text()
    second.click()
    expect(page.locator("#unit-chart-title")).to_have_text(name)
    expect(page.locator("#unit-drivers")).to_contain_text("Main drivers")
    expect(page.locator("#top-areas .risk-row.selected")).to_have_count(1)

    # Another horizon: the page follows.
    page.get_by_role("link", name="In 6 months").click()
    expect(page).to_have_url(re.compile(r"h=6"))
    expect(page.locator("#risk-map-panel h2")).to_contain_text("6 month")
    page.locator("#risk-map").screenshot(path="test-results/earlywarning-map.png")

    # Clicking a cell on the map opens its figures and its chart.
    page.locator("path.risk-cell").first.click(force=True)
    expect(page.locator(".leaflet-popup-content")).to_contain_text("P(at least 1 fatality)")

    # The run's own scores, out of sample.
    page.get_by_role("link", name="How good is this model?").click()
    expect(page.locator("#scores-admin")).to_contain_text("lightgbm_hurdle")
    expect(page.locator("#run-status")).to_contain_text("Succeeded")


def test_analyst_sees_a_bad_cutoff_rejected_on_the_field(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/MINUSCA/risk/")
    page.locator("#id_cutoff").evaluate("el => el.removeAttribute('pattern')")
    page.fill("#id_cutoff", "soon")
    page.get_by_role("button", name="Run a new forecast").click()
    expect(page.locator("#start-run-form .field-error")).to_contain_text("YYYY-MM")


def test_partner_sees_no_unshared_forecast(page, log_in):
    log_in(PARTNER.username, PARTNER.password)
    page.goto("/missions/MINUSCA/risk/")
    expect(page.locator("#no-forecast")).to_be_visible()
    expect(page.locator("#start-run-form")).to_have_count(0)


def test_forecast_against_outcome_and_calibration_charts(page, log_in):
    """The demo makes two runs a month apart: the risk page looks back at the earlier one, and
    the run page draws its PIT histogram and reliability diagrams (Chart.js, no inline script)."""
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/MINUSCA/risk/")
    review = page.locator("#forecast-review")
    expect(review).to_contain_text("What happened in")
    expect(review).to_contain_text("default threshold applies")
    # Every prefecture is watched, each with a verdict matching its forecast and outcome.
    rows = review.locator("table.review-table[data-level='admin'] tbody tr")
    assert rows.count() >= 17
    for cells in (r.locator("td").all_inner_texts() for r in rows.all()):
        share, fatalities, verdict = int(cells[1].rstrip("%")), int(cells[2]), cells[3]
        alarmed, happened = share >= 50, fatalities >= 1
        expected = ("hit" if alarmed else "miss") if happened else ("false alarm" if alarmed else "calm, as forecast")
        # The page rounds the probability: only a forecast of exactly 50% could be either side.
        assert verdict == expected or share == 50, cells
    counts = review.locator(".review-counts[data-level='admin']").inner_text()
    assert re.search(r"\d+ hit\(s\), \d+ miss\(es\), \d+ false alarm\(s\)", counts), counts
    page.locator("#forecast-review").screenshot(path="test-results/earlywarning-review.png")

    page.get_by_role("link", name="How good is this model?").click()
    for level in ("admin", "pgm"):
        figures = page.locator(f"#calibration-{level}")
        expect(figures.locator("table.coverage-table")).to_contain_text("50% range")
        expect(figures.locator("table.coverage-table")).to_contain_text("90% range")
        for chart in (
            "canvas.pit-chart",
            "canvas.reliability-chart[data-event='ge1']",
            "canvas.reliability-chart[data-event='ge25']",
        ):
            expect(figures.locator(f"{chart}[data-drawn='true']")).to_be_attached()
    page.locator("#calibration-pgm").screenshot(path="test-results/earlywarning-calibration.png")
