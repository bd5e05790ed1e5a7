"""A new report's checks (duplicates, alert rules) run after its commit and are never lost;
the reference data caches they and the report use follow every change (issue 16)."""

import datetime

import pytest
from django.utils import timezone

from bluehelmet import jobs
from bluehelmet.core import mission_cache
from bluehelmet.core.models import Mission, Role
from bluehelmet.incidents import checks, lookups
from bluehelmet.incidents.models import Alert, AlertRule, DuplicateProposal, Incident, IncidentType

from .conftest import box

pytestmark = pytest.mark.django_db


@pytest.fixture
def casualty_rule(sl, users):
    rule = AlertRule.objects.create(
        mission=sl.mission, name="Any casualty", kind=AlertRule.Kind.CASUALTIES, casualty_threshold=1
    )
    rule.subscribers.add(users[Role.ANALYST])
    return rule


def killed(n=1):
    return [{"kind": "killed", "group": "civilian", "count": n}]


def test_sync_mode_runs_the_checks_with_the_report(file, casualty_rule):
    first = file(casualties=killed()).incident
    second = file(casualties=killed()).incident
    assert Alert.objects.filter(incident=second, rule=casualty_rule).exists()
    assert DuplicateProposal.objects.filter(first=first, second=second).exists()
    assert not Incident.objects.filter(checks_pending=True).exists()


def test_checks_lost_with_their_process_run_at_the_next_sweep(file, casualty_rule, monkeypatch, settings):
    """The process died after the commit, before its job ran: the report is stored with its
    checks pending, and the stale-job sweep runs them (once)."""
    monkeypatch.setattr(checks, "schedule", lambda incident_id: None)  # the job never ran
    incident = file(casualties=killed()).incident
    assert Incident.objects.get(pk=incident.pk).checks_pending
    assert not Alert.objects.filter(incident=incident).exists()
    jobs.recover_stale_jobs()  # too early: its own job may still be on its way
    assert Incident.objects.get(pk=incident.pk).checks_pending
    Incident.objects.filter(pk=incident.pk).update(reported_at=timezone.now() - datetime.timedelta(minutes=5))
    jobs.recover_stale_jobs()
    assert not Incident.objects.get(pk=incident.pk).checks_pending
    assert Alert.objects.filter(incident=incident, rule=casualty_rule).count() == 1
    # Delivered again (a redelivered job, a sweep racing it): nothing more.
    assert checks.run(incident.pk) is False
    assert Alert.objects.filter(incident=incident, rule=casualty_rule).count() == 1


def test_outside_sync_mode_the_checks_wait_for_the_commit(file, casualty_rule, settings, monkeypatch):
    settings.BLUEHELMET_JOBS_SYNC = False
    submitted = []
    monkeypatch.setattr(jobs, "submit", lambda task, *args: submitted.append((task.name, args)))
    incident = file(casualties=killed()).incident
    assert submitted == []  # the test's transaction has not committed
    assert Incident.objects.get(pk=incident.pk).checks_pending


def test_a_rule_added_in_another_process_is_seen_from_the_mission_stamp(sl, users, file):
    """Another worker's change reaches this process through the mission row's stamp: a value
    cached under the former stamp is not used once a request loads the raised one."""
    mission = Mission.objects.get(pk=sl.mission.pk)
    assert lookups.incident_rules(mission) == []
    # Another process adds a rule: its stamp raise reaches the database, not this process's cache.
    rule = AlertRule.objects.create(mission=sl.mission, name="Zone", kind=AlertRule.Kind.ZONE)
    stale = Mission.objects.get(pk=sl.mission.pk)
    stale.lookups_version = mission.lookups_version
    mission_cache._entries[("incidents.rules", mission.pk)] = (mission.lookups_version, [])
    assert lookups.incident_rules(stale) == []  # an old mission row: the old value
    fresh = Mission.objects.get(pk=sl.mission.pk)  # the next request's mission row
    assert fresh.lookups_version > mission.lookups_version
    assert [w.rule for w in lookups.incident_rules(fresh)] == [rule]


def test_a_new_type_and_a_deactivated_one_take_effect_at_once(sl, file):
    IncidentType.objects.create(mission=sl.mission, code="checkpoint-incident", name="Checkpoint incident")
    assert file(type="checkpoint-incident").ok
    checkpoint = IncidentType.objects.get(mission=sl.mission, code="checkpoint-incident")
    checkpoint.active = False
    checkpoint.save()
    outcome = file(type="checkpoint-incident")
    assert not outcome.ok and "type" in outcome.errors


def test_a_rule_switched_off_no_longer_fires(sl, file, casualty_rule):
    casualty_rule.active = False
    casualty_rule.save()
    incident = file(casualties=killed()).incident
    assert not Alert.objects.filter(incident=incident).exists()


def test_the_change_history_has_the_report_its_sources_and_links(file, sl):
    from auditlog.models import LogEntry

    incident = file(perpetrators=[sl.ruf.pk], latitude=8.8, longitude=-12.0).incident
    source = incident.sources.get()
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE)
    entry = created.get(content_type__model="incident", object_id=incident.pk)
    assert entry.additional_data["mission"] == sl.mission.pk and entry.actor_email  # who: the command's user
    assert entry.changes["in_zone"][1] is True
    source_entry = created.get(content_type__model="source", object_id=source.pk)
    assert source_entry.changes["identity"][1] == "[hidden]"  # personal data stays masked
    links = LogEntry.objects.filter(
        action=LogEntry.Action.UPDATE, content_type__model="incident", object_id=incident.pk
    )
    assert {name for e in links for name in e.changes} == {"perpetrators", "zones"}
    assert created.filter(content_type__model="incidenthistory").exists()


def test_saving_a_mission_loaded_before_a_change_keeps_the_raised_stamp(sl):
    loaded = Mission.objects.get(pk=sl.mission.pk)
    AlertRule.objects.create(mission=sl.mission, name="Zone", kind=AlertRule.Kind.ZONE)
    raised = Mission.objects.get(pk=sl.mission.pk).lookups_version
    assert raised > loaded.lookups_version
    loaded.name = "United Nations Mission in Sierra Leone"
    loaded.save()
    assert Mission.objects.get(pk=sl.mission.pk).lookups_version == raised


def test_a_new_admin_area_places_the_next_report(sl, file):
    from bluehelmet.core.models import Place
    from bluehelmet.incidents.locating import mission_locator

    point = (7.0, -12.5)  # in the country, in neither district of the fixture
    assert mission_locator(Mission.objects.get(pk=sl.mission.pk)).locate(*point).pk == sl.country.pk
    bonthe = Place.objects.create(
        key="adm2:SLE:Bonthe",
        kind=Place.Kind.ADM2,
        name="Bonthe",
        parent=sl.country,
        country=sl.country,
        geometry=box(-12.9, 6.8, -12.2, 7.3),
    )
    outcome = file(latitude=point[0], longitude=point[1])
    assert outcome.ok and outcome.incident.place == bonthe
