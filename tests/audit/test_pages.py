"""The audit pages: who may read them and what they show, filters, pagination, CSV; and
that audit records cannot be changed or deleted through the app."""

import csv
import io

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from bluehelmet.core.audit import log_sensitive_access
from bluehelmet.core.models import Mission, Role, SensitiveAccess
from bluehelmet.ddr import cases


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_only_superusers_and_mission_administrators_may_read(client_for, users):
    for role in (Role.ANALYST, Role.REPORTER, Role.DDR_OFFICER, Role.PARTNER, "outsider"):
        client = client_for(users[role])
        for name in ("audit-changes", "audit-changes-csv", "audit-accesses", "audit-accesses-csv"):
            assert client.get(reverse(name)).status_code == 403, (role, name)
    assert client_for(users[Role.ADMINISTRATOR]).get(reverse("audit-changes")).status_code == 200
    assert client_for(users["superuser"]).get(reverse("audit-accesses")).status_code == 200
    assert "Audit" in client_for(users[Role.ADMINISTRATOR]).get("/").content.decode()


def test_mission_administrators_see_their_missions_only(client_for, users, mission, other_mission, registration):
    officer = users[Role.DDR_OFFICER]
    person = cases.register(officer, mission, registration)
    log_sensitive_access(officer, person, mission=mission, detail="exercise view")
    log_sensitive_access(officer, person, mission=other_mission, detail="other mission view")
    other_mission.name = "MINUSCA renamed"
    other_mission.save()
    admin = client_for(users[Role.ADMINISTRATOR])
    changes = _csv(admin.get(reverse("audit-changes-csv")))
    assert {row["record_type"] for row in changes} >= {"ddr.participant"}
    assert all(row["mission"] == str(mission.pk) for row in changes)
    assert "MINUSCA" not in admin.get(reverse("audit-changes")).content.decode()
    accesses = _csv(admin.get(reverse("audit-accesses-csv")))
    assert [row["detail"] for row in accesses] == ["exercise view"]
    root = _csv(client_for(users["superuser"]).get(reverse("audit-changes-csv")))
    assert any(row["record_type"] == "core.mission" and "MINUSCA renamed" in row["changes"] for row in root)
    assert len(_csv(client_for(users["superuser"]).get(reverse("audit-accesses-csv")))) == 2


def test_changes_show_before_and_after_masked_and_filter(client_for, users, mission, registration):
    officer = users[Role.DDR_OFFICER]
    with set_actor(officer):
        person = cases.register(officer, mission, registration)
        person.sex, person.full_name = "female", "Exercise Person Renamed"
        person.save()
    client = client_for(users["superuser"])
    page = client.get(reverse("audit-changes"), {"record_type": "ddr.participant", "action": "update"}).content.decode()
    # Readable: the field's name and the choice labels, the masked value said as hidden.
    assert person.reference in page and '<th scope="row">Sex</th><td>Male</td><td>→ Female</td>' in page
    assert "[hidden]" in page and "Renamed" not in page and "Changed" in page
    rows = _csv(client.get(reverse("audit-changes-csv"), {"user": officer.username}))
    assert {row["action"] for row in rows} >= {"create"} and all(row["user"] == officer.username for row in rows)
    assert any("sex: male -> female" in row["changes"] for row in rows)
    assert not _csv(client.get(reverse("audit-changes-csv"), {"user": "nobody-at-all"}))
    assert not _csv(client.get(reverse("audit-changes-csv"), {"since": "2999-01-01"}))
    bad = client.get(reverse("audit-changes"), {"since": "2001-02-01", "until": "2001-01-01"})
    assert bad.status_code == 200 and "This date is before the start date." in bad.content.decode()
    wrong = client.get(reverse("audit-changes"), {"record_type": "no.such", "since": "not a date"})
    assert wrong.status_code == 200 and "field-error" in wrong.content.decode()


def test_pages_are_paginated(client_for, users, db):
    for number in range(55):
        Mission.objects.create(acronym=f"EX{number}", name=f"Exercise mission {number}")
    client = client_for(users["superuser"])
    first = client.get(reverse("audit-changes"), {"record_type": "core.mission"}).content.decode()
    assert "Page 1 of 2" in first and "record_type=core.mission&amp;page=2" in first
    second = client.get(reverse("audit-changes"), {"record_type": "core.mission", "page": 2}).content.decode()
    assert "Page 2 of 2" in second


def test_audit_records_cannot_be_changed_or_deleted_through_the_app(client_for, users, mission, registration):
    person = cases.register(users[Role.DDR_OFFICER], mission, registration)
    log_sensitive_access(users[Role.DDR_OFFICER], person, mission=mission)
    entry, access = LogEntry.objects.first(), SensitiveAccess.objects.get()
    root = client_for(users["superuser"])
    for name in ("audit-changes", "audit-changes-csv", "audit-accesses", "audit-accesses-csv"):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(root, method)(reverse(name)).status_code == 405, (name, method)
    for admin_url in (
        reverse("admin:auditlog_logentry_change", args=[entry.pk]),
        reverse("admin:core_sensitiveaccess_change", args=[access.pk]),
    ):
        assert root.post(admin_url, {"action": 0}).status_code == 403
    assert root.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert root.post(reverse("admin:core_sensitiveaccess_delete", args=[access.pk]), {"post": "yes"}).status_code == 403
    assert root.post(reverse("admin:auditlog_logentry_add"), {}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists() and SensitiveAccess.objects.filter(pk=access.pk).exists()
    # No API endpoint exposes the trail.
    schema = root.get("/api/schema/").content.decode()
    assert "logentr" not in schema.lower() and "sensitive-access" not in schema.lower()
