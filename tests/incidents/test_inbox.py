"""The inbox (core/inbox.py, incidents/inbox.py): alerts of followed rules, tasks for me or my
team (escalated first), reports awaiting verification; the gate decides every line and count;
the task form assigns only within the mission; overdue tasks are escalated once."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bluehelmet.core import inbox
from bluehelmet.core.models import Role, Team
from bluehelmet.incidents import escalation, response
from bluehelmet.incidents.forms import TaskForm
from bluehelmet.incidents.models import Alert, AlertRule, IncidentHistory, Notification, ResponseTask

from ..factories import make_user

BASE = "/missions/UNAMSIL/incidents/"
SECRET = "Kailahun-RED-canary"


def items_of(user, name):
    source = next(s for s in inbox.sources() if s.name == name)
    accesses = inbox.accesses(user)
    return source.items(user, accesses, 10), source.count(user, accesses)


@pytest.fixture
def team(sl, users):
    """The reporter's unit."""
    made = Team.objects.create(mission=sl.mission, name="Company B", code="COY-B")
    made.members.add(users[Role.REPORTER])
    return made


@pytest.fixture
def red_incident(file, users):
    return file(user=users[Role.ANALYST], sensitivity="red", location_description=SECRET).incident


def task(users, mission, title, *, due_in_hours=6, **assignment):
    return response.create_task(
        users[Role.ANALYST],
        mission,
        title=title,
        due_at=timezone.now() + datetime.timedelta(hours=due_in_hours),
        **assignment,
    )


def test_tasks_for_me_or_my_team_never_above_my_labels(sl, users, team, red_incident, file):
    amber = file().incident
    mine = task(users, sl.mission, "Escort", assignee=users[Role.REPORTER], incident=amber)
    ours = task(users, sl.mission, "Checkpoint", team=team)
    task(users, sl.mission, f"Patrol to {SECRET}", assignee=users[Role.REPORTER], incident=red_incident)
    task(users, sl.mission, "Not ours", assignee=users[Role.ANALYST])
    items, count = items_of(users[Role.REPORTER], "incidents.tasks")
    assert [i.title for i in items] == ["Escort", "Checkpoint"] and count == 2 == items.total
    assert items[1].what.startswith("Open · Company B") and items[0].url.endswith(f"/tasks/{mine.pk}/")
    # The analyst sees the RED one (assigned to the reporter, not to them): not in their inbox.
    assert [i.title for i in items_of(users[Role.ANALYST], "incidents.tasks")[0]] == ["Not ours"]
    # A partner put in the team (by mistake) sees no task at all, nor a count.
    team.members.add(users[Role.PARTNER])
    assert items_of(users[Role.PARTNER], "incidents.tasks") == ([], 0)
    # Done tasks leave the inbox.
    response.update_task(ours, users[Role.ANALYST], status=ResponseTask.Status.DONE, outcome="Done.")
    assert items_of(users[Role.REPORTER], "incidents.tasks")[1] == 1


def test_alerts_of_followed_rules_unread_and_visible_only(sl, users, file):
    rule = AlertRule.objects.create(
        mission=sl.mission, name="Casualties", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=1
    )
    for role in (Role.REPORTER, Role.ANALYST, Role.PARTNER):
        rule.subscribers.add(users[role])
    file(casualties=[{"kind": "killed", "count": 2}])
    alert = Alert.objects.get(rule=rule)
    items, count = items_of(users[Role.REPORTER], "incidents.alerts")
    assert [i.title for i in items] == [alert.title] and count == 1 and items[0].sensitivity == "amber"
    assert items_of(users[Role.PARTNER], "incidents.alerts") == ([], 0)  # partners follow nothing here
    # A notice of an alert relabelled RED after it was raised: gone from the reporter's inbox.
    Alert.objects.filter(pk=alert.pk).update(sensitivity="red", title=SECRET)
    assert items_of(users[Role.REPORTER], "incidents.alerts") == ([], 0)
    assert items_of(users[Role.ANALYST], "incidents.alerts")[1] == 1
    Notification.objects.filter(user=users[Role.ANALYST]).update(read_at=timezone.now())
    assert items_of(users[Role.ANALYST], "incidents.alerts") == ([], 0)


def test_reports_awaiting_verification_for_those_who_verify(sl, users, file, red_incident):
    file()
    items, count = items_of(users[Role.ANALYST], "incidents.verification")
    assert count == 2 and {i.sensitivity for i in items} == {"red", "amber"}
    assert items_of(users[Role.REPORTER], "incidents.verification") == ([], 0)  # reporters do not verify
    assert items_of(users[Role.PARTNER], "incidents.verification") == ([], 0)


def test_the_task_form_assigns_only_within_the_mission(sl, users, team, other_mission, red_incident, client_for):
    stranger = make_user("stranger", other_mission, Role.ANALYST)
    elsewhere = Team.objects.create(mission=other_mission, name="Elsewhere")
    due = "2030-01-01T10:00"
    form = TaskForm({"title": "t", "assignee": stranger.pk, "due_at": due}, mission=sl.mission)
    assert "assignee" in form.errors
    form = TaskForm({"title": "t", "team": elsewhere.pk, "due_at": due}, mission=sl.mission)
    assert "team" in form.errors
    form = TaskForm({"title": "t", "due_at": due}, mission=sl.mission)
    assert form.errors["team"] == ["Choose a team or a person (or both)."]
    form = TaskForm({"title": "t", "assignee": users[Role.PARTNER].pk, "due_at": due}, mission=sl.mission)
    assert "assignee" in form.errors  # partners never see tasks
    assert TaskForm({"title": "t", "team": team.pk, "due_at": due}, mission=sl.mission).is_valid()
    # Through the page: a RED incident's task cannot go to a reporter, who could not open it.
    analyst = client_for(users[Role.ANALYST])
    refused = analyst.post(
        f"{BASE}tasks/new/",
        {"incident": red_incident.pk, "title": "t", "assignee": users[Role.REPORTER].pk, "due_at": due},
    )
    assert refused.status_code == 400 and 'id="field-assignee"' in refused.content.decode()
    assert "has-error" in refused.content.decode() and not ResponseTask.objects.exists()
    made = analyst.post(
        f"{BASE}tasks/new/",
        {"incident": red_incident.pk, "title": "t", "assignee": users[Role.ANALYST].pk, "team": team.pk, "due_at": due},
    )
    assert made.status_code == 302
    assert ResponseTask.objects.get().assigned_to == f"Company B · {users[Role.ANALYST].username}"


def test_overdue_tasks_are_escalated_once_to_the_creator_and_administrators(
    sl, users, team, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for role in (Role.ANALYST, Role.ADMINISTRATOR, Role.REPORTER):
        users[role].email = f"{role}@example.org"
        users[role].save()
    late = task(users, sl.mission, "Late patrol", due_in_hours=-2, team=team)
    task(users, sl.mission, "On time", due_in_hours=2, team=team)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalation.escalate_overdue_tasks() == [late]
    with django_capture_on_commit_callbacks(execute=True):
        assert escalation.escalate_overdue_tasks() == []  # once
    late.refresh_from_db()
    assert late.escalated_at is not None
    assert IncidentHistory.objects.filter(task=late, action="task escalated").count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["administrator@example.org", "analyst@example.org"]
    assert "Late patrol" in mail.outbox[0].subject
    # In the inbox: first for the team, and for the creator and the administrator.
    assert [(i.title, i.escalated, i.overdue) for i in items_of(users[Role.REPORTER], "incidents.tasks")[0]] == [
        ("Late patrol", True, True),
        ("On time", False, False),
    ]
    for role in (Role.ANALYST, Role.ADMINISTRATOR):
        assert [i.title for i in items_of(users[role], "incidents.tasks")[0]] == ["Late patrol"]


def test_the_stale_job_sweep_escalates_without_celery(sl, users, team):
    from bluehelmet.jobs import recover_stale_jobs

    late = task(users, sl.mission, "Late patrol", due_in_hours=-2, team=team)
    recover_stale_jobs()  # what each web process runs every few minutes (jobs run at once in tests)
    late.refresh_from_db()
    assert late.escalated_at is not None


def test_inbox_page_and_menu_count(sl, users, team, client_for):
    task(users, sl.mission, "Escort the convoy", team=team)
    reporter = client_for(users[Role.REPORTER])
    page = reporter.get("/inbox/").content.decode()
    assert "Escort the convoy" in page and "Tasks for me or my team" in page and 'id="inbox-incidents-tasks"' in page
    assert reporter.get("/inbox/count.json").json() == {"total": 1}
    assert 'data-inbox-count-url="/inbox/count.json"' in reporter.get(f"{BASE}").content.decode()
    reporter.logout()
    assert reporter.get("/inbox/count.json").status_code == 302  # to the log-in


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len([q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.REPORTER])
def test_inbox_queries_do_not_grow_with_rows(sl, users, team, file, client_for, role):
    team.members.add(users[Role.ADMINISTRATOR])
    client = client_for(users[role])

    def measure():
        from django.core.cache import cache

        client.get("/inbox/")  # warm the per-process caches
        cache.clear()
        return count_queries(client, "/inbox/"), (cache.clear(), count_queries(client, "/inbox/count.json"))[1]

    task(users, sl.mission, "One", team=team, incident=file().incident)
    one = measure()
    for i in range(12):
        task(users, sl.mission, f"Task {i}", team=team, due_in_hours=-1 if i % 2 else 3)
    file()
    escalation.escalate_overdue_tasks()
    many = measure()
    assert one == many and max(many) <= 12, (one, many)


def test_administrators_manage_the_missions_teams(sl, users, other_mission, client_for):
    stranger = make_user("stranger", other_mission, Role.ANALYST)
    admin = client_for(users[Role.ADMINISTRATOR])
    refused = admin.post("/missions/UNAMSIL/teams/", {"name": "QRF", "members": [users[Role.REPORTER].pk, stranger.pk]})
    assert refused.status_code == 400 and 'id="field-members"' in refused.content.decode()
    assert not Team.objects.exists()
    made = admin.post(
        "/missions/UNAMSIL/teams/", {"name": " QRF ", "code": "QRF-1", "members": [users[Role.REPORTER].pk]}
    )
    assert made.status_code == 302
    team = Team.objects.get(mission=sl.mission)
    assert team.name == "QRF" and list(team.members.all()) == [users[Role.REPORTER]]
    twice = admin.post("/missions/UNAMSIL/teams/", {"name": "qrf"})
    assert twice.status_code == 400 and "already has a team of this name" in twice.content.decode()
    assert "QRF" in admin.get("/missions/UNAMSIL/teams/").content.decode()
    assert admin.post(f"/missions/UNAMSIL/teams/{team.pk}/", {"name": "QRF", "members": []}).status_code == 302
    assert not team.members.exists()
    assert client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/teams/").status_code == 403
