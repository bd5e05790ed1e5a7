"""PostgreSQL: a trigger keeps the audit tables append-only (core migration 0005)."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from bluehelmet.core.audit import log_sensitive_access
from bluehelmet.core.models import Role, SensitiveAccess

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


def test_updates_and_deletes_are_refused_by_the_database(users, mission):
    log_sensitive_access(users[Role.ANALYST], mission, mission=mission)
    entry = LogEntry.objects.get_for_object(mission).first()
    for statement in (
        "UPDATE auditlog_logentry SET object_repr = 'rewritten' WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    access = SensitiveAccess.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        SensitiveAccess.objects.filter(pk=access.pk).update(detail="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        access.delete()


def test_deleting_an_account_keeps_its_entries_without_the_link(users, mission):
    analyst = users[Role.ANALYST]
    log_sensitive_access(analyst, mission, mission=mission)
    with set_actor(analyst):
        mission.name = "renamed by the analyst"
        mission.save()
    analyst.delete()
    assert SensitiveAccess.objects.get().user is None
    assert LogEntry.objects.get_for_object(mission).filter(actor__isnull=True).count() >= 2
