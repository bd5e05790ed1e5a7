"""Side doors of the incident area (issue 13): records derived from a labelled incident
(alerts, their notices, response tasks, merged reports) carry its label; the change history
keeps sources filed in bulk or moved by a merge; reading an alert writes nothing."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from bluehelmet.core.models import Role
from bluehelmet.core.sensitivity import Sensitivity
from bluehelmet.incidents import reports, response, verification
from bluehelmet.incidents.models import Alert, AlertRule, Incident, Notification, Source, Subscription

BASE = "/missions/UNAMSIL/incidents/"
SECRET = "Kailahun-RED-canary"


@pytest.fixture
def casualty_rule(sl, users):
    """A casualty rule the reporter and the analyst both follow, by e-mail too."""
    rule = AlertRule.objects.create(
        mission=sl.mission, name="Casualties", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=5
    )
    for role in (Role.REPORTER, Role.ANALYST):
        user = users[role]
        user.email = f"{role}@example.org"
        user.save()
        Subscription.objects.create(rule=rule, user=user, by_email=True)
    return rule


@pytest.fixture
def red_alert(file, users, casualty_rule, settings, django_capture_on_commit_callbacks):
    """A RED report by the analyst, with 7 killed at a secret place: it raises an alert."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        incident = file(
            user=users[Role.ANALYST],
            sensitivity="red",
            location_description=SECRET,
            casualties=[{"kind": "killed", "count": 7}],
        ).incident
    return Alert.objects.get(rule=casualty_rule), incident


def test_an_alert_takes_the_red_label_of_its_incident_and_only_red_readers_are_told(red_alert, users):
    alert, _incident = red_alert
    assert alert.sensitivity == Sensitivity.RED
    assert set(Notification.objects.filter(alert=alert).values_list("user__username", flat=True)) == {Role.ANALYST}
    assert [m.to for m in mail.outbox] == [[f"{Role.ANALYST}@example.org"]]


def test_a_reporter_sees_no_red_alert_or_task_on_pages_or_api(red_alert, users, client_for):
    alert, incident = red_alert
    task = response.create_task(
        users[Role.ANALYST],
        incident.mission,
        title=f"Patrol to {SECRET}",
        assignee=users[Role.ANALYST],
        due_at=timezone.now() + datetime.timedelta(hours=4),
        alert=alert,
    )
    assert task.sensitivity == Sensitivity.RED
    reporter = client_for(users[Role.REPORTER])
    assert SECRET not in reporter.get(f"{BASE}alerts/").content.decode()
    assert reporter.get(f"{BASE}alerts/{alert.pk}/").status_code == 404
    assert reporter.get(f"{BASE}tasks/{task.pk}/").status_code == 404
    assert SECRET not in reporter.get(f"{BASE}tasks/").content.decode()
    assert reporter.get("/api/alerts/").json()["count"] == 0
    assert reporter.get("/api/response-tasks/").json()["count"] == 0
    analyst = client_for(users[Role.ANALYST])
    assert analyst.get("/api/alerts/").json()["results"][0]["sensitivity"] == "red"
    assert analyst.get(f"{BASE}tasks/{task.pk}/").status_code == 200


def test_relabelling_an_incident_relabels_its_alerts_tasks_and_hides_notices(file, users, casualty_rule, client_for):
    incident = file(location_description=SECRET, casualties=[{"kind": "killed", "count": 7}]).incident
    alert = Alert.objects.get(rule=casualty_rule)
    task = response.create_task(
        users[Role.ANALYST],
        incident.mission,
        title="Patrol",
        assignee=users[Role.ANALYST],
        due_at=timezone.now() + datetime.timedelta(hours=4),
        incident=incident,
    )
    assert alert.sensitivity == task.sensitivity == Sensitivity.AMBER
    reporter = client_for(users[Role.REPORTER])
    assert reporter.get("/api/alerts/").json()["count"] == 1
    incident.sensitivity = Sensitivity.RED
    incident.save()
    alert.refresh_from_db()
    task.refresh_from_db()
    assert alert.sensitivity == task.sensitivity == Sensitivity.RED
    assert reporter.get("/api/alerts/").json()["count"] == 0
    listing = reporter.get(f"{BASE}alerts/").content.decode()
    assert SECRET not in listing and alert.title not in listing  # the unread notice is gone too


def test_a_red_member_makes_a_cluster_alert_red(file, users, sl):
    rule = AlertRule.objects.create(
        mission=sl.mission, name="Cluster", kind=AlertRule.Kind.CLUSTER, min_count=2, radius_km=20, window_hours=24
    )
    file(latitude=7.90, hours_ago=5)
    file(user=users[Role.ANALYST], latitude=7.95, hours_ago=4, sensitivity="red")
    assert Alert.objects.get(rule=rule).sensitivity == Sensitivity.RED


def _upload():
    return SimpleUploadedFile("photo.txt", SECRET.encode(), content_type="text/plain")


def test_merging_a_red_report_makes_the_kept_report_red(file, users, client_for):
    analyst = users[Role.ANALYST]
    red = file(user=analyst, sensitivity="red", narrative=f"{SECRET} narrative", latitude=7.91).incident
    reports.add_attachment(red, analyst, _upload())
    keep = file(narrative="An amber report.").incident
    verification.merge(keep, red, analyst, "Same clash.")
    keep.refresh_from_db()
    assert keep.sensitivity == Sensitivity.RED
    attachment = keep.attachments.get()
    staff = client_for(users[Role.DDR_OFFICER])
    assert staff.get(f"{BASE}{keep.pk}/").status_code == 404
    assert staff.get(f"{BASE}{keep.pk}/attachments/{attachment.pk}/").status_code == 404
    # The reporter still sees the report they filed (RED: its author), not what the RED one brought.
    reporter = client_for(users[Role.REPORTER])
    page = reporter.get(f"{BASE}{keep.pk}/")
    assert page.status_code == 200 and SECRET not in page.content.decode() and "photo.txt" not in page.content.decode()
    assert reporter.get(f"{BASE}{keep.pk}/attachments/{attachment.pk}/").status_code == 404
    assert client_for(analyst).get(f"{BASE}{keep.pk}/attachments/{attachment.pk}/").status_code == 200


def test_a_kept_report_shows_no_history_of_a_red_report_merged_into_it(file, users, client_for):
    """Even when an analyst labels the kept report down again, the RED report's own history
    stays out of it for those who may not see RED."""
    analyst = users[Role.ANALYST]
    red = file(user=analyst, sensitivity="red", narrative=f"{SECRET} narrative", latitude=7.91).incident
    keep = file(narrative="An amber report.").incident
    verification.merge(keep, red, analyst, "Same clash.")
    Incident.objects.filter(pk=keep.pk).update(sensitivity=Sensitivity.AMBER)
    page = client_for(users[Role.REPORTER]).get(f"{BASE}{keep.pk}/")
    assert page.status_code == 200 and SECRET not in page.content.decode()
    assert SECRET in client_for(analyst).get(f"{BASE}{keep.pk}/").content.decode()


def _source_entries(source):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Source), object_pk=str(source.pk))


def test_sources_filed_with_a_report_and_moved_by_a_merge_are_in_the_change_history(file, users):
    keep = file().incident
    duplicate = file(latitude=7.91).incident
    filed = duplicate.sources.get()
    assert _source_entries(filed).filter(action=LogEntry.Action.CREATE).exists()
    verification.merge(keep, duplicate, users[Role.ANALYST], "Same clash.")
    moved = _source_entries(filed).filter(action=LogEntry.Action.UPDATE).last()
    assert moved is not None and moved.changes["incident"] == [duplicate.pk, keep.pk]


def test_reading_an_alert_marks_nothing_read_until_the_button_is_pressed(file, users, casualty_rule, client_for):
    file(casualties=[{"kind": "killed", "count": 7}])
    alert = Alert.objects.get(rule=casualty_rule)
    reporter = client_for(users[Role.REPORTER])
    page = reporter.get(f"{BASE}alerts/{alert.pk}/")
    notice = Notification.objects.get(alert=alert, user=users[Role.REPORTER])
    assert page.status_code == 200 and notice.read_at is None
    assert f"{BASE}alerts/{alert.pk}/read/" in page.content.decode()
    assert reporter.get(f"{BASE}alerts/{alert.pk}/read/").status_code == 405
    assert reporter.post(f"{BASE}alerts/{alert.pk}/read/")["Location"] == f"{BASE}alerts/{alert.pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert f"{BASE}alerts/{alert.pk}/read/" not in reporter.get(f"{BASE}alerts/{alert.pk}/").content.decode()


def test_deleting_a_user_keeps_their_name_on_the_sensitive_access_trail(file, users, sl, client_for):
    from bluehelmet.core.models import Membership, SensitiveAccess

    from ..factories import make_user

    incident = file().incident
    source = incident.sources.get()
    looker = make_user("looker-canary", sl.mission, Role.ANALYST)
    assert client_for(looker).get(f"{BASE}{incident.pk}/sources/{source.pk}/identity/").status_code == 200
    Membership.objects.filter(user=looker).delete()
    looker.delete()
    access = SensitiveAccess.objects.get(record_type="incidents.Source", record_id=str(source.pk))
    assert access.user is None and access.username == "looker-canary" and access.who == "looker-canary"


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_the_rows_written_before():
    """Rows written before the column existed are filled in by the migration, on PostgreSQL too,
    where the table otherwise refuses updates. (A transactional test: a migration runs in a
    transaction of its own, with no deferred checks pending before its ALTER TABLE.)"""
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from bluehelmet.core.models import SensitiveAccess

    from ..factories import make_user

    analyst = make_user("analyst-before")
    SensitiveAccess.objects.bulk_create(
        [SensitiveAccess(user=analyst, record_type="incidents.Source", record_id="written-before")]
    )
    migration = import_module("bluehelmet.core.migrations.0008_sensitive_access_keeps_the_user_name")
    editor = SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    with transaction.atomic():
        migration.fill_user_names(apps, editor)
    assert SensitiveAccess.objects.get(record_id="written-before").username == "analyst-before"
