"""Retention and anonymisation (core/retention.py and the incidents and DDR rules)."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.db.models import Q

from bluehelmet.core import history, retention
from bluehelmet.core.models import Role
from bluehelmet.ddr import cases, indicators
from bluehelmet.ddr.models import FollowUpVisit, Participant
from bluehelmet.incidents.models import Incident, Source

d = datetime.date
TODAY = d(2026, 11, 25)


@pytest.fixture
def periods(settings):
    settings.BLUEHELMET_RETENTION_DAYS = {"incident_sources": 730, "ddr_participants": 1825}


@pytest.fixture
def people(mission, registration, users, periods):
    """Two participants: one reintegrated long ago (due), one still in the programme."""
    officer = users[Role.DDR_OFFICER]
    closed = cases.register(officer, mission, registration)
    Participant.objects.filter(pk=closed.pk).update(disarmed_on=d(2001, 6, 2), reintegrated_on=d(2002, 2, 1))
    FollowUpVisit.objects.create(
        participant=closed, visited_on=d(2002, 6, 1), outcome="employed", notes="Exercise note about the person"
    )
    open_case = cases.register(
        officer, mission, {**registration, "full_name": "Exercise Person Two", "registered_on": d(2024, 1, 1)}
    )
    return closed, open_case


@pytest.fixture
def sources(file, periods):
    """A closed (verified) old incident's source, an open old one's, a recent verified one's."""
    old_closed, old_open, recent = (
        file(narrative=n, latitude=lat).incident for n, lat in (("old closed", 7.0), ("old open", 7.5), ("recent", 8.5))
    )
    Incident.objects.filter(pk__in=[old_closed.pk, recent.pk]).update(status=Incident.Status.VERIFIED)
    Incident.objects.filter(pk__in=[old_closed.pk, old_open.pk]).update(
        occurred_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    return old_closed.sources.get(), old_open.sources.get(), recent.sources.get()


def _raw(table: str, column: str, pk: int):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rules_of_incidents_and_ddr_are_registered(db):
    registered = {(rule.category, rule.model) for rule in retention.rules()}
    assert {
        ("incident_sources", "incidents.Source"),
        ("ddr_participants", "ddr.Participant"),
        ("ddr_participants", "ddr.FollowUpVisit"),
    } <= registered


def test_dry_run_counts_and_changes_nothing(people, sources):
    outcomes = {(o.category, o.model): o for o in retention.apply_retention(dry_run=True, today=TODAY)}
    assert outcomes[("ddr_participants", "ddr.Participant")].due == 1
    assert outcomes[("ddr_participants", "ddr.FollowUpVisit")].due == 1
    assert outcomes[("incident_sources", "incidents.Source")].due == 1
    assert all(o.anonymised == 0 for o in outcomes.values())
    assert Participant.objects.get(pk=people[0].pk).full_name == "Exercise Person One"
    assert Source.objects.get(pk=sources[0].pk).identity == "Jane Doe, +232 000"


def test_ddr_participants_are_anonymised_keeping_the_aggregates(people, mission):
    closed, open_case = people
    funnel_before = indicators.funnel(mission)
    outcomes = retention.apply_retention(today=TODAY)
    assert sum(o.anonymised for o in outcomes if o.model == "ddr.Participant") == 1
    person = Participant.objects.get(pk=closed.pk)
    assert person.full_name == "[anonymised]" and person.phone == "" and person.birth_date == ""
    assert person.duplicate_key == f"anonymised:{person.pk}" and "Exercise" not in _raw(
        "ddr_participant", "full_name", person.pk
    )
    assert person.age_at_registration == closed.age_at_registration and person.faction_id == closed.faction_id
    assert FollowUpVisit.objects.get(participant=person).notes == ""
    assert Participant.objects.get(pk=open_case.pk).full_name == "Exercise Person Two"
    assert indicators.funnel(mission) == funnel_before
    # Anonymisation is audited, values masked, with its reason.
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert (
        entry.changes_dict["full_name"] == [history.MASK, history.MASK]
        and entry.additional_data["reason"] == "retention:ddr_participants"
    )
    # Applied again, nothing is due.
    assert all(o.due == 0 for o in retention.apply_retention(today=TODAY))


def test_incident_sources_are_anonymised_when_closed_and_old(sources):
    old_closed, old_open, recent = sources
    retention.apply_retention(today=TODAY)
    assert Source.objects.get(pk=old_closed.pk).identity == ""
    assert Source.objects.get(pk=old_closed.pk).reliability == old_closed.reliability
    assert Source.objects.get(pk=old_open.pk).identity == "Jane Doe, +232 000"
    assert Source.objects.get(pk=recent.pk).identity == "Jane Doe, +232 000"
    assert (
        LogEntry.objects.get_for_object(old_closed).get(action=LogEntry.Action.UPDATE).additional_data["reason"]
        == "retention:incident_sources"
    )


def test_a_category_set_to_zero_is_off(people, settings):
    settings.BLUEHELMET_RETENTION_DAYS = {"incident_sources": 730, "ddr_participants": 0}
    outcomes = [o for o in retention.apply_retention(today=TODAY) if o.category == "ddr_participants"]
    assert all(o.cutoff is None and o.anonymised == 0 for o in outcomes)
    assert Participant.objects.get(pk=people[0].pk).full_name == "Exercise Person One"


def test_a_failing_rule_changes_nothing_of_its_records(people, monkeypatch):
    rule = retention.RetentionRule(
        category="ddr_participants",
        model="ddr.Participant",
        age_field="registered_on",
        replace={"full_name": lambda record: 1 / 0},
        pending=Q(),
    )
    monkeypatch.setattr(retention, "_rules", [rule])
    with pytest.raises(ZeroDivisionError):
        retention.apply_retention(today=d(2100, 1, 1))
    assert sorted(Participant.objects.values_list("full_name", flat=True)) == [
        "Exercise Person One",
        "Exercise Person Two",
    ]


def test_the_command_reports_counts(people, sources):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "ddr_participants (ddr.Participant): 1 due" in text and "Dry run: nothing changed." in text
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "ddr_participants (ddr.Participant): 1 anonymised" in out.getvalue()
    assert "incident_sources (incidents.Source): 1 anonymised" in out.getvalue()


def test_the_celery_task_applies_the_rules(people):
    from bluehelmet.core.tasks import apply_retention_task

    assert apply_retention_task.apply().get()["ddr_participants:ddr.Participant"] == 1


def test_settings_parse_the_environment(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    from bluehelmet import settings as settings_module

    monkeypatch.setenv("BLUEHELMET_RETENTION_DAYS", "incident_sources=30, ddr_participants=0")
    reloaded = importlib.reload(settings_module)
    try:
        # failed_imports is left out: it keeps its default.
        assert reloaded.BLUEHELMET_RETENTION_DAYS == {
            "incident_sources": 30,
            "ddr_participants": 0,
            "failed_imports": 30,
        }
        # A misspelt category would keep personal data for the default period unnoticed: refused.
        monkeypatch.setenv("BLUEHELMET_RETENTION_DAYS", "incident_sources=30, typo=x")
        with pytest.raises(ImproperlyConfigured, match="BLUEHELMET_RETENTION_DAYS"):
            importlib.reload(settings_module)
    finally:
        monkeypatch.delenv("BLUEHELMET_RETENTION_DAYS")
        importlib.reload(settings_module)
