"""Exports of sensitive data: limited by role and logged, record by record."""

import csv
import io

from django.urls import reverse

from bluehelmet.core.models import Role, SensitiveAccess
from bluehelmet.ddr import cases


def test_ddr_participants_export_is_for_record_roles_and_logged(client_for, users, mission, registration):
    officer = users[Role.DDR_OFFICER]
    first = cases.register(officer, mission, registration)
    second = cases.register(officer, mission, {**registration, "full_name": '=HYPERLINK("x")', "phone": ""})
    url = reverse("ddr:participants-csv", args=[mission.acronym])
    for role in (Role.ANALYST, Role.REPORTER, Role.PARTNER, Role.CIVIL_AFFAIRS, Role.HUMANITARIAN):
        assert client_for(users[role]).get(url).status_code == 403, role
    assert client_for(users["outsider"]).get(url).status_code == 404
    assert not SensitiveAccess.objects.exists()
    response = client_for(officer).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["full_name"] for row in rows} == {"Exercise Person One", '\'=HYPERLINK("x")'}  # formula neutralised
    assert rows[0]["birth_date"] == "1975-03-02"
    logged = SensitiveAccess.objects.filter(action="export", user=officer, mission=mission)
    assert sorted(logged.values_list("record_id", flat=True)) == sorted([str(first.pk), str(second.pk)])
    # Filtered exports log only what they contain.
    client_for(users[Role.ADMINISTRATOR]).get(url, {"q": first.reference})
    assert list(SensitiveAccess.objects.filter(user=users[Role.ADMINISTRATOR]).values_list("record_id", flat=True)) == [
        str(first.pk)
    ]


def test_the_list_page_offers_the_export(client_for, users, mission, registration):
    cases.register(users[Role.DDR_OFFICER], mission, registration)
    page = client_for(users[Role.DDR_OFFICER]).get(reverse("ddr:participants", args=[mission.acronym])).content.decode()
    assert reverse("ddr:participants-csv", args=[mission.acronym]) in page
