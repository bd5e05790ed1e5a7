"""Field reporting on a bad connection, in a real browser: a report filed offline is kept on
the device, shown as queued, and sent when the connection returns; a report whose answer
was lost after it reached the server is sent again with the same id and stored once. And
the live feed drops a row that no longer matches its filters."""

import re
import uuid

from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS
from bluehelmet.incidents.models import Incident

REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")
ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
REPORT = "/missions/UNAMSIL/incidents/report/"


def fill_report(page, narrative):
    page.goto(REPORT)
    page.select_option("#id_type", "armed-clash")
    page.fill("#id_latitude", "8.48")
    page.fill("#id_longitude", "-13.23")
    page.fill("#id_narrative", narrative)
    page.fill("#id_killed_civilian", "2")
    page.locator(".breakdown summary").click()
    page.select_option("#id_casualty-0-kind", "killed")
    page.select_option("#id_casualty-0-group", "civilian")
    page.select_option("#id_casualty-0-sex", "female")
    page.select_option("#id_casualty-0-age", "child")
    page.fill("#id_casualty-0-count", "1")
    page.select_option("#id_source-kind", "un_personnel")
    page.select_option("#id_source-reliability", "B")
    page.select_option("#id_source-credibility", "2")
    return page.input_value("input[name=client_id]")


def test_a_report_filed_offline_is_queued_and_sent_on_reconnect(page, log_in):
    log_in(REPORTER.username, REPORTER.password)
    narrative = f"E2E exercise: filed offline {uuid.uuid4()}."
    client_id = fill_report(page, narrative)
    page.context.set_offline(True)
    page.click("#report-form button[type=submit]")
    expect(page.locator("#report-queue-title")).to_have_text("Queued on this device (1)")
    expect(page.locator("#report-queue-items li")).to_have_count(1)
    expect(page.locator("#report-queue-items li")).to_contain_text("waiting for the connection")
    assert not Incident.objects.filter(narrative=narrative).exists()
    # The form is ready for the next report, under a new id.
    assert page.input_value("#id_narrative") == "" and page.input_value("input[name=client_id]") not in ("", client_id)

    page.context.set_offline(False)
    sent = page.locator("#report-queue-items li a")
    expect(sent).to_contain_text("sent", timeout=15_000)
    expect(page.locator("#report-queue-title")).to_have_text("Queued on this device (0)")
    stored = Incident.objects.get(narrative=narrative)
    assert str(stored.client_id) == client_id and stored.killed == 2
    assert sorted((c.sex, c.age, c.count) for c in stored.casualties.all()) == [
        ("female", "child", 1),
        ("unknown", "unknown", 1),
    ]
    expect(sent).to_have_attribute("href", re.compile(rf"/incidents/{stored.pk}/$"))
    assert (
        page.evaluate(
            "() => Object.keys(localStorage).filter((k) => k.startsWith('bluehelmet:report-queue') && JSON.parse(localStorage[k]).length)"
        )
        == []
    )


def test_a_report_whose_answer_was_lost_is_resent_and_stored_once(page, log_in):
    log_in(REPORTER.username, REPORTER.password)
    narrative = f"E2E exercise: answer lost {uuid.uuid4()}."
    client_id = fill_report(page, narrative)

    def reach_the_server_then_drop_the_answer(route):
        if route.request.method == "POST":
            route.fetch()  # the server stores the report...
            route.abort("connectionreset")  # ...and the answer never arrives
        else:
            route.continue_()

    page.route(re.compile(r".*/incidents/report/$"), reach_the_server_then_drop_the_answer)
    page.click("#report-form button[type=submit]")
    # Queued, then sent again at once (the browser is online) with the same id: stored once.
    expect(page.locator("#report-queue-items li a")).to_contain_text("already arrived", timeout=15_000)
    assert Incident.objects.filter(narrative=narrative).count() == 1
    assert str(Incident.objects.get(narrative=narrative).client_id) == client_id


def test_the_live_feed_drops_a_row_whose_status_no_longer_matches(page, log_in):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bluehelmet.core.models import Mission
    from bluehelmet.incidents import reports, verification

    analyst = get_user_model().objects.get(username="analyst")
    mission = Mission.objects.get(acronym="UNAMSIL")
    data = {
        "type": "armed-clash",
        "occurred_at": timezone.now().isoformat(),
        "latitude": 8.1,
        "longitude": -12.5,
        "narrative": "E2E exercise: a row to drop from the filtered feed.",
    }
    incident = reports.submit_report(
        analyst, mission, data, sources=[{"kind": "un_personnel", "reliability": "B", "credibility": 2}]
    ).incident
    log_in(ANALYST.username, ANALYST.password)
    page.goto("/missions/UNAMSIL/incidents/?status=reported")
    row = page.locator(f"#feed-{incident.pk}")
    expect(row).to_be_visible()
    markers = page.locator("path.incident-marker")
    expect(markers.first).to_be_visible()
    before = markers.count()
    verification.change_status(incident, analyst, "under_verification", "E2E: checking.")
    expect(row).to_have_count(0, timeout=15_000)
    expect(markers).to_have_count(before - 1)
