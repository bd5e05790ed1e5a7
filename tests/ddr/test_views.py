import datetime

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from bluehelmet.core.models import SensitiveAccess
from bluehelmet.ddr import cases
from bluehelmet.ddr.models import Participant


def url(name, *args):
    return reverse(f"ddr:{name}", args=["UNAMSIL", *args])


def test_officer_takes_a_participant_through_every_stage(client_for, users, mission, district, factions):
    client = client_for(users["ddr_officer"])
    data = {
        "category": "combatant",
        "full_name": "Exercise Person One",
        "birth_date": "1975-03-02",
        "sex": "male",
        "phone": "",
        "faction": factions["RUF"].pk,
        "place": district.pk,
        "registered_on": "2001-06-01",
    }
    response = client.post(url("register"), data)
    person = Participant.objects.get()
    assert response.status_code == 302 and response["Location"] == url("participant", person.pk)
    again = client.post(url("register"), {**data, "full_name": "exercise person ONE"})
    assert again.status_code == 400 and person.reference in again.content.decode() and Participant.objects.count() == 1
    steps = [
        (
            "disarmament",
            {
                "kind": "rifle",
                "model": "AK-47",
                "serial": "EX-1",
                "quantity": 1,
                "handed_in_on": "2001-06-02",
                "site": "Daru",
            },
        ),
        (
            "demobilisation",
            {
                "site": "Daru camp",
                "entered_on": "2001-06-05",
                "discharged_on": "2001-06-25",
                "allowance": "150",
                "currency": "USD",
            },
        ),
        (
            "reintegration",
            {
                "reinsertion_package": "tools",
                "reinsertion_on": "2001-06-26",
                "programme": "agriculture",
                "implementing_partner": "",
                "status": "completed",
                "started_on": "2001-07-01",
                "completed_on": "2002-02-01",
            },
        ),
        ("visits", {"visited_on": "2002-06-01", "outcome": "employed", "notes": "Farming; exercise note"}),
    ]
    for stage, values in steps:
        response = client.post(url("record-stage", person.pk, stage), {f"{stage}-{k}": v for k, v in values.items()})
        assert response.status_code == 302, (stage, response.content.decode()[:3000])
    person.refresh_from_db()
    assert person.stage == "reintegrated" and person.visits.get().notes == "Farming; exercise note"
    page = client.get(url("participant", person.pk)).content.decode()
    assert "Exercise Person One" in page and "EX-1" in page
    logged = SensitiveAccess.objects.filter(record_type="ddr.Participant", record_id=str(person.pk))
    assert (
        logged.filter(action="view").count() >= 1
        and logged.filter(action="update").count() == 4
        and logged.filter(action="create").count() == 1
    )


def test_bad_stage_input_is_refused_with_field_errors(client_for, users, mission, registration):
    person = cases.register(AnonymousUser(), mission, registration)
    response = client_for(users["ddr_officer"]).post(
        url("record-stage", person.pk, "demobilisation"),
        {"demobilisation-site": "Daru", "demobilisation-entered_on": "2001-06-05"},
    )
    assert response.status_code == 400 and "after disarmament" in response.content.decode()
    # Read back from the database: neither the stage record nor its date was written.
    stored = Participant.objects.get(pk=person.pk)
    assert not hasattr(stored, "demobilisation") and stored.demobilised_on is None and stored.stage == person.stage


def test_child_refused_on_the_page(client_for, users, mission, district, factions):
    response = client_for(users["ddr_officer"]).post(
        url("register"),
        {
            "category": "combatant",
            "full_name": "Exercise Child",
            "birth_date": "1987-01-01",
            "sex": "female",
            "faction": factions["RUF"].pk,
            "place": district.pk,
            "registered_on": "2001-06-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and 'id="child-referral"' in body and "UNICEF" in body
    assert not Participant.objects.exists()


def test_only_ddr_officers_and_administrators_see_records(client_for, users, mission, registration):
    person = cases.register(AnonymousUser(), mission, registration)
    for role in ("analyst", "reporter", "partner", "outsider"):
        client = client_for(users[role])
        for page in (url("participant", person.pk), url("participants"), url("register")):
            assert client.get(page).status_code in (403, 404), (role, page)
        assert client.post(url("record-stage", person.pk, "visits"), {}).status_code in (403, 404)
    analyst_page = client_for(users["analyst"]).get(url("index"))
    assert analyst_page.status_code == 200 and "Exercise Person One" not in analyst_page.content.decode()
    assert url("participants") not in analyst_page.content.decode()
    for role in ("reporter", "partner"):
        assert client_for(users[role]).get(url("index")).status_code == 403
    assert not SensitiveAccess.objects.filter(record_type="ddr.Participant", action="view").exists()
    for role in ("administrator", "ddr_officer"):
        assert client_for(users[role]).get(url("participant", person.pk)).status_code == 200
    assert SensitiveAccess.objects.filter(record_type="ddr.Participant", action="view").count() == 2


def test_summary_api_is_aggregate_only(client_for, users, mission, registration):
    cases.register(AnonymousUser(), mission, registration)
    body = client_for(users["analyst"]).get("/api/ddr-summary/").json()
    assert body["results"][0]["funnel"]["stages"][0]["count"] == 1 and "Exercise" not in str(body)
    assert client_for(users["reporter"]).get("/api/ddr-summary/").json() == {"results": []}


def test_demo_loads(mission, country, district, factions):
    from bluehelmet.ddr import demo

    demo.load(progress=lambda message: None)
    people = Participant.objects.filter(mission=mission)
    assert people.count() == demo.PARTICIPANTS + demo.CHILDREN and all(
        p.exercise and p.full_name.startswith("Exercise participant") for p in people
    )
    assert people.filter(category="associated_child", disarmed_on__isnull=True).count() == demo.CHILDREN
    assert datetime.date(2001, 5, 1) < min(p.registered_on for p in people)


def test_pages_in_french(client_for, users, mission):
    page = client_for(users["analyst"]).get(url("index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Des armes à la vie civile" in page
    page = (
        client_for(users["analyst"])
        .get(reverse("elections:index", args=["UNAMSIL"]), HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    assert "Aucune élection enregistrée pour cette mission." in page
