"""A record's discussion in a real browser: an analyst comments on an incident, is refused a
mention of a partner (who may not see it), mentions a reporter; the reporter sees the notice,
replies and marks it read; a partner gets no discussion. The incident is this test's own."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from bluehelmet.core.demo import DEMO_USERS
from bluehelmet.core.models import Mission

from .test_incidents import log_in_context

ANALYST = next(u for u in DEMO_USERS if u.username == "analyst")
REPORTER = next(u for u in DEMO_USERS if u.username == "reporter")
PARTNER = next(u for u in DEMO_USERS if u.username == "partner")


def own_incident():
    """An AMBER report of this test's own, away from the exercise zone (raising no zone alert)."""
    from django.contrib.auth import get_user_model

    from bluehelmet.incidents.reports import submit_report

    mission = Mission.objects.get(acronym="UNAMSIL")
    reporter = get_user_model().objects.get(username=REPORTER.username)
    data = {
        "type": "ceasefire-violation",
        "occurred_at": (timezone.now() - datetime.timedelta(hours=3)).isoformat(),
        "date_precision": "time",
        "latitude": 7.62,
        "longitude": -11.05,
        "narrative": "E2E comments: shots heard at night.",
        "sensitivity": "amber",
    }
    sources = [{"kind": "witness", "description": "a farmer", "reliability": "C", "credibility": 3}]
    submission = submit_report(reporter, mission, data, sources=sources)
    assert submission.created, submission.errors
    return submission.incident


def test_a_comment_with_a_mention_reaches_the_mentioned_reporter(page, log_in, browser, server_url):
    incident = own_incident()
    url = f"/missions/UNAMSIL/incidents/{incident.pk}/"

    log_in(ANALYST.username, ANALYST.password)
    page.goto(url)
    thread = page.locator("#comments")
    expect(thread.get_by_text("No comment yet.")).to_be_visible()
    expect(thread.locator(".tlp")).to_have_text("TLP:AMBER")

    # A partner may not see the discussion: the mention is refused, naming them, text kept.
    page.fill("#comment-form textarea[name=body]", "@partner and @reporter: can you confirm?")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("#field-body .field-error")).to_contain_text("@partner may not see this record")
    expect(page.locator("#comment-form textarea[name=body]")).to_have_value("@partner and @reporter: can you confirm?")

    page.fill("#comment-form textarea[name=body]", "@reporter: can you confirm the place?")
    page.click("#comment-form button[type=submit]")
    page.wait_for_url(re.compile(rf"/incidents/{incident.pk}/#comment-\d+$"))
    comment = page.locator("#comments article.comment").first
    expect(comment.locator(".comment-body")).to_contain_text("can you confirm the place?")
    expect(comment.locator("strong.mention")).to_have_text("@reporter")
    expect(page.locator("#history li[data-action='comment added']")).to_contain_text("analyst")

    # The reporter, in another browser, sees the notice, replies and marks it read.
    reporter_context, reporter = log_in_context(browser, server_url, REPORTER)
    try:
        reporter.goto(url)
        expect(reporter.locator(".mention-notice")).to_contain_text("You are mentioned in 1 comment here.")
        expect(reporter.locator("#comments article.comment-mentions-me")).to_have_count(1)
        reporter.locator("#comments .comment-reply-box summary").first.click()
        reporter.locator("#comments .comment-reply-box textarea").first.fill("Confirmed: Kenema road, km 12.")
        reporter.locator("#comments .comment-reply-box button[type=submit]").first.click()
        reply = reporter.locator("#comments article.comment-reply")
        expect(reply).to_contain_text("Confirmed: Kenema road, km 12.")
        expect(reply.locator(".comment-meta")).to_contain_text("reporter")
        reporter.click(".mention-notice button[type=submit]")
        expect(reporter.locator(".mention-notice")).to_have_count(0)
        expect(reporter.locator("#comments article.comment-mentions-me")).to_have_count(0)
    finally:
        reporter_context.close()

    # A partner sees neither the incident (AMBER) nor its discussion.
    partner_context, partner = log_in_context(browser, server_url, PARTNER)
    try:
        response = partner.goto(f"/missions/UNAMSIL/comments/incidents.incident/{incident.pk}/")
        assert response.status == 404
        assert "can you confirm" not in partner.content()
    finally:
        partner_context.close()
