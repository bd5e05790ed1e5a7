"""Elections in a real browser: the demo's station risk map and security plan, an observer
checklist seen on the dashboard, and a results file imported with its anomaly report."""

import re

from playwright.sync_api import expect

from bluehelmet.elections.models import Election, PollingStation, Round


def demo_round() -> Round:
    return Round.objects.get(election__name="Sierra Leone general election 2002", number=1)


def test_risk_map_and_security_plan(page, log_in):
    log_in("analyst", "bluehelmet-analyst")
    page.goto("/missions/UNAMSIL/elections/")
    page.get_by_role("link", name="Polling day").click()
    expect(page.locator("#risk-map .station-marker").first).to_be_visible()
    assert (
        page.locator("#risk-map .station-marker").count()
        == PollingStation.objects.filter(centre__mission__acronym="UNAMSIL").count()
    )
    expect(page.locator("#plan-share")).to_contain_text("%")
    expect(page.locator("#plan-map .station-covered").first).to_be_visible()
    assert page.locator("#plan-units tbody tr").count() > 5


def test_observer_checklist_reaches_the_dashboard(page, log_in):
    round_ = demo_round()
    log_in("reporter", "bluehelmet-reporter")
    page.goto(f"/missions/UNAMSIL/elections/rounds/{round_.pk}/observe/?phase=counting")
    station = PollingStation.objects.filter(centre__mission__acronym="UNAMSIL").order_by("code").last()
    page.select_option("#id_station", str(station.pk))
    page.fill("#id_team", "Browser test team")
    questions = page.locator("li.question")
    for k in range(questions.count()):
        item = questions.nth(k)
        if item.locator("input[type=radio]").count():
            item.locator("input[value=no]" if k == 0 else "input[value=yes]").check()
        else:
            item.locator("input").fill("212")
    page.get_by_role("button", name="Submit checklist").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    report = page.locator(f"article.observer-report[data-station='{station.code}']").filter(
        has_text="Browser test team"
    )
    expect(report).to_be_visible()
    expect(report.locator("li.problem")).to_have_count(1)
    expect(page.locator("#phase-counting .share-value")).to_have_text("1")


def test_results_import_with_anomaly_report(page, log_in):
    election = Election.objects.get(name="Sierra Leone general election 2002")
    stations = list(PollingStation.objects.filter(centre__mission=election.mission).order_by("code")[:30])
    log_in("analyst", "bluehelmet-analyst")
    page.goto("/missions/UNAMSIL/elections/")
    page.locator(f"#election-{election.pk} summary").click()
    page.fill(f"#election-{election.pk} input[name=date]", "2002-06-01")
    page.fill(f"#election-{election.pk} input[name=label]", "Browser test round")
    page.locator(f"#election-{election.pk}").get_by_role("button", name="Add").click()
    page.get_by_role("link", name="Results and anomalies").click()
    rows = ["station_code,registered_voters,ballots_cast,invalid_votes,Exercise list A,Exercise list B"]
    for k, s in enumerate(stations):
        ballots = s.registered_voters + 40 if k == 0 else int(s.registered_voters * 0.7)
        rows.append(f"{s.code},{s.registered_voters},{ballots},{k % 7},{ballots - k % 7 - 30 - k},{30 + k}")
    bad = rows[:2] + [rows[2].replace(",", ",-", 2).replace(",-", ",", 1)]  # a negative ballots count
    page.set_input_files(
        "#id_file", files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": "\n".join(bad).encode()}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-errors")).to_contain_text("negative")
    expect(page.locator("#no-results")).to_be_visible()
    page.set_input_files(
        "#id_file", files=[{"name": "exercise.csv", "mimeType": "text/csv", "buffer": "\n".join(rows).encode()}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-summary")).to_contain_text("30 rows")
    expect(page.locator("#tests tr[data-test=turnout_over_100]")).to_have_class("flagged")
    expect(page.locator("#flagged-stations")).to_contain_text(stations[0].code)
    expect(page.locator("#results-map .result-flagged").first).to_be_visible()
    expect(page.locator("#digits-chart")).to_be_visible()
