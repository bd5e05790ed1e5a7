"""The inbox as a reporter, an analyst and a partner: the menu's count (fetched after the page loads)
matches the page, tasks for the reporter's team show, a RED task assigned to the reporter does
not, the analyst finds the escalated task they created first, and reports to verify; a
partner, who is given no task and verifies nothing, finds neither task."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")
PARTNER = next(u for u in DEMO_USERS if u.username == "partner")
RED_TITLE = "E2E inbox: RED task for the reporter"
TEAM_TITLE = "E2E inbox: escort for the reporter's team"


@pytest.fixture
def inbox_records(demo_data, django_db_blocker):
    """Records of this test's own: a team with the demo reporter, a task for it, and a RED task
    assigned to the reporter, created by the analyst, overdue and escalated."""
    from django.contrib.auth import get_user_model

    from bluehelmet.core.models import Mission, Team
    from bluehelmet.incidents.models import ResponseTask

    with django_db_blocker.unblock():
        users = get_user_model().objects.in_bulk([REPORTER.username, ANALYST.username], field_name="username")
        mission = Mission.objects.get(acronym="UNAMSIL")
        team = Team.objects.create(mission=mission, name="E2E inbox team")
        team.members.add(users[REPORTER.username])
        now = timezone.now()
        tasks = [
            ResponseTask.objects.create(
                mission=mission, team=team, title=TEAM_TITLE, due_at=now + datetime.timedelta(days=2)
            ),
            ResponseTask.objects.create(
                mission=mission,
                assignee=users[REPORTER.username],
                created_by=users[ANALYST.username],
                title=RED_TITLE,
                sensitivity="red",
                due_at=now - datetime.timedelta(hours=3),
                escalated_at=now,  # already escalated: the sweep leaves it (and writes no history)
            ),
        ]
    yield
    with django_db_blocker.unblock():
        for task in tasks:
            task.delete()
        team.delete()


def menu_count(page) -> str:
    badge = page.locator("#menu-inbox .inbox-count")
    expect(badge).to_have_text(re.compile(r"^\d+$"))
    return badge.text_content()


def test_inbox_as_reporter_analyst_and_partner(page, log_in, inbox_records):
    log_in(REPORTER.username, REPORTER.password)
    page.goto("/missions/UNAMSIL/incidents/")
    assert int(menu_count(page)) >= 1
    page.locator("#menu-inbox").click()
    expect(page.locator("h1")).to_contain_text("Inbox")
    tasks = page.locator("#inbox-incidents-tasks")
    expect(tasks).to_contain_text(TEAM_TITLE)
    expect(tasks).to_contain_text("E2E inbox team")
    expect(page.locator("body")).not_to_contain_text(RED_TITLE)
    expect(page.locator("#inbox-incidents-verification")).to_contain_text("Nothing waits for you here.")
    assert menu_count(page) == page.locator("#inbox-total").text_content()
    tasks.get_by_role("link", name=TEAM_TITLE).click()
    expect(page.locator("#task")).to_contain_text("E2E inbox team")
    page.context.clear_cookies()

    log_in(ANALYST.username, ANALYST.password)
    page.goto("/inbox/")
    # Escalated tasks first (the demo's overdue exercise task may be there too).
    expect(page.locator("#inbox-incidents-tasks .inbox-item").first).to_have_class(re.compile(r"\bescalated\b"))
    red = page.locator("#inbox-incidents-tasks .inbox-item", has_text=RED_TITLE)
    expect(red).to_contain_text("escalated")
    expect(red.locator(".tlp-red")).to_be_visible()
    expect(page.locator("#inbox-incidents-tasks")).not_to_contain_text(TEAM_TITLE)
    expect(page.locator("#inbox-incidents-verification .inbox-item").first).to_be_visible()
    assert menu_count(page) == page.locator("#inbox-total").text_content()

    page.context.clear_cookies()

    log_in(PARTNER.username, PARTNER.password)
    page.goto("/inbox/")
    expect(page.locator("h1")).to_contain_text("Inbox")
    expect(page.locator("main")).not_to_contain_text(RED_TITLE)
    expect(page.locator("main")).not_to_contain_text(TEAM_TITLE)
    expect(page.locator("#inbox-total")).to_have_text("0")
    expect(page.locator("#menu-inbox .inbox-count")).to_be_hidden()
