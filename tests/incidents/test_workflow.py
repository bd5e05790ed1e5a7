"""Verification, duplicates and merging; alerts and notifications; response tasks and the
response indicators."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from bluehelmet.core.models import Role
from bluehelmet.incidents import alerts, indicators, response, verification
from bluehelmet.incidents.models import (
    Alert,
    AlertRule,
    AppendOnlyError,
    DuplicateProposal,
    Incident,
    IncidentHistory,
    IncidentType,
    Notification,
    ResponseTask,
    Subscription,
)


def test_status_changes_follow_the_workflow_and_keep_the_reason(file, users):
    analyst = users[Role.ANALYST]
    incident = file().incident
    verification.change_status(incident, analyst, Incident.Status.UNDER_VERIFICATION, "Patrol sent.")
    verification.change_status(incident, analyst, Incident.Status.VERIFIED, "Seen by the patrol.")
    with pytest.raises(verification.WorkflowError):
        verification.change_status(incident, analyst, Incident.Status.FALSE, "Verified reports are reopened first.")
    with pytest.raises(verification.WorkflowError):
        verification.change_status(incident, analyst, Incident.Status.UNDER_VERIFICATION, "  ")
    entries = IncidentHistory.objects.filter(incident=incident, action="status").order_by("id")
    assert [(e.before["status"], e.after["status"], e.reason, e.user) for e in entries] == [
        ("reported", "under_verification", "Patrol sent.", analyst),
        ("under_verification", "verified", "Seen by the patrol.", analyst),
    ]


def test_history_is_append_only(file):
    entry = IncidentHistory.objects.filter(incident=file().incident).first()
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_close_reports_of_one_type_are_proposed_as_duplicates(file):
    first = file(latitude=7.90, longitude=-11.20, hours_ago=5).incident
    second = file(latitude=7.92, longitude=-11.21, hours_ago=3).incident
    file(latitude=7.91, longitude=-11.20, hours_ago=4, type="demonstration-riot")  # another type
    file(latitude=8.80, longitude=-11.20, hours_ago=4)  # 100 km away
    file(latitude=7.90, longitude=-11.20, hours_ago=100)  # four days earlier
    proposal = DuplicateProposal.objects.get()
    assert (proposal.first, proposal.second) == (first, second)
    assert 2 < proposal.distance_km < 3 and proposal.hours_apart == pytest.approx(2, abs=0.01)


def test_merging_keeps_every_source_and_writes_both_histories(file, users, sl):
    analyst = users[Role.ANALYST]
    keep = file(latitude=7.90, longitude=-11.20).incident
    duplicate = file(latitude=7.91, longitude=-11.20, perpetrators=[sl.ruf.pk]).incident
    verification.merge(keep, duplicate, analyst, "Same market, same hour.")
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert keep.sources.count() == 2 and {s.first_incident_id for s in keep.sources.all()} == {keep.pk, duplicate.pk}
    assert list(keep.perpetrators.all()) == [sl.ruf]
    assert DuplicateProposal.objects.get().status == DuplicateProposal.Status.MERGED
    assert IncidentHistory.objects.get(incident=keep, action="merged").after["merged"] == duplicate.pk
    assert IncidentHistory.objects.get(incident=duplicate, action="merged into").reason == "Same market, same hour."
    with pytest.raises(verification.WorkflowError):
        verification.merge(keep, duplicate, analyst, "again")


def test_a_rejected_proposal_is_recorded_on_both_reports(file, users):
    first = file(latitude=7.90, longitude=-11.20).incident
    second = file(latitude=7.91, longitude=-11.20).incident
    proposal = DuplicateProposal.objects.get()
    verification.reject(proposal, users[Role.ANALYST], "Two different markets.")
    assert DuplicateProposal.objects.get().status == DuplicateProposal.Status.REJECTED
    assert IncidentHistory.objects.filter(action="duplicate rejected", incident__in=[first, second]).count() == 2
    assert not verification.open_proposals(first.mission).exists()


@pytest.fixture
def rules(sl, users):
    mission = sl.mission
    made = {
        "zone": AlertRule.objects.create(mission=mission, name="Zone", kind=AlertRule.Kind.ZONE, severity="high"),
        "casualties": AlertRule.objects.create(
            mission=mission, name="Casualties", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=5
        ),
        "cluster": AlertRule.objects.create(
            mission=mission, name="Cluster", kind=AlertRule.Kind.CLUSTER, min_count=3, radius_km=20, window_hours=24
        ),
        "risk": AlertRule.objects.create(mission=mission, name="Risk", kind=AlertRule.Kind.RISK, risk_threshold=0.6),
    }
    made["cluster"].incident_types.set(IncidentType.objects.filter(mission=mission, code="armed-clash"))
    analyst = users[Role.ANALYST]
    analyst.email = "analyst@example.org"
    analyst.save()
    Subscription.objects.create(rule=made["zone"], user=analyst, by_email=True)
    return made


def test_an_incident_in_a_zone_fires_the_zone_alert_and_notifies(
    file, rules, users, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        incident = file(latitude=8.9, longitude=-12.0, type="ceasefire-violation").incident
    alert = Alert.objects.get(rule=rules["zone"])
    assert alert.incident == incident and alert.severity == "high" and alert.status == Alert.Status.OPEN
    notification = Notification.objects.get(alert=alert)
    assert notification.user == users[Role.ANALYST] and notification.emailed and not notification.sms_sent
    assert len(mail.outbox) == 1 and "[UNAMSIL] High" in mail.outbox[0].subject
    assert IncidentHistory.objects.filter(incident=incident, action="alert raised").exists()
    # Outside the zone: no zone alert.
    file(latitude=7.9, longitude=-11.2)
    assert Alert.objects.filter(rule=rules["zone"]).count() == 1


class RecordingSms:
    sent = []

    def send(self, phone, text):
        self.sent.append((phone, text))


def test_sms_goes_through_the_configured_sender_only(file, rules, users, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Subscription.objects.filter(rule=rules["zone"]).update(by_sms=True, phone="+23200000")
    with django_capture_on_commit_callbacks(execute=True):
        file(latitude=8.9, longitude=-12.0)
    assert not Notification.objects.get().sms_sent  # no sender configured by default
    settings.BLUEHELMET_SMS_SENDER = f"{__name__}.RecordingSms"
    with django_capture_on_commit_callbacks(execute=True):
        file(latitude=8.95, longitude=-12.1, hours_ago=60)
    assert RecordingSms.sent and RecordingSms.sent[-1][0] == "+23200000"


def test_casualties_at_the_threshold_fire(file, rules):
    file(casualties=[{"kind": "killed", "count": 4}])
    assert not Alert.objects.filter(rule=rules["casualties"]).exists()
    file(latitude=7.5, casualties=[{"kind": "killed", "count": 3}, {"kind": "abducted", "count": 2}], hours_ago=200)
    assert Alert.objects.filter(rule=rules["casualties"]).count() == 1


def test_a_cluster_fires_once_and_later_reports_join_it(file, rules):
    for i in range(2):
        file(latitude=7.90 + i * 0.05, longitude=-11.2, hours_ago=10 - i)
    assert not Alert.objects.filter(rule=rules["cluster"]).exists()
    third = file(latitude=8.0, longitude=-11.25, hours_ago=5).incident
    alert = Alert.objects.get(rule=rules["cluster"])
    assert alert.incident == third and alert.incidents.count() == 3
    file(latitude=7.95, longitude=-11.2, hours_ago=1)
    assert Alert.objects.filter(rule=rules["cluster"]).count() == 1
    assert alert.incidents.count() == 4
    file(latitude=7.95, longitude=-11.2, hours_ago=2, type="demonstration-riot")  # not a type the rule counts
    assert alert.incidents.count() == 4


def test_risk_rules_fire_per_place_without_duplicate_open_alerts(sl, rules, users):
    risks = {sl.bombali.pk: 0.7, sl.kenema.pk: 0.3, 999999: 0.9}
    raised = alerts.check_risk_rules(sl.mission, risks)
    assert [(a.place, a.risk, a.rule) for a in raised] == [(sl.bombali, 0.7, rules["risk"])]
    assert alerts.check_risk_rules(sl.mission, {sl.bombali.pk: 0.8}) == []
    alerts.acknowledge(raised[0], users[Role.ANALYST])
    assert alerts.check_risk_rules(sl.mission, {sl.bombali.pk: 0.8}) == []  # acknowledged is still open
    alerts.close_alert(raised[0], users[Role.ANALYST], "Risk reviewed.")
    again = alerts.check_risk_rules(sl.mission, {sl.bombali.pk: 0.6, sl.kenema.pk: 0.61})
    assert sorted(a.place.name for a in again) == ["Bombali", "Kenema"]


def test_acknowledging_is_recorded_and_only_once(file, rules, users):
    incident = file(latitude=8.9, longitude=-12.0).incident
    alert = Alert.objects.get(rule=rules["zone"])
    alerts.acknowledge(alert, users[Role.ANALYST], "On it.")
    assert alert.status == Alert.Status.ACKNOWLEDGED and alert.acknowledged_by == users[Role.ANALYST]
    entry = IncidentHistory.objects.get(action="alert acknowledged")
    assert (entry.incident, entry.alert, entry.reason) == (incident, alert, "On it.")
    with pytest.raises(alerts.AlertStateError):
        alerts.acknowledge(alert, users[Role.ANALYST])


def test_a_response_task_is_started_closed_and_timed(file, rules, users, sl):
    analyst = users[Role.ANALYST]
    file(latitude=8.9, longitude=-12.0)
    alert = Alert.objects.get(rule=rules["zone"])
    task = response.create_task(
        analyst,
        sl.mission,
        title="Patrol to the zone",
        assignee=analyst,
        alert=alert,
        due_at=timezone.now() + datetime.timedelta(hours=6),
    )
    assert task.incident == alert.incident
    assert list(response.open_tasks_by_urgency(sl.mission)) == [task]
    with pytest.raises(response.TaskStateError):
        response.update_task(task, analyst, status=ResponseTask.Status.DONE)  # done needs an outcome
    response.update_task(task, analyst, status=ResponseTask.Status.IN_PROGRESS)
    response.update_task(task, analyst, status=ResponseTask.Status.DONE, outcome="Both sides withdrew.")
    assert task.started_at and task.closed_at and task.time_to_respond >= datetime.timedelta(0)
    assert not response.open_tasks_by_urgency(sl.mission).exists()
    with pytest.raises(response.TaskStateError):
        response.update_task(task, analyst, status=ResponseTask.Status.OPEN)
    actions = list(IncidentHistory.objects.filter(task=task).values_list("action", flat=True))
    assert actions == ["task created", "task updated", "task updated"]


def test_response_indicators(sl, rules, users):
    today = timezone.now().date()
    assert indicators.alert_response_share(sl.mission, today, today) is None
    assert indicators.median_time_to_respond(sl.mission, today, today) is None
    raised = alerts.check_risk_rules(sl.mission, {sl.bombali.pk: 0.9, sl.kenema.pk: 0.9})
    for alert in raised:  # raised 30 hours ago
        Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - datetime.timedelta(hours=30))
    first, second = (Alert.objects.get(pk=a.pk) for a in raised)
    start = (timezone.now() - datetime.timedelta(days=3)).date()
    assert indicators.alert_response_share(sl.mission, start, today) == 0.0
    assert indicators.median_time_to_respond(sl.mission, start, today) is None
    # One answered by a task started 2 hours after it was raised, the other acknowledged 28 hours after.
    task = response.create_task(
        users[Role.ANALYST], sl.mission, title="t", assignee=users[Role.ANALYST], alert=first, due_at=timezone.now()
    )
    response.update_task(task, users[Role.ANALYST], status=ResponseTask.Status.IN_PROGRESS)
    ResponseTask.objects.filter(pk=task.pk).update(started_at=first.created_at + datetime.timedelta(hours=2))
    alerts.acknowledge(second, users[Role.ANALYST])
    Alert.objects.filter(pk=second.pk).update(acknowledged_at=second.created_at + datetime.timedelta(hours=28))
    assert indicators.alert_response_share(sl.mission, start, today) == 0.5
    assert indicators.alert_response_share(sl.mission, start, today, within_hours=30) == 1.0
    assert indicators.median_time_to_respond(sl.mission, start, today) == datetime.timedelta(hours=15)
    assert (
        indicators.alert_response_share(
            sl.mission, today + datetime.timedelta(days=1), today + datetime.timedelta(days=2)
        )
        is None
    )
