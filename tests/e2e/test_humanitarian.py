"""Humanitarian coordination in a real browser: the humanitarian officer imports the
shipped 3W HXL sample through the upload page and sees the gap map, then exports."""

import re

from playwright.sync_api import expect

from bluehelmet.humanitarian.demo import THREE_W_SAMPLE
from bluehelmet.humanitarian.models import Activity


def test_officer_imports_a_3w_file_and_sees_the_gap_map(page, log_in):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in("humanitarian", "bluehelmet-humanitarian")
    page.goto("/missions/UNAMSIL/humanitarian/")
    page.get_by_role("link", name="Import HXL").click()
    form = page.locator("#hxl-import-form")
    form.locator("#id_kind").select_option("humanitarian-3w")
    form.locator("#id_file").set_input_files(str(THREE_W_SAMPLE))
    form.get_by_role("button", name="Import").click()
    expect(page).to_have_url(re.compile(r"/humanitarian/import/\d+/$"))
    status = page.locator("#job-status")
    expect(status).to_contain_text("Succeeded")
    expect(status.locator(".import-summary")).to_contain_text("40")
    assert (
        Activity.objects.filter(mission__acronym="UNAMSIL", activity__endswith="(exercise)", location="").count() >= 40
    )

    page.locator("#see-gap-map").click()
    expect(page).to_have_url(re.compile(r"/missions/UNAMSIL/humanitarian/$"))
    gap_map = page.locator("#gap-map")
    expect(gap_map).to_have_attribute("data-loaded", re.compile(r"^[1-9]\d*$"))
    expect(page.locator("#gap-map path.gap-area").first).to_be_visible()
    assert int(gap_map.get_attribute("data-with-gap")) > 0

    # One sector: the table has the sector's districts, largest gap first.
    # Choosing a sector applies it (no "Show" button to press, as on every other filter).
    expect(page.locator("#gap-filters").get_by_role("button", name="Show")).to_have_count(0)
    page.locator("#sector").select_option("food_security")
    expect(page).to_have_url(re.compile(r"sector=food_security"))
    rows = page.locator("#gap-table tbody tr")
    expect(rows.first).to_be_visible()
    gaps = [
        int(text) for text in page.locator("#gap-table tbody td.gap-cell").all_inner_texts() if text.strip().isdigit()
    ]
    assert gaps and gaps == sorted(gaps, reverse=True)
    page.locator("#gap-map path.gap-area").first.click()
    expect(page.locator(".leaflet-popup-content")).to_be_visible()

    with page.expect_download() as download:
        page.locator("#gaps-csv").click()
    assert download.value.suggested_filename == "UNAMSIL-humanitarian-gaps.csv"
    page.get_by_role("link", name="3W activities").click()
    with page.expect_download() as download:
        page.locator(".export-hxl").click()
    assert download.value.suggested_filename == "UNAMSIL-activities-hxl.csv"
    assert not problems, problems
