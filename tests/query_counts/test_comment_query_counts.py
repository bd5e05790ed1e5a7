"""A record's discussion costs the same queries with 1 comment as with 30 (replies, mentions and
withdrawn ones among them), and the pages showing one stay within the read budget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bluehelmet.core import comments, gate
from bluehelmet.core.models import Role

from .test_read_query_counts import READ_BUDGET


@pytest.fixture
def discussed(sl, users, file):
    """An incident and a way to add `n` comments to it: every third a reply, every fourth
    mentioning the reporter, every fifth withdrawn."""
    analyst = users[Role.ANALYST]
    incident = file(user=users[Role.REPORTER]).incident
    access = gate.access(analyst, sl.mission)
    made = []

    def add(n):
        for _ in range(n):
            i = len(made)
            parent = made[0].pk if made and i % 3 == 0 else None
            body = f"Comment {i}" + (" for @reporter" if i % 4 == 0 else "")
            comment = comments.post_comment(analyst, access, incident, body, parent)
            if i % 5 == 4:
                comments.withdraw_comment(analyst, access, incident, comment.pk)
            made.append(comment)
        return incident

    return add


def measure(client, url) -> int:
    client.get(url)  # warm the per-process caches (content types, mission lookups)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.REPORTER])
def test_a_discussed_incident_page_costs_the_same_with_1_or_30_comments(client_for, sl, users, discussed, role):
    """The discussion's own page is within the budget; on the incident's page (which reads
    more than the budget before any comment: sources, attachments, alerts, tasks, history,
    proposals) the discussion adds two queries, whatever its length."""
    client = client_for(users[role])
    incident = discussed(1)
    thread_page = reverse("record-comments", args=[sl.mission.acronym, "incidents.incident", incident.pk])
    record_page = reverse("incidents:detail", args=[sl.mission.acronym, incident.pk])
    few = measure(client, thread_page), measure(client, record_page)
    discussed(29)
    many = measure(client, thread_page), measure(client, record_page)
    assert few == many
    assert many[0] <= READ_BUDGET, many
    page = client.get(record_page).content.decode()
    assert page.count('<article class="comment') == 30


def test_the_comments_api_costs_the_same_with_1_or_30_comments(client_for, sl, users, discussed):
    client = client_for(users[Role.ANALYST])
    incident = discussed(1)
    url = f"/api/comments/?mission={sl.mission.acronym}&record=incidents.incident&id={incident.pk}"
    few = measure(client, url)
    discussed(29)
    assert measure(client, url) == few <= READ_BUDGET
