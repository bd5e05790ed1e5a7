from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bluehelmet.core.models import Sharing
from bluehelmet.elections.models import (
    ChecklistQuestion,
    ElectionIncident,
    ObserverReport,
    Round,
    StationResult,
    StationRisk,
)
from bluehelmet.incidents.taxonomy import seed_types


def url(name, pk):
    return reverse(f"elections:{name}", args=["UNAMSIL", pk])


def test_observer_checklist_shows_on_the_dashboard(client_for, users, round_):
    client = client_for(users["reporter"])
    page = client.get(url("observe", round_.pk) + "?phase=opening").content.decode()
    opening = list(ChecklistQuestion.objects.filter(election=round_.election, phase="opening"))
    assert all(q.text in page for q in opening)
    data = {
        "station": round_.election.mission.polling_centres.get(code="C1").stations.first().pk,
        "team": "Exercise team 7",
        "notes": "calm",
    }
    data.update({f"q_{q.pk}": "yes" for q in opening})
    data[f"q_{opening[0].pk}"] = "no"  # did not open on time: a problem
    missing = client.post(
        url("observe", round_.pk) + "?phase=opening", {k: v for k, v in data.items() if k != f"q_{opening[1].pk}"}
    )
    assert missing.status_code == 400 and not ObserverReport.objects.exists()
    assert client.post(url("observe", round_.pk) + "?phase=opening", data).status_code == 302
    report = ObserverReport.objects.get()
    assert report.problems == 1 and report.phase == "opening" and report.submitted_by == users["reporter"]
    board = client.get(url("dashboard", round_.pk)).content.decode()
    assert "Exercise team 7" in board and 'id="phase-opening"' in board
    live = client.get(url("dashboard", round_.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "Exercise team 7" in live and "<html" not in live


def test_incident_form_files_a_tagged_incident(client_for, users, round_):
    seed_types(round_.election.mission)
    client = client_for(users["reporter"])
    assert client.get(url("incident", round_.pk)).status_code == 200
    station = round_.election.mission.polling_centres.get(code="C2").stations.first()
    data = {
        "station": station.pk,
        "type": "election-violence",
        "occurred_at": "2002-05-14T09:30",
        "narrative": "Exercise: ballot box snatched",
        "source-kind": "witness",
        "source-reliability": "C",
        "source-credibility": 3,
        "source-description": "exercise",
    }
    bad = client.post(url("incident", round_.pk), {**data, "narrative": ""})
    assert bad.status_code == 400 and not ElectionIncident.objects.exists()
    assert client.post(url("incident", round_.pk), data).status_code == 302
    link = ElectionIncident.objects.get()
    assert link.station == station and link.incident.mission == round_.election.mission
    assert f"#{link.incident.pk}" in client.get(url("dashboard", round_.pk)).content.decode()


def test_results_upload_and_report(client_for, users, round_):
    csv = b"station_code,registered_voters,ballots_cast,invalid_votes,A,B\nC1-1,400,420,10,300,110\nC1-2,410,305,5,150,150\n"
    assert (
        client_for(users["reporter"])
        .post(url("results", round_.pk), {"file": SimpleUploadedFile("r.csv", csv)})
        .status_code
        == 403
    )
    client = client_for(users["analyst"])
    response = client.post(url("results", round_.pk), {"file": SimpleUploadedFile("r.csv", csv)})
    body = response.content.decode()
    assert (
        response.status_code == 200 and 'id="anomaly-report"' in body and "C1-1" in body and "turnout above 100" in body
    )
    bad = client.post(
        url("results", round_.pk), {"file": SimpleUploadedFile("r.csv", csv.replace(b"C1-2,410,305", b"C1-2,410,-305"))}
    )
    assert bad.status_code == 400 and "negative" in bad.content.decode()
    assert StationResult.objects.get(station__code="C1-2").ballots_cast == 305
    assert (
        client.post(url("results", round_.pk), {"file": SimpleUploadedFile("r.xlsx", b"PK\x03\x04")}).status_code == 400
    )


def test_round_page_risk_and_plan_permissions(client_for, users, round_):
    assert client_for(users["reporter"]).post(url("round", round_.pk), {"action": "risk"}).status_code == 403
    client = client_for(users["analyst"])
    assert client.post(url("round", round_.pk), {"action": "risk"}).status_code == 302
    assert StationRisk.objects.filter(round=round_).count() == 5
    page = client.get(url("round", round_.pk)).content.decode()
    assert 'id="risk-map"' in page and 'id="no-plan"' in page and 'id="events-unknown"' in page
    response = client.post(
        url("round", round_.pk),
        {"patrol_radius_km": 40, "troops_per_station": 25, "max_move_km": 150, "time_limit": 5},
        follow=True,
    )
    assert "Nothing to plan" in response.content.decode()  # no units in this mission
    assert (
        client.post(url("round", round_.pk), {"patrol_radius_km": -1}).status_code == 200
    )  # the form with errors, no plan


def test_partner_sees_only_shared_elections(client_for, users, round_):
    client = client_for(users["partner"])
    assert "Exercise election" not in client.get(reverse("elections:index", args=["UNAMSIL"])).content.decode()
    round_.election.sharing = Sharing.PUBLIC
    round_.election.save()
    assert "Exercise election" in client.get(reverse("elections:index", args=["UNAMSIL"])).content.decode()
    for name in ("round", "dashboard", "observe", "incident", "results", "preparation", "checklist"):
        assert client.get(url(name, round_.pk)).status_code == 403, name


def test_checklist_rounds_and_preparation(client_for, users, round_, kenema):
    client = client_for(users["analyst"])
    assert (
        client.post(
            url("checklist", round_.pk),
            {
                "phase": "counting",
                "order": 9,
                "text": "Exercise: was the tally sheet copied?",
                "answer": "yes_no",
                "expected": "True",
            },
        ).status_code
        == 302
    )
    question = ChecklistQuestion.objects.get(text__startswith="Exercise: was")
    assert question.expected is True
    client.post(url("checklist", round_.pk), {"toggle": question.pk})
    question.refresh_from_db()
    assert not question.active
    assert client_for(users["reporter"]).get(url("checklist", round_.pk)).status_code == 403
    client = client_for(users["analyst"])  # the same test client: log the analyst back in
    election = round_.election
    assert (
        client.post(url("round-new", election.pk), {"number": 2, "date": "2002-06-01", "label": "Run-off"}).status_code
        == 302
    )
    client.post(url("round-new", election.pk), {"number": 2, "date": "2002-06-02"})
    assert Round.objects.filter(election=election).count() == 2
    response = client.post(
        url("preparation", round_.pk),
        {
            "form": "training",
            "training-course": "presiding",
            "training-place": kenema.pk,
            "training-date": "2002-04-01",
            "training-participants": 10,
            "training-women": 11,
        },
    )
    assert response.status_code == 400 and "More women" in response.content.decode()
    client.post(
        url("preparation", round_.pk),
        {
            "form": "training",
            "training-course": "presiding",
            "training-place": kenema.pk,
            "training-date": "2002-04-01",
            "training-participants": 10,
            "training-women": 4,
        },
    )
    assert election.trainings.get().participants == 10


def test_api_scoping(client_for, users, round_, other_member, tmp_path):
    assert client_for(users["analyst"]).get("/api/polling-stations/").json()["count"] == 5
    assert client_for(other_member).get("/api/polling-stations/").json()["count"] == 0
    assert client_for(users["partner"]).get("/api/polling-stations/").json()["count"] == 0
    assert client_for(users["partner"]).get("/api/elections/").json()["count"] == 0
    assert (
        client_for(users["reporter"]).get("/api/elections/").json()["results"][0]["rounds"][0]["date"] == "2002-05-14"
    )


def test_demo_loads(sierra_leone, country):
    from bluehelmet.elections import demo
    from bluehelmet.elections.models import Election

    for name, lon, lat in (("Kono", -11.0, 8.6), ("Bombali", -12.2, 9.2)):
        from bluehelmet.core.models import Place

        Place.objects.create(
            key=f"adm2:SLE:{name}",
            kind="adm2",
            name=name,
            parent=country,
            country=country,
            geometry={
                "type": "Polygon",
                "coordinates": [[[lon, lat], [lon + 0.3, lat], [lon + 0.3, lat + 0.3], [lon, lat + 0.3], [lon, lat]]],
            },
        )
    demo.load(progress=lambda message: None)
    election = Election.objects.get()
    assert "EXERCISE DATA" in election.description and election.rounds.get().date.isoformat() == "2002-05-14"
    from bluehelmet.elections.models import PollingStation, SecurityPlan

    centres = election.mission.polling_centres.all()
    assert centres.count() == 4 * demo.CENTRES_PER_DISTRICT and all(
        c.exercise and "exercise" in c.name for c in centres
    )
    assert StationResult.objects.count() == PollingStation.objects.count() == StationRisk.objects.count()
    assert StationResult.objects.exclude(flags=[]).count() >= 3  # the exercise anomalies
    assert ObserverReport.objects.count() == 24
    assert not SecurityPlan.objects.exists()  # no units in this fixture: no plan, and no error
