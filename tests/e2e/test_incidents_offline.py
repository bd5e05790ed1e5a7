"""Field reporting without a network, in a real browser (Debian's Chromium, the network cut
with Playwright's `set_offline`): after one visit online the report form opens offline (the
service worker's copy: page, files, admin areas, gazetteer, basemap), reports filed offline
wait in IndexedDB with their photos, survive a reload, and are each stored once when the
network returns; a refused one comes back into the form with its errors; a session that
ended asks for a log-in before anything is sent. And the live feed drops a row that no
longer matches its filters."""

import functools
import io
import re
import uuid

import pytest
from django.test import override_settings
from PIL import Image
from playwright.sync_api import expect

from bluehelmet.core.basemaps import remove_basemap, set_basemap
from bluehelmet.core.demo import DEMO_USERS
from bluehelmet.core.models import Mission
from bluehelmet.incidents.models import Incident

from ..basemap_file import build_basemap
from .test_basemap import PAINTED

REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")
ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
REPORT = "/missions/UNAMSIL/incidents/report/"


@pytest.fixture(scope="module")
def unamsil_basemap(server_url, django_db_blocker, tmp_path_factory):
    """UNAMSIL's basemap for this module's tests: the offline copy keeps the whole file."""
    folder = tmp_path_factory.mktemp("offline-basemap")
    with override_settings(BLUEHELMET_BASEMAP_DIR=folder / "basemaps"), django_db_blocker.unblock():
        mission = Mission.objects.get(acronym="UNAMSIL")
        set_basemap(mission, build_basemap(folder / "SLE.pmtiles", countries=("SLE",), max_zoom=6))
        yield
        remove_basemap(mission)


def photo_file(name="patrol.png") -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#1d6fb8").save(buffer, format="PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buffer.getvalue()}


def fill_report(page, narrative, occurred_at=None):
    page.select_option("#id_type", "armed-clash")
    page.fill("#id_latitude", "8.48")
    page.fill("#id_longitude", "-13.23")
    if occurred_at:
        page.fill("#id_occurred_at", occurred_at)
    page.fill("#id_narrative", narrative)
    page.fill("#id_killed_civilian", "2")
    if not page.locator(".breakdown").evaluate("details => details.open"):
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


def open_report_form_kept_offline(page, log_in):
    """Log in, open the report form online once, and wait until its offline copy is kept."""
    log_in(REPORTER.username, REPORTER.password)
    page.goto(REPORT)
    expect(page.locator("#offline-status")).to_have_attribute("data-offline-version", re.compile(r"\d"), timeout=30_000)


def test_the_form_opens_offline_and_three_reports_are_stored_once_on_reconnect(page, log_in, unamsil_basemap):
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    open_report_form_kept_offline(page, log_in)
    page.context.set_offline(True)
    page.reload()
    # The page, its scripts, the mission's boundaries, basemap and gazetteer, all from the copy.
    expect(page.locator("#report-form")).to_be_visible()
    expect(page.locator("#pick-map path.map-area").first).to_be_attached()
    page.wait_for_function(
        f"() => ({PAINTED})(document.getElementById('pick-map')).filter(n => n > 1000).length >= 1", timeout=20_000
    )
    page.fill("#report-place-search", "freet")
    expect(page.locator(".place-search-option").first).to_contain_text("Freetown")
    expect(page.locator("#recent-reports")).to_be_visible()

    prefix = f"E2E offline {uuid.uuid4()}"
    client_ids = []
    for n in range(3):
        client_ids.append(fill_report(page, f"{prefix} #{n}."))
        if n == 0:
            page.set_input_files("#id_photos", [photo_file()])
        page.click("#report-form button[type=submit]")
        expect(page.locator("#report-queue-title")).to_have_text(f"Queued on this device ({n + 1})")
        # Ready for the next report, under a new id.
        assert page.input_value("#id_narrative") == ""
        assert page.input_value("input[name=client_id]") not in client_ids
    expect(page.locator("#report-queue-summary")).to_contain_text("3 waiting")

    # Kept across a reload without a network (IndexedDB), the photo with its report.
    page.reload()
    expect(page.locator("#report-queue-items li.queued-waiting")).to_have_count(3)
    expect(page.locator(f'#report-queue-items li[data-client-id="{client_ids[0]}"]')).to_contain_text("1 photo(s)")
    assert not Incident.objects.filter(narrative__startswith=prefix).exists()

    page.context.set_offline(False)
    expect(page.locator("#report-queue-items li.queued-sent")).to_have_count(3, timeout=20_000)
    expect(page.locator("#report-queue-title")).to_have_text("Queued on this device (0)")
    stored = Incident.objects.filter(narrative__startswith=prefix)
    assert sorted(str(i.client_id) for i in stored) == sorted(client_ids)
    with_photo = stored.get(client_id=client_ids[0])
    assert [a.name for a in with_photo.attachments.all()] == ["patrol.png"]
    assert with_photo.killed == 2 and sorted((c.sex, c.age, c.count) for c in with_photo.casualties.all()) == [
        ("female", "child", 1),
        ("unknown", "unknown", 1),
    ]
    sent = page.locator(f'#report-queue-items li[data-client-id="{client_ids[1]}"] a')
    expect(sent).to_have_attribute("href", re.compile(rf"/incidents/{stored.get(client_id=client_ids[1]).pk}/$"))
    assert problems == []


def test_the_app_and_its_queue_survive_a_browser_restart_offline(browser, server_url, tmp_path):
    """The same Chromium profile on disk, closed and started again: without a network the
    report form opens from the service worker's copy, a report filed then is still queued
    after a second restart, and it is stored once when the network returns (after a log-in
    when the session did not survive the restart)."""
    from .conftest import CHROMIUM, CHROMIUM_ARGS, log_in_as

    def start_browser():
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            base_url=server_url,
            viewport={"width": 1400, "height": 1000},
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(15_000)
        return context, page

    context, page = start_browser()
    open_report_form_kept_offline(page, functools.partial(log_in_as, page))
    context.close()

    context, page = start_browser()
    context.set_offline(True)
    page.goto(REPORT)
    expect(page.locator("#report-form")).to_be_visible()
    narrative = f"E2E offline, across restarts {uuid.uuid4()}."
    client_id = fill_report(page, narrative)
    page.click("#report-form button[type=submit]")
    expect(page.locator("#report-queue-title")).to_have_text("Queued on this device (1)")
    context.close()

    context, page = start_browser()
    context.set_offline(True)
    page.goto(REPORT)
    expect(page.locator(f'#report-queue-items li.queued-waiting[data-client-id="{client_id}"]')).to_be_visible()
    assert not Incident.objects.filter(narrative=narrative).exists()
    context.set_offline(False)
    sent = page.locator(f'#report-queue-items li.queued-sent[data-client-id="{client_id}"]')
    login = page.locator("#report-queue-login-link")
    expect(sent.or_(login)).to_be_visible(timeout=20_000)
    if login.is_visible():
        log_in_as(page, REPORTER.username, REPORTER.password)
        page.goto(REPORT)
        expect(sent).to_be_visible(timeout=20_000)
    context.close()
    assert Incident.objects.filter(narrative=narrative, client_id=client_id).count() == 1


def test_a_report_sent_after_the_session_ended_asks_for_a_log_in_and_a_refused_one_comes_back(page, log_in):
    open_report_form_kept_offline(page, log_in)
    page.context.set_offline(True)
    narrative = f"E2E offline, refused {uuid.uuid4()}."
    # A date the server refuses (in the future), which the browser cannot know.
    client_id = fill_report(page, narrative, occurred_at="2099-01-01T10:00")
    page.click("#report-form button[type=submit]")
    expect(page.locator("#report-queue-title")).to_have_text("Queued on this device (1)")

    # The session ends while offline: back online, nothing is sent, a log-in is asked for.
    page.context.clear_cookies()
    page.context.set_offline(False)
    login = page.locator("#report-queue-login-link")
    expect(login).to_be_visible(timeout=15_000)
    expect(page.locator("#report-queue-items li.queued-waiting")).to_have_count(1)
    assert not Incident.objects.filter(narrative=narrative).exists()

    login.click()
    page.fill("input[name=username]", REPORTER.username)
    page.fill("input[name=password]", REPORTER.password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(re.compile(re.escape(REPORT) + "$"))
    # Sent after the log-in, and refused: kept, with the server's reason, for correction.
    refused = page.locator(f'#report-queue-items li.queued-refused[data-client-id="{client_id}"]')
    expect(refused).to_contain_text("This date is in the future.", timeout=15_000)
    refused.locator("button.queue-correct").click()
    assert page.input_value("#id_narrative") == narrative
    assert page.input_value("input[name=client_id]") == client_id
    expect(page.locator("#field-occurred_at .field-error")).to_contain_text("This date is in the future.")
    page.fill("#id_occurred_at", "2024-05-01T10:00")
    page.click("#report-form button[type=submit]")
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    stored = Incident.objects.get(narrative=narrative)
    assert str(stored.client_id) == client_id and stored.occurred_at.year == 2024


def test_a_report_whose_answer_was_lost_is_resent_and_stored_once(page, log_in):
    from django.contrib.auth import get_user_model

    log_in(REPORTER.username, REPORTER.password)
    # A report left in the queue of the former version (localStorage): moved into IndexedDB
    # once, and sent (the batch API's shape it was kept in).
    reporter = get_user_model().objects.get(username=REPORTER.username)
    legacy_id, legacy_narrative = str(uuid.uuid4()), f"E2E exercise: left in localStorage {uuid.uuid4()}."
    legacy = {
        "client_id": legacy_id,
        "type": "armed-clash",
        "occurred_at": "2024-05-01T10:00",
        "latitude": "8.48",
        "longitude": "-13.23",
        "narrative": legacy_narrative,
        "sources": [{"kind": "un_personnel", "reliability": "B", "credibility": "2"}],
        "casualties": [],
    }
    key = f"bluehelmet:report-queue:UNAMSIL:{reporter.pk}"
    page.evaluate(
        "([key, report]) => localStorage.setItem(key, JSON.stringify([{report, label: 'legacy', queuedAt: '2024-05-01T10:01:00Z'}]))",
        [key, legacy],
    )
    page.goto(REPORT)
    expect(page.locator(f'#report-queue-items li[data-client-id="{legacy_id}"] a')).to_contain_text("sent")
    assert Incident.objects.filter(narrative=legacy_narrative, client_id=legacy_id).count() == 1
    assert page.evaluate("key => localStorage.getItem(key)", key) is None

    narrative = f"E2E exercise: answer lost {uuid.uuid4()}."
    client_id = fill_report(page, narrative)
    posts = []

    def reach_the_server_then_drop_the_first_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        posts.append(route.request.url)
        if len(posts) == 1:
            route.fetch()  # the server stores the report...
            route.abort("connectionreset")  # ...and the answer never arrives
        else:
            route.continue_()

    page.route(re.compile(r".*/incidents/report/$"), reach_the_server_then_drop_the_first_answer)
    page.click("#report-form button[type=submit]")
    # Kept, then sent again with the same id (by the page, or by the service worker's
    # Background Sync, which the route does not see): stored once.
    resent = page.locator(f'#report-queue-items li[data-client-id="{client_id}"] a')
    expect(resent).to_contain_text("already arrived", timeout=20_000)
    assert posts
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
