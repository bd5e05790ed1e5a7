"""The audit pages in a real browser: a DDR officer opens a participant's record; the
administrator finds that view, and the participant's change history with the name hidden,
through the filters; an analyst has no audit menu."""

import re

from playwright.sync_api import expect

from bluehelmet.ddr.models import Participant


def test_administrator_finds_a_record_view_and_a_change(page, log_in):
    participant = (
        Participant.objects.filter(mission__acronym="UNAMSIL").order_by("-pk").first()
    )  # newest: first in the history
    log_in("ddr", "bluehelmet-ddr")
    page.goto(f"/missions/UNAMSIL/ddr/participants/{participant.pk}/")
    expect(page.locator("#full-name")).to_be_visible()
    page.context.clear_cookies()

    log_in("admin", "bluehelmet-admin")
    page.get_by_role("link", name="Audit", exact=True).click()
    page.get_by_role("link", name="Views of sensitive records").click()
    page.fill("#id_user", "ddr")
    page.select_option("#id_record_type", "ddr.Participant")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/audit/accesses/\?user=ddr"))
    expect(page.locator("tbody tr").first).to_contain_text(f"DDR participant #{participant.pk}")
    expect(page.get_by_role("link", name="Download CSV")).to_have_attribute(
        "href", re.compile(r"/audit/accesses\.csv\?user=ddr")
    )

    page.get_by_role("link", name="Changes to records").click()
    page.select_option("#id_record_type", "ddr.participant")
    page.select_option("#id_action", "create")
    page.get_by_role("button", name="Filter").click()
    row = page.locator("tbody tr", has_text=f"DDR participant #{participant.pk}")
    expect(row).to_contain_text("[hidden]")
    expect(page.locator("body")).not_to_contain_text(participant.full_name)


def test_analyst_has_no_audit_menu(page, log_in):
    log_in("analyst", "bluehelmet-analyst")
    page.goto("/")
    expect(page.get_by_role("link", name="Audit", exact=True)).to_have_count(0)
    response = page.goto("/audit/")
    assert response.status == 403
