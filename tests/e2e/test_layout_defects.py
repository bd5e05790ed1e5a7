"""Layout defects seen in a 1400 px window (issue 15, section 5): the audit page fits the
window, its filter form is laid out as a grid, and the civil affairs sub-menu marks the
current page."""

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

USERS = {user.username: user for user in DEMO_USERS}


def test_the_audit_page_fits_a_1400_px_window(page, log_in):
    log_in(USERS["admin"].username, USERS["admin"].password)
    page.goto("/audit/")
    expect(page.locator("table.data-table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    grid = page.locator("form.filters .form-grid")
    assert grid.evaluate("el => getComputedStyle(el).display") == "grid"


def test_the_civil_affairs_sub_menu_marks_the_current_page(page, log_in):
    log_in(USERS["admin"].username, USERS["admin"].password)
    page.goto("/missions/UNAMSIL/civilaffairs/list/grievances/")
    current = page.locator('nav.sub-nav a[aria-current="page"]')
    expect(current).to_have_text("Grievances")
    assert current.evaluate("el => getComputedStyle(el).fontWeight") in ("600", "700", "bold")
