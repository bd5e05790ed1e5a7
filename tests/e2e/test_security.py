"""The content security policy in a real browser: every main page of every area loads and
works without a single policy violation (no inline script, handler or style is needed), and
the administrator's log-in goes through the two-factor step."""

import pytest
from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS
from bluehelmet.core.models import Mission

USERS = {user.username: user for user in DEMO_USERS}

# Records every violation the browser reports, before any page script runs (an init script is
# injected by the browser itself, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""


def area_pages(acronym: str) -> list[str]:
    from bluehelmet.ddr.models import Participant
    from bluehelmet.elections.models import Round
    from bluehelmet.incidents.models import Incident

    mission = Mission.objects.get(acronym=acronym)
    m = f"/missions/{acronym}/"
    pages = [
        "/",
        "/about/data/",
        "/imports/",
        "/accounts/two-factor/",
        m,
        m + "incidents/",
        m + "incidents/list/",
        m + "incidents/report/",
        m + "incidents/alerts/",
        m + "incidents/ceasefires/",
        m + "incidents/tasks/",
        m + "incidents/duplicates/",
        m + "forces/",
        m + "forces/training/",
        m + "forces/plan/",
        m + "forces/risk/",
        m + "forces/patrols/",
        m + "forces/equipment/",
        m + "forces/recognition/",
        m + "risk/",
        m + "performance/",
        m + "performance/effects/",
        f"/missions/{acronym}/lessons/",
        m + "elections/",
        m + "ddr/",
    ]
    incident = Incident.objects.filter(mission=mission).order_by("pk").first()
    if incident:
        pages.append(m + f"incidents/{incident.pk}/")
    election_round = Round.objects.filter(election__mission=mission).order_by("pk").first()
    if election_round:
        pages += [
            m + f"elections/rounds/{election_round.pk}/{suffix}"
            for suffix in ("", "dashboard/", "results/", "preparation/")
        ]
    participant = Participant.objects.filter(mission=mission).order_by("pk").first()
    if participant:
        pages.append(m + f"ddr/participants/{participant.pk}/")
    return pages


def visit_all(page, paths) -> dict[str, list[str]]:
    problems = {}
    console = []
    page.on(
        "console", lambda message: console.append(message.text) if "Content Security Policy" in message.text else None
    )
    for path in paths:
        console.clear()
        try:
            response = page.goto(path)
        except Exception as error:  # noqa: BLE001 (a page that fails to load is reported with the rest)
            problems[path] = [f"did not load: {error}"]
            continue
        if response is None or response.status >= 400:
            problems[path] = [f"status {response and response.status}"]
            continue
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__cspViolations") + console
        if found:
            problems[path] = found
    return problems


@pytest.fixture
def watched_page(page):
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def test_every_area_page_runs_without_policy_violations(watched_page, log_in):
    log_in(USERS["admin"].username, USERS["admin"].password)
    paths = area_pages("UNAMSIL") + ["/admin/", "/admin/core/mission/", "/admin/axes/accessattempt/", "/api/docs/"]
    problems = visit_all(watched_page, paths)
    assert not problems, problems


def test_swagger_ui_and_language_switch_work_under_the_policy(watched_page, log_in):
    log_in(USERS["analyst"].username, USERS["analyst"].password)
    watched_page.goto("/api/docs/")
    expect(watched_page.locator(".swagger-ui .info .title")).to_contain_text("Blue Helmet API")
    watched_page.goto("/missions/UNAMSIL/")
    watched_page.select_option("#language-select", "fr")
    expect(watched_page.locator("html")).to_have_attribute("lang", "fr")
    watched_page.select_option("#language-select", "en")
    expect(watched_page.locator("html")).to_have_attribute("lang", "en")
    assert watched_page.evaluate("window.__cspViolations") == []

    # The control: an inline script added to the page is refused, and the refusal is seen.
    watched_page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s); }"
    )
    watched_page.wait_for_function("window.__cspViolations.length > 0")
    assert watched_page.evaluate("window.__ran") is None
    assert watched_page.evaluate("window.__cspViolations")[0].startswith("script-src")


def test_bars_are_drawn_without_style_attributes(watched_page, log_in):
    log_in(USERS["ddr"].username, USERS["ddr"].password)
    watched_page.goto("/missions/UNAMSIL/ddr/")
    bar = watched_page.locator(".funnel-bar").first
    expect(bar).to_be_visible()
    share = bar.evaluate("e => e.style.getPropertyValue('--share')")
    assert share and float(share) == pytest.approx(float(bar.get_attribute("data-share")))
    assert watched_page.evaluate("window.__cspViolations") == []


def test_admin_logs_in_with_a_code_from_the_authenticator(page, log_in):
    log_in(USERS["admin"].username, USERS["admin"].password)
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto("/accounts/two-factor/")
    expect(page.locator("#two-factor-state")).to_contain_text("On:")
