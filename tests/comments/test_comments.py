"""Comments and mentions (core.comments): the gate, the mentions, the history, the inbox source,
the API, the withdrawal and French pages, on incidents, alerts, tasks and engagements."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from bluehelmet.core import comments, gate, inbox
from bluehelmet.core.models import Comment, Mention, Role, Sharing
from bluehelmet.incidents.models import Incident, IncidentHistory
from bluehelmet.incidents.response import create_task

from ..civilaffairs.factories import make_engagement

INCIDENT = "incidents.incident"


def comments_url(mission, model, pk):
    return reverse("record-comments", args=[mission.acronym, model, pk])


@pytest.fixture
def incident(file, users):
    return file(user=users[Role.REPORTER]).incident


@pytest.fixture
def red_incident(file, users):
    made = file(user=users[Role.ANALYST]).incident
    Incident.objects.filter(pk=made.pk).update(sensitivity="red")
    made.refresh_from_db()
    return made


def post(client, mission, record, body, model=INCIDENT, **extra):
    return client.post(comments_url(mission, model, record.pk), {"body": body, **extra})


def test_a_comment_with_a_mention_is_shown_kept_in_history_and_notifies_once(client_for, sl, users, incident):
    analyst, reporter = users[Role.ANALYST], users[Role.REPORTER]
    client = client_for(analyst)
    response = post(client, sl.mission, incident, "Can you confirm the place, @reporter? cc @reporter.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:detail", args=[sl.mission.acronym, incident.pk]) + (
        f"#comment-{comment.pk}"
    )
    assert comment.author == analyst and comment.mission == sl.mission
    assert list(Mention.objects.values_list("user__username", flat=True)) == ["reporter"]  # once
    entry = IncidentHistory.objects.get(incident=incident, action="comment added")
    assert entry.user == analyst and entry.after == {"comment": f"#{comment.pk}"}

    page = client.get(reverse("incidents:detail", args=[sl.mission.acronym, incident.pk])).content.decode()
    assert f'id="comment-{comment.pk}"' in page
    assert '<strong class="mention">@reporter</strong>' in page
    assert "Comment added" in page  # the history panel

    # A reply to the reply goes into the same thread.
    reply = post(client_for(reporter), sl.mission, incident, "Confirmed: Kenema.", parent=comment.pk)
    assert reply.status_code == 302
    second = post(client_for(analyst), sl.mission, incident, "Thanks.", parent=Comment.objects.latest("pk").pk)
    assert second.status_code == 302
    assert set(Comment.objects.exclude(pk=comment.pk).values_list("parent", flat=True)) == {comment.pk}

    # The reporter's inbox shows the mention until they mark it read.
    reporter = type(reporter).objects.get(pk=reporter.pk)
    accesses = [gate.access(reporter, sl.mission)]
    source = {s.name: s for s in inbox.sources()}["core.mentions"]
    assert source.count(reporter, accesses) == 1
    [item] = source.items(reporter, accesses, 10)
    assert item.url.endswith(f"#comment-{comment.pk}") and item.mission_acronym == sl.mission.acronym
    assert "analyst mentioned you" in item.title and item.sensitivity == incident.sensitivity
    client = client_for(reporter)
    page = client.get(reverse("incidents:detail", args=[sl.mission.acronym, incident.pk])).content.decode()
    assert "You are mentioned in 1 comment here." in page
    client.post(reverse("record-comments-read", args=[sl.mission.acronym, INCIDENT, incident.pk]))
    assert source.count(reporter, accesses) == 0


def test_who_cannot_see_the_record_cannot_read_post_or_be_mentioned(client_for, sl, users, red_incident, incident):
    analyst = users[Role.ANALYST]
    comments.post_comment(analyst, gate.access(analyst, sl.mission), red_incident, "RED discussion")
    # A reporter (no RED) and a partner: 404 on the page and on posting, nothing written.
    for role in (Role.REPORTER, Role.PARTNER):
        client = client_for(users[role])
        assert client.get(comments_url(sl.mission, INCIDENT, red_incident.pk)).status_code == 404
        assert post(client, sl.mission, red_incident, "hello").status_code == 404
        api = client.get("/api/comments/", {"mission": sl.mission.acronym, "record": INCIDENT, "id": red_incident.pk})
        assert api.status_code == 404
    assert Comment.objects.count() == 1
    # A partner does not read the staff's discussion even of a report shared with partners.
    Incident.objects.filter(pk=incident.pk).update(sharing=Sharing.PUBLIC, sensitivity="clear")
    partner = client_for(users[Role.PARTNER])
    assert partner.get(reverse("incidents:detail", args=[sl.mission.acronym, incident.pk])).status_code == 200
    assert partner.get(comments_url(sl.mission, INCIDENT, incident.pk)).status_code == 404
    assert (
        "comment-form"
        not in partner.get(reverse("incidents:detail", args=[sl.mission.acronym, incident.pk])).content.decode()
    )
    # An unknown kind of record, another mission's record: 404.
    client = client_for(analyst)
    assert client.get(comments_url(sl.mission, "core.mission", sl.mission.pk)).status_code == 404
    assert client.get(comments_url(sl.mission, INCIDENT, 999999)).status_code == 404

    # Mentioning someone who may not see the record is refused, naming them; nothing written.
    response = post(client, sl.mission, red_incident, "@reporter look at this, and @partner, and @nobody")
    assert response.status_code == 400
    page = response.content.decode()
    assert "@reporter may not see this record" in page
    assert "@partner may not see this record" in page
    assert "@nobody is not a member of this mission." in page
    assert "@reporter look at this" in page  # the text comes back for correction
    assert Comment.objects.count() == 1 and not Mention.objects.exists()
    # A member of another mission is not a member here.
    from tests.factories import make_user

    make_user("stranger")
    response = post(client, sl.mission, incident, "@stranger")
    assert "@stranger is not a member of this mission." in response.content.decode()


def test_a_record_relabelled_red_hides_its_comments_and_mentions(client_for, sl, users, incident):
    analyst, reporter = users[Role.ANALYST], users[Role.REPORTER]
    comments.post_comment(analyst, gate.access(analyst, sl.mission), incident, "Over to you @reporter")
    accesses = [gate.access(reporter, sl.mission)]
    assert comments.count_mentions(reporter, accesses) == 1
    Incident.objects.filter(pk=incident.pk).update(sensitivity="red", reported_by=analyst)
    assert comments.count_mentions(reporter, accesses) == 0
    assert comments.mention_items(reporter, accesses, 10) == []
    assert client_for(reporter).get(comments_url(sl.mission, INCIDENT, incident.pk)).status_code == 404


def test_comments_on_alerts_tasks_and_engagements(client_for, sl, users, incident):
    analyst = users[Role.ANALYST]
    task = create_task(
        analyst,
        sl.mission,
        title="Send a patrol",
        incident=incident,
        assignee=analyst,
        due_at=timezone.now() + datetime.timedelta(days=1),
    )
    client = client_for(analyst)
    assert post(client, sl.mission, task, "Patrol leaves at 6.", model="incidents.responsetask").status_code == 302
    assert IncidentHistory.objects.filter(task=task, action="comment added").exists()
    page = client.get(reverse("incidents:task", args=[sl.mission.acronym, task.pk])).content.decode()
    assert "Patrol leaves at 6." in page

    engagement = make_engagement(sl.mission, sl.kenema, datetime.date(2001, 3, 1), sharing=Sharing.PUBLIC)
    officer = users[Role.CIVIL_AFFAIRS]
    client = client_for(officer)
    response = post(client, sl.mission, engagement, "Follow up with @analyst", model="civilaffairs.engagement")
    assert response.status_code == 302
    page = client.get(reverse("civilaffairs:engagement", args=[sl.mission.acronym, engagement.pk])).content.decode()
    assert "Follow up with" in page and "TLP:AMBER" in page
    assert Mention.objects.filter(user=analyst).exists()
    # An engagement keeps no history of its own: the comment is in the mission's audit trail.
    logged = LogEntry.objects.get_for_model(Comment).get(object_pk=str(Comment.objects.latest("pk").pk))
    assert logged.actor == officer and logged.additional_data["mission"] == sl.mission.pk
    partner = client_for(users[Role.PARTNER])
    assert partner.get(reverse("civilaffairs:engagement", args=[sl.mission.acronym, engagement.pk])).status_code == 200
    assert partner.get(comments_url(sl.mission, "civilaffairs.engagement", engagement.pk)).status_code == 404


def test_the_author_or_an_administrator_withdraws_a_comment(client_for, sl, users, incident):
    analyst = users[Role.ANALYST]
    comment = comments.post_comment(analyst, gate.access(analyst, sl.mission), incident, "Wrong incident, sorry.")
    url = reverse("record-comment-withdraw", args=[sl.mission.acronym, INCIDENT, incident.pk, comment.pk])
    assert client_for(users[Role.REPORTER]).post(url).status_code == 403
    assert client_for(analyst).post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.withdrawn_by == analyst and comment.body == "Wrong incident, sorry."  # kept, hidden
    assert IncidentHistory.objects.filter(incident=incident, action="comment withdrawn").exists()
    page = client_for(users[Role.REPORTER]).get(reverse("incidents:detail", args=[sl.mission.acronym, incident.pk]))
    assert "Wrong incident" not in page.content.decode() and "Withdrawn by analyst" in page.content.decode()


def test_the_api_lists_and_posts_through_the_same_gate(client_for, sl, users, incident):
    client = client_for(users[Role.ANALYST])
    response = client.post(
        "/api/comments/",
        {"mission": sl.mission.acronym, "record": INCIDENT, "id": incident.pk, "body": "Via the API @reporter"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["mentions"] == ["reporter"]
    refused = client.post(
        "/api/comments/",
        {"mission": sl.mission.acronym, "record": INCIDENT, "id": incident.pk, "body": "@partner"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "@partner" in refused.json()["body"][0]
    assert client.post(
        "/api/comments/",
        {"mission": "NOPE", "record": INCIDENT, "id": incident.pk, "body": "x"},
        content_type="application/json",
    ).json() == {"mission": ["Not one of your missions."]}
    listed = client_for(users[Role.REPORTER]).get(
        "/api/comments/", {"mission": sl.mission.acronym, "record": INCIDENT, "id": incident.pk}
    )
    assert listed.status_code == 200
    assert [row["body"] for row in listed.json()["results"]] == ["Via the API @reporter"]


def test_the_discussion_in_french(client_for, sl, users, incident, settings):
    client = client_for(users[Role.ANALYST])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("incidents:detail", args=[sl.mission.acronym, incident.pk])).content.decode()
    assert "Aucun commentaire pour l’instant." in page and "Ajouter le commentaire" in page
    response = post(client, sl.mission, incident, "@nobody")
    assert "@nobody n’est pas membre de cette mission." in response.content.decode()
    post(client, sl.mission, incident, "Vu.")
    page = client.get(reverse("incidents:detail", args=[sl.mission.acronym, incident.pk])).content.decode()
    assert "Commentaire ajouté" in page
