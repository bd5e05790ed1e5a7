"""The audit pages read in the reader's language (actions, record types, field names,
before/after values, the detail of a view), while the CSV exports stay the same in every
language (other tools read them)."""

import csv
import io

from auditlog.context import set_actor
from django.urls import reverse

from bluehelmet.core.audit import audit_detail, log_sensitive_access
from bluehelmet.core.models import Role, SensitiveAccess
from bluehelmet.ddr import cases


def _in(client, language: str, name: str, params=None):
    client.cookies["django_language"] = language
    response = client.get(reverse(name), params or {}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_changes_page_in_french_and_csv_the_same(client_for, users, mission, registration):
    officer = users[Role.DDR_OFFICER]
    with set_actor(officer):
        person = cases.register(officer, mission, registration)
        person.sex = "female"
        person.save()
    client = client_for(users["superuser"])
    query = {"record_type": "ddr.participant", "action": "update"}
    french = _in(client, "fr", "audit-changes", query)
    assert "Modifié" in french and "Changed" not in french
    # The model's and the field's names, the choices' labels, in French; no code left.
    assert "Participant au DDR #" in french and "ddr.participant #" not in french
    assert '<th scope="row">Sexe</th><td>Homme</td><td>→ Femme</td>' in french
    english = _in(client, "en", "audit-changes", query)
    assert (
        "Changed" in english
        and "DDR participant #" in english
        and '<th scope="row">Sex</th><td>Male</td><td>→ Female</td>' in english
    )
    exports = [
        list(csv.DictReader(io.StringIO(_in(client, language, "audit-changes-csv", query))))
        for language in ("en", "fr")
    ]
    assert (
        exports[0] == exports[1]
        and exports[0][0]["action"] == "update"
        and exports[0][0]["record_type"] == "ddr.participant"
    )
    assert "sex: male -> female" in exports[0][0]["changes"]


def test_related_records_and_hidden_values_are_named(client_for, users, mission, registration):
    officer = users[Role.DDR_OFFICER]
    with set_actor(officer):
        person = cases.register(officer, mission, registration)
    page = _in(
        client_for(users["superuser"]), "fr", "audit-changes", {"record_type": "ddr.participant", "action": "create"}
    )
    assert "Créé" in page
    # A foreign key shows the related record's name, not its number; personal data stays hidden.
    assert f"<td>→ {person.faction}</td>" in page and "<td>→ [masqué]</td>" in page
    assert person.full_name not in page


def test_accesses_page_in_french_and_csv_the_same(client_for, users, mission, registration):
    officer = users[Role.DDR_OFFICER]
    person = cases.register(officer, mission, registration)
    log_sensitive_access(
        officer, person, mission=mission, detail=audit_detail("eligible list: %(count)s people", count=3)
    )
    log_sensitive_access(officer, person, action="export", mission=mission, detail="free text, as logged")
    client = client_for(users["superuser"])
    french = _in(client, "fr", "audit-accesses")
    assert (
        "Consulté" in french
        and "Exporté" in french
        and "Participant au DDR #" in french
        and "ddr.Participant #" not in french
    )
    assert "liste des personnes éligibles : 3 personnes" in french and "free text, as logged" in french
    english = _in(client, "en", "audit-accesses")
    assert "Viewed" in english and "eligible list: 3 people" in english
    exports = [
        list(csv.DictReader(io.StringIO(_in(client, language, "audit-accesses-csv")))) for language in ("en", "fr")
    ]
    assert exports[0] == exports[1]
    assert {(row["action"], row["record_type"], row["detail"]) for row in exports[0]} == {
        ("view", "ddr.Participant", "eligible list: 3 people"),
        ("export", "ddr.Participant", "free text, as logged"),
    }
    assert SensitiveAccess.objects.get(action="view").detail_message == {
        "message": "eligible list: %(count)s people",
        "params": {"count": 3},
    }
