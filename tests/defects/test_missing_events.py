"""A mission with no conflict events (issue 15: the shipped data has no GED events for Sierra
Leone) says so on every page that needs them, and offers the GED import to who may run it."""

import pytest
from django.urls import reverse

from bluehelmet.core.models import Role

IMPORT_LINK = f'href="{reverse("importers:jobs")}?kind=ged"'
PAGES = {
    "events table": "/missions/UNAMSIL/",
    "events fragment": "/missions/UNAMSIL/events/",
    "early warning": "/missions/UNAMSIL/risk/",
    "allocation plan": "/missions/UNAMSIL/forces/plan/",
    "patrols": "/missions/UNAMSIL/forces/patrols/",
}


def _notice(page: str) -> str:
    start = page.index('id="missing-events"')
    return page[start : page.index("</p>", start)]


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMINISTRATOR, "superuser"])
def test_importers_are_told_what_is_missing_and_offered_the_import(client_for, users, path, role):
    page = client_for(users[role]).get(path).content.decode()
    notice = _notice(page)
    assert "No UCDP GED conflict events are loaded for Sierra Leone." in notice
    assert IMPORT_LINK in notice


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_a_reporter_is_told_who_can_import(client_for, users, path):
    page = client_for(users[Role.REPORTER]).get(path).content.decode()
    notice = _notice(page)
    assert "No UCDP GED conflict events are loaded for Sierra Leone." in notice
    assert "Administrator / Analyst" in notice
    assert "?kind=ged" not in page


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_notice_where_events_are_loaded(client_for, users, sierra_leone, path):
    page = client_for(users[Role.ANALYST]).get(path).content.decode()
    assert 'id="missing-events"' not in page


def test_the_events_table_with_a_filter_set_still_says_no_events_match(client_for, users):
    page = client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/events/?actor=RUF").content.decode()
    assert "No events match these filters." in page
    assert 'id="missing-events"' not in page


def test_a_forecast_that_can_only_fail_is_not_offered(client_for, users, sierra_leone):
    # sierra_leone loads events: the run form is there; the other tests' mission has none.
    client = client_for(users[Role.ANALYST])
    assert 'id="start-run-form"' in client.get("/missions/UNAMSIL/risk/").content.decode()


def test_without_events_the_run_form_is_withheld(client_for, users):
    page = client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/risk/").content.decode()
    assert 'id="start-run-form"' not in page
    assert "A forecast needs the conflict events of the mission's host countries." in _notice(page)


def test_the_forces_pages_say_risk_is_unknown(client_for, users):
    client = client_for(users[Role.ANALYST])
    for path in (PAGES["allocation plan"], PAGES["patrols"]):
        assert "Risk is unknown" in _notice(client.get(path).content.decode())


def test_the_imports_page_chooses_the_linked_kind(client_for, users):
    page = client_for(users[Role.ANALYST]).get(f"{reverse('importers:jobs')}?kind=ged").content.decode()
    assert '<option value="ged" selected>' in page


def test_an_unknown_kind_chooses_nothing(client_for, users):
    response = client_for(users[Role.ANALYST]).get(f"{reverse('importers:jobs')}?kind=nonsense")
    page = response.content.decode()
    kind_select = page[page.index('name="kind"') : page.index("</select>", page.index('name="kind"'))]
    assert response.status_code == 200 and '<option value="ged"' in kind_select and " selected" not in kind_select


def test_the_notice_is_in_french(client_for, users):
    client = client_for(users[Role.ANALYST])
    client.cookies["django_language"] = "fr"
    page = client.get("/missions/UNAMSIL/risk/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    notice = _notice(page)
    assert "Sierra Leone" in notice and "No UCDP GED" not in notice and "A forecast needs" not in notice
