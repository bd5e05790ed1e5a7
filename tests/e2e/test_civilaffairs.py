"""Civil affairs in a real browser: a civil affairs officer turns a community alert into an
incident, logs an engagement, updates an agreement provision's status and exports a list
to CSV; the coverage map and the implementation chart are drawn."""

import re

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS
from bluehelmet.core.models import SensitiveAccess

OFFICER = next(u for u in DEMO_USERS if u.username == "civilaffairs")
ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")


def test_officer_turns_an_alert_into_an_incident(page, log_in):
    log_in(OFFICER.username, OFFICER.password)
    page.goto("/missions/UNAMSIL/civilaffairs/list/alerts/?status=new")
    page.locator("#records tbody tr a").first.click()
    expect(page).to_have_url(re.compile(r"/civilaffairs/alerts/\d+/$"))
    expect(page.locator("#alert-status")).to_have_attribute("data-status", "new")
    expect(page.locator("#alert-sender")).to_contain_text("+232")  # protected, shown to civil affairs, logged
    form = page.locator("#incident-form")
    form.locator("#id_type").select_option(label="Attack on civilians")
    form.locator("#id_narrative").fill(
        "Exercise: threat reported by the community alert network, confirmed by a patrol."
    )
    form.get_by_role("button", name="Create the incident").click()
    expect(page.locator("#alert-status")).to_have_attribute("data-status", "incident")
    page.locator("#alert-incident").click()
    expect(page).to_have_url(re.compile(r"/incidents/\d+/$"))
    expect(page.locator("body")).to_contain_text("confirmed by a patrol")
    expect(page.locator("body")).to_contain_text("Community alert network")


def test_officer_logs_an_engagement_and_exports_the_list(page, log_in):
    log_in(OFFICER.username, OFFICER.password)
    page.goto("/missions/UNAMSIL/civilaffairs/list/engagements/")
    page.get_by_role("link", name="Add", exact=True).click()
    form = page.locator("#engagement-form")
    form.locator("#id_kind").select_option("dialogue")
    form.locator("#id_held_on").fill("2999-10-04")
    form.locator("#id_place").select_option(label="Kailahun")
    form.locator("#id_title").fill("Browser exercise dialogue in Kailahun")
    form.locator("#id_topics").fill("returns, DDR")
    form.locator("#id_women").fill("12")
    form.locator("#id_men").fill("9")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(".has-error")).to_contain_text("This date is in the future")
    form.locator("#id_held_on").fill("2001-10-04")
    form.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/civilaffairs/engagements/\d+/$"))
    expect(page.locator("#engagement-title")).to_contain_text("Browser exercise dialogue in Kailahun")
    expect(page.locator("#participants-total")).to_have_text("21")

    page.goto("/missions/UNAMSIL/civilaffairs/list/engagements/")
    with page.expect_download() as download:
        page.locator("#export-csv").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("date,kind,title,place,participants")
    assert "Browser exercise dialogue in Kailahun" in text

    before = SensitiveAccess.objects.filter(action="export").count()
    page.goto("/missions/UNAMSIL/civilaffairs/list/partners/")
    with page.expect_download() as download:
        page.locator("#export-contacts").click()
    assert "full_name" in open(download.value.path(), encoding="utf-8").read()
    assert SensitiveAccess.objects.filter(action="export").count() == before + 1


def test_officer_updates_a_provision_and_sees_the_dashboard(page, log_in):
    log_in(OFFICER.username, OFFICER.password)
    page.goto("/missions/UNAMSIL/civilaffairs/list/agreements/")
    page.get_by_role("link", name=re.compile("Lomé Peace Agreement")).click()
    drawn = page.locator("#implementation-chart").evaluate(
        "c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).some(v => v !== 0)"
    )
    assert drawn
    page.get_by_role("link", name="Special Fund for War Victims").click()
    expect(page.locator("#provision-status")).to_contain_text("Not implemented")
    form = page.locator("#assessment-form")
    form.locator("#id_status").select_option("1")
    form.locator("#id_on").fill("2003-06-30")
    form.locator("#id_note").fill("Browser exercise assessment: fund set up on paper.")
    form.get_by_role("button", name="Record the assessment").click()
    expect(page.locator("#provision-status")).to_contain_text("Minimal")
    expect(page.locator("#assessment-history")).to_contain_text("Browser exercise assessment")
    # Overdue provisions (deadline passed, not fully implemented) are highlighted.
    page.goto("/missions/UNAMSIL/civilaffairs/")
    expect(page.locator("#overdue-provisions tr.overdue").first).to_contain_text("Youth employed")


def test_coverage_map_and_analyst_view(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/UNAMSIL/civilaffairs/coverage/?weeks=52&on=2001-12-31")
    expect(page.locator("#coverage-share")).to_contain_text("%")
    expect(page.locator("#coverage-map path.leaflet-interactive").first).to_be_visible()
    expect(page.locator("#missed-places")).to_be_visible()
    page.goto("/missions/UNAMSIL/civilaffairs/list/partners/")
    page.locator("#records tbody tr a").first.click()
    expect(page.locator("#contacts")).to_have_count(0)
    expect(page.locator("#export-contacts")).to_have_count(0)
