"""The situational-awareness path in a real browser: a reporter files an incident inside the
exercise buffer zone; it appears on an analyst's live picture without a reload; the zone
alert fires and is acknowledged; a response task is created and closed; the analyst verifies
the incident and merges a proposed duplicate; every step is in the incident's history."""

import re
from pathlib import Path

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")
PARTNER = next(u for u in DEMO_USERS if u.username == "partner")
LIVE = "/missions/UNAMSIL/incidents/"


def log_in_context(browser, server_url, user):
    context = browser.new_context(base_url=server_url, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", user.password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def file_report(page, latitude, longitude, narrative) -> int:
    page.goto(LIVE + "report/")
    page.select_option("#id_type", "ceasefire-violation")
    page.fill("#id_latitude", str(latitude))
    page.fill("#id_longitude", str(longitude))
    page.fill("#id_narrative", narrative)
    page.fill("#id_killed_civilian", "0")
    page.fill("#id_injured_combatant", "1")
    page.select_option("#id_source-kind", "un_personnel")
    page.select_option("#id_source-reliability", "B")
    page.select_option("#id_source-credibility", "2")
    page.fill("#id_source-identity", "E2E patrol leader (fictitious)")
    page.click("#report-form button[type=submit]")
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    return int(re.search(r"/incidents/(\d+)/$", page.url).group(1))


def test_report_alert_response_verification_and_merge(page, log_in, browser, server_url):
    # The analyst watches the live picture.
    log_in(ANALYST.username, ANALYST.password)
    page.goto(LIVE)
    markers = page.locator("path.incident-marker")
    expect(markers.first).to_be_visible()
    markers_before = markers.count()

    # A reporter, in another browser, files an incident inside the exercise buffer zone.
    reporter_context, reporter = log_in_context(browser, server_url, REPORTER)
    first = file_report(reporter, 8.90, -12.02, "E2E exercise: shots across the buffer zone.")
    expect(reporter.locator("#zone-flag")).to_be_visible()
    # Reporters see the grading of sources, never their identity.
    expect(reporter.locator("#sources")).to_contain_text("B2")
    expect(reporter.locator("#sources")).not_to_contain_text("Show identity")

    # It reaches the analyst's feed and map without a reload.
    feed_item = page.locator(f"#feed-{first}")
    expect(feed_item).to_be_visible(timeout=15_000)
    expect(feed_item).to_contain_text("in zone")
    expect(markers).to_have_count(markers_before + 1)

    # The zone alert fired: the analyst acknowledges it.
    page.goto(f"{LIVE}{first}/")
    expect(page.locator("#zone-flag")).to_be_visible()
    page.locator("#alerts a", has_text="inside a monitored zone").click()
    expect(page.locator("#alert-status")).to_have_text("Open")
    page.fill("#acknowledge-form textarea", "Duty officer informed.")
    page.click("#acknowledge-form button[type=submit]")
    expect(page.locator("#alert-status")).to_have_text("Acknowledged")

    # A response task from the alert, started and closed with an outcome.
    page.select_option("#task-form select[name=team]", index=1)  # the first of the mission's teams
    page.click("#task-form button[type=submit]")
    expect(page.locator("#task-status")).to_have_text("Open")
    page.select_option("#task-update-form select[name=status]", "done")
    page.fill("#task-update-form textarea[name=outcome]", "Patrol sent; both sides withdrew.")
    page.click("#task-update-form button[type=submit]")
    expect(page.locator("#task-status")).to_have_text("Done")

    # A second report of the same incident arrives, and is proposed as a duplicate.
    second = file_report(reporter, 8.91, -12.01, "E2E exercise: second account of the shooting.")
    reporter_context.close()

    # The analyst verifies the first report and merges the second into it.
    page.goto(f"{LIVE}{first}/")
    page.select_option("#id_status", "verified")
    page.fill("#id_status_reason", "Confirmed by the patrol report and a second source.")
    page.click("#verify button[type=submit]")
    expect(page.locator("#incident .status-verified")).to_be_visible()
    # The identity is shown to the analyst on request (and logged).
    page.locator("#sources button", has_text="Show identity").first.click()
    expect(page.locator("#sources .identity").first).to_contain_text("E2E patrol leader")

    proposal = page.locator(".proposal", has=page.locator(f"input[name=duplicate][value='{second}']"))
    proposal.locator("textarea[name=reason]").fill("Same place, same hour, same shooting.")
    proposal.locator(".merge-button").click()
    expect(page.locator(".messages")).to_contain_text(f"#{second} merged into #{first}")
    # Every source is kept.
    expect(page.locator("#sources .source-row")).to_have_count(2)

    history = page.locator("#history")
    for action in (
        "reported",
        "alert raised",
        "alert acknowledged",
        "task created",
        "task updated",
        "status",
        "merged",
    ):
        expect(history.locator(f".history-entry[data-action='{action}']").first).to_be_visible()
    expect(history).to_contain_text("Confirmed by the patrol report")
    expect(history).to_contain_text("Duty officer informed.")

    # The merged report now leads to the incident it was merged into.
    page.goto(f"{LIVE}{second}/")
    expect(page).to_have_url(re.compile(rf"/incidents/{first}/$"))
    Path("test-results").mkdir(exist_ok=True)
    page.screenshot(path="test-results/incident-history.png", full_page=True)


def test_report_form_shows_field_errors(page, log_in):
    log_in(REPORTER.username, REPORTER.password)
    page.goto(LIVE + "report/")
    page.fill("#id_occurred_at", "2099-01-01T10:00")
    page.fill("#id_latitude", "48.85")
    page.fill("#id_longitude", "2.35")
    page.click("#report-form button[type=submit]")
    expect(page.locator("#field-occurred_at .field-error")).to_contain_text("future")
    expect(page.locator("#field-latitude .field-error")).to_contain_text("outside the mission")
    expect(page.locator("#field-type .field-error")).to_be_visible()
    expect(page.locator("#field-narrative .field-error")).to_be_visible()


def test_partner_sees_shared_incidents_only(page, log_in):
    log_in(PARTNER.username, PARTNER.password)
    page.goto(LIVE)
    expect(page.locator("#incident-feed .feed-item").first).to_be_visible()
    # The demo shares two exercise reports with partners; the rest stay with mission staff.
    assert page.locator("#incident-feed .feed-item").count() == 2
    expect(page.get_by_role("link", name="Report an incident")).to_have_count(0)


def test_mission_map_offers_incident_and_heat_layers(page, log_in):
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/UNAMSIL/")
    incidents = page.locator("path.incident-marker")
    expect(page.locator("path.deployment-marker").first).to_be_visible()
    assert incidents.count() == 0  # off until chosen
    page.get_by_label("Incidents reported to the mission").check()
    expect(incidents.first).to_be_visible()
    page.get_by_label("Incident heat (weighted by casualties)").check()
    expect(page.locator("canvas.leaflet-heatmap-layer")).to_have_count(1)
