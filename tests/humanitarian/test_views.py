import csv
import io

import pytest
from django.urls import reverse

from bluehelmet.core.models import Organization, Role, Sharing
from bluehelmet.humanitarian.models import AccessConstraint, Activity, Delivery, NeedsAssessment
from bluehelmet.importers.models import UnmatchedPlaceName
from bluehelmet.importers.registry import run_import

from .conftest import NEEDS, THREE_W

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(districts, hxl_file, mission):
    run_import("humanitarian-needs", hxl_file(NEEDS, "needs.csv"), mission="UNAMSIL")
    run_import("humanitarian-3w", hxl_file(THREE_W, "3w.csv"), mission="UNAMSIL")
    NeedsAssessment.objects.filter(place=districts["Kailahun"]).update(sharing=Sharing.PUBLIC)
    return districts


def url(name, *args):
    return reverse(f"humanitarian:{name}", args=["UNAMSIL", *args])


def test_gap_page_table_and_map(client_for, users, data):
    response = client_for(users[Role.REPORTER]).get(url("index"), {"sector": "food_security"})
    assert response.status_code == 200
    rows = response.context["analysis"].rows
    assert [(r.people_in_need, r.coverage, r.gap) for r in rows] == [(3000, 1500, 1500)]
    features = {f["properties"]["name"]: f["properties"] for f in response.context["gap_map"]["features"]}
    assert features["Kenema"]["gap"] == 1500 and features["Kono"]["gap"] is None
    assert b"<script>" not in response.content.replace(
        b'<script id="gap-map-data" type="application/json">', b""
    ).replace(b'<script id="gap-map-labels" type="application/json">', b"")


def test_every_list_exports_csv_and_3w_and_needs_hxl(client_for, users, data):
    client = client_for(users[Role.ANALYST])
    for kind, expected in (("needs", 3), ("activities", 3), ("deliveries", 0), ("constraints", 0)):
        response = client.get(url(f"{kind}-csv"))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert len(list(csv.reader(io.StringIO(response.content.decode())))) == expected + 1
    hxl = client.get(url("activities-hxl")).content.decode()
    assert hxl.splitlines()[1].startswith("#org+name,#org+impl,#sector+name")
    assert client.get(url("gaps-csv")).status_code == 200


def test_exported_hxl_imports_again_unchanged(client_for, users, data, tmp_path):
    client = client_for(users[Role.HUMANITARIAN])
    for kind, import_kind in (("activities", "humanitarian-3w"), ("needs", "humanitarian-needs")):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(client.get(url(f"{kind}-hxl")).content)
        summary = run_import(import_kind, path, mission="UNAMSIL")
        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)


def test_partners_see_public_records_only_and_outsiders_nothing(client_for, users, data):
    response = client_for(users[Role.PARTNER]).get(url("needs"))
    assert [n.place.name for n in response.context["page"].object_list] == ["Kailahun"]
    assert client_for(users["outsider"]).get(url("needs")).status_code == 404


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.HUMANITARIAN, 200),
        (Role.ADMINISTRATOR, 200),
        (Role.ANALYST, 403),
        (Role.REPORTER, 403),
        (Role.PARTNER, 403),
        (Role.CIVIL_AFFAIRS, 403),
    ],
)
def test_only_humanitarian_officers_and_administrators_record(client_for, users, data, role, status):
    assert client_for(users[role]).get(url("deliveries-new")).status_code == status


@pytest.mark.parametrize(
    "role, status", [(Role.HUMANITARIAN, 200), (Role.ANALYST, 200), (Role.REPORTER, 403), (Role.PARTNER, 403)]
)
def test_import_page_roles(client_for, users, mission, role, status):
    assert client_for(users[role]).get(url("import")).status_code == status


def test_officer_records_a_need_with_field_errors_first(client_for, users, data):
    client = client_for(users[Role.HUMANITARIAN])
    bad = {
        "place": data["Kono"].pk,
        "sector": "health",
        "people_in_need": "-5",
        "severity": "9",
        "assessed_on": "2001-02-30",
        "method": "rapid",
        "sharing": "mission",
    }
    response = client.post(url("needs-new"), bad)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"people_in_need", "severity", "assessed_on"}
    response = client.post(
        url("needs-new"), {**bad, "people_in_need": "2500", "severity": "4", "assessed_on": "2001-03-01"}
    )
    assert response.status_code == 302
    need = NeedsAssessment.objects.get(place=data["Kono"])
    assert (need.people_in_need, need.created_by, need.mission.acronym) == (2500, users[Role.HUMANITARIAN], "UNAMSIL")


def test_a_blocked_delivery_records_its_access_constraint(client_for, users, data):
    wfp = Organization.objects.get(name="World Food Programme")
    form = {
        "organization": wfp.pk,
        "sector": "food_security",
        "item": "Bulgur wheat",
        "quantity": "60",
        "unit": "tonnes",
        "place": data["Kailahun"].pk,
        "delivered_on": "2001-05-12",
        "outcome": "delivered",
        "sharing": "mission",
        "record_constraint": "on",
    }
    client = client_for(users[Role.HUMANITARIAN])
    response = client.post(url("deliveries-new"), form)
    assert response.status_code == 400 and "record_constraint" in response.context["form"].errors
    assert client.post(url("deliveries-new"), {**form, "outcome": "blocked"}).status_code == 302
    delivery = Delivery.objects.get()
    constraint = delivery.access_constraint
    assert (constraint.type, constraint.place, constraint.started_on.isoformat()) == (
        "movement",
        data["Kailahun"],
        "2001-05-12",
    )
    assert constraint.impact == AccessConstraint.Impact.SUSPENDED


def test_constraint_from_an_incident_of_denied_access(client_for, users, data, mission):
    import datetime
    import uuid

    from django.utils import timezone

    from bluehelmet.incidents.models import Incident, IncidentType

    kind = IncidentType.objects.create(
        mission=mission, code="humanitarian-access-denial", name="Denial of humanitarian access"
    )
    incident = Incident.objects.create(
        mission=mission,
        client_id=uuid.uuid4(),
        type=kind,
        occurred_at=timezone.make_aware(datetime.datetime(2001, 5, 12, 9)),
        latitude=8.0,
        longitude=-10.8,
        place=data["Kailahun"],
        narrative="Convoy turned back at a checkpoint.",
    )
    client = client_for(users[Role.HUMANITARIAN])
    incident_page = client.get(f"/missions/{mission.acronym}/incidents/{incident.pk}/").content.decode()
    assert f"{url('constraints-new')}?incident={incident.pk}" in incident_page
    response = client.get(url("constraints-new"), {"incident": incident.pk})
    form = response.context["form"]
    assert (
        form.initial["incident"] == incident.pk
        and form.initial["type"] == "movement"
        and form.initial["place"] == data["Kailahun"].pk
    )
    posted = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "impact": "suspended",
        "started_on": "2001-05-12",
        "ended_on": "2001-05-20",
    }
    assert client.post(url("constraints-new"), posted).status_code == 302
    assert AccessConstraint.objects.get().incident == incident
    assert (
        "Recorded as humanitarian access constraint"
        in client.get(f"/missions/{mission.acronym}/incidents/{incident.pk}/").content.decode()
    )
    analyst_page = (
        client_for(users[Role.ANALYST]).get(f"/missions/{mission.acronym}/incidents/{incident.pk}/").content.decode()
    )
    assert "?incident=" not in analyst_page  # analysts read constraints; humanitarian officers record them


def test_activity_form_rules(client_for, users, data):
    wfp = Organization.objects.get(name="World Food Programme")
    form = {
        "organization": wfp.pk,
        "sector": "food_security",
        "place": data["Kono"].pk,
        "status": "completed",
        "targeted": "100",
        "targeted_female": "70",
        "targeted_male": "60",
        "sharing": "mission",
    }
    response = client_for(users[Role.HUMANITARIAN]).post(url("activities-new"), form)
    assert response.status_code == 400
    assert {"targeted", "end", "start"} <= set(response.context["form"].errors)
    assert Activity.objects.filter(place=data["Kono"]).count() == 0


def test_upload_page_imports_and_the_job_page_shows_the_result(client_for, users, data, hxl_file):
    client = client_for(users[Role.HUMANITARIAN])
    text = THREE_W + "Oxfam,WASH,Western Rural,,,2001-06-01,,Ongoing,100,,,\n"
    with open(hxl_file(text, "with-unknown.csv"), "rb") as f:
        response = client.post(url("import"), {"kind": "humanitarian-3w", "file": f})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert (
        page.context["job"].status == "failed"
        and b"Western Rural" in page.content
        and b'id="match-places"' in page.content
    )
    matching = client.get(reverse("importers:place-matches"))
    assert matching.status_code == 200 and b"Western Rural" in matching.content
    unmatched = UnmatchedPlaceName.objects.get()
    response = client.post(
        reverse("importers:place-matches"),
        {"unmatched": unmatched.pk, f"m{unmatched.pk}-place": data["Western Area Rural"].pk},
    )
    assert response.status_code == 302
    with open(hxl_file(text, "with-unknown.csv"), "rb") as f:
        response = client.post(url("import"), {"kind": "humanitarian-3w", "file": f})
    assert client.get(response["Location"]).context["job"].status == "succeeded"
    assert Activity.objects.filter(place=data["Western Area Rural"]).count() == 1


def test_place_matching_page_is_for_importing_roles(client_for, users, mission):
    assert client_for(users[Role.REPORTER]).get(reverse("importers:place-matches")).status_code == 403
    assert client_for(users[Role.PARTNER]).get(reverse("importers:place-matches")).status_code == 403


def test_api_lists_and_gap_table(client_for, users, data):
    client = client_for(users[Role.PARTNER])
    needs = client.get("/api/humanitarian-needs/").json()
    assert [n["place_name"] for n in needs["results"]] == ["Kailahun"]
    client = client_for(users[Role.ANALYST])
    gaps = client.get("/api/humanitarian-gaps/", {"mission": "UNAMSIL", "sector": "food_security"}).json()
    assert [(g["area_name"], g["gap"]) for g in gaps] == [("Kenema", 1500)]
    assert client.get("/api/humanitarian-gaps/", {"mission": "NOPE"}).status_code == 400
    assert client.get("/api/humanitarian-gaps/", {"mission": "UNAMSIL", "start": "x"}).status_code == 400
    assert client.get("/api/humanitarian-activities/").json()["count"] == 3


def test_pages_are_translated_into_french(client_for, users, data):
    client = client_for(users[Role.HUMANITARIAN])
    page = client.get(url("index"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Analyse des écarts" in page.content.decode()
    assert (
        "Apparier les noms de lieux"
        in client.get(reverse("importers:place-matches"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )


def test_openapi_schema_documents_the_endpoints(client_for, users, mission):
    schema = client_for(users[Role.ANALYST]).get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/humanitarian-needs/",
        "/api/humanitarian-activities/",
        "/api/humanitarian-deliveries/",
        "/api/humanitarian-constraints/",
        "/api/humanitarian-gaps/",
    ):
        assert path in schema["paths"]
    gap_item = schema["paths"]["/api/humanitarian-gaps/"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert gap_item["type"] == "array"


def test_unrecorded_access_denials_are_offered_until_recorded(client_for, users, data, mission):
    import datetime
    import uuid

    from django.utils import timezone

    from bluehelmet.incidents.models import Incident, IncidentType

    kind = IncidentType.objects.create(
        mission=mission, code="humanitarian-access-denial", name="Denial of humanitarian access"
    )
    incident = Incident.objects.create(
        mission=mission,
        client_id=uuid.uuid4(),
        type=kind,
        occurred_at=timezone.make_aware(datetime.datetime(2001, 5, 12, 9)),
        latitude=8.0,
        longitude=-10.8,
        place=data["Kailahun"],
        narrative="Convoy turned back.",
    )
    client = client_for(users[Role.HUMANITARIAN])
    assert list(client.get(url("constraints")).context["unrecorded"]) == [incident]
    AccessConstraint.objects.create(
        mission=mission,
        type="movement",
        place=data["Kailahun"],
        started_on=datetime.date(2001, 5, 12),
        description="Checkpoint.",
        incident=incident,
    )
    assert list(client.get(url("constraints")).context["unrecorded"]) == []
    assert "unrecorded" not in client_for(users[Role.REPORTER]).get(url("constraints")).context
