"""The installable offline app's server side: the service worker and manifest, the offline
manifest of a mission (what the worker keeps, and its version), the offline gazetteer, the
user's recent reports, and photos filed with a queued report (stored once with it)."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bluehelmet.core import mission_cache
from bluehelmet.core.basemaps import basemap_file_url, set_basemap
from bluehelmet.core.models import Place, Role
from bluehelmet.incidents import forms
from bluehelmet.incidents.models import Attachment, Incident
from bluehelmet.incidents.reports import submit_report

from ..basemap_file import build_basemap

READ_BUDGET = 12


def photo(name="patrol.jpg", size=100):
    return SimpleUploadedFile(name, b"\xff\xd8" + b"x" * size, content_type="image/jpeg")


def test_the_service_worker_and_manifest_are_served_to_anyone_from_the_root(db, client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    assert "no-cache" in worker["Cache-Control"]
    assert "script-src 'self'" in worker["Content-Security-Policy"]  # the worker's own CSP stays strict
    assert 'importScripts("/static/js/offline/store.js?v=' in worker.content.decode()

    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["display"] == "standalone" and data["start_url"] == "/"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_app_files_are_served_while_a_second_factor_is_pending(users, client_for, two_factor_enforced):
    client = client_for(users["superuser"])  # password in, no second factor yet
    assert client.get("/").status_code == 302  # to the second factor
    assert client.get("/sw.js").status_code == 200
    assert client.get("/manifest.webmanifest").status_code == 200


def test_the_manifest_speaks_french(db, client):
    client.cookies["django_language"] = "fr"
    assert client.get("/manifest.webmanifest").json()["description"].startswith("Les rapports")


def test_the_offline_manifest_lists_what_the_form_needs_and_changes_with_the_reference_data(
    sl, users, client_for, settings, tmp_path
):
    client = client_for(users[Role.REPORTER])
    url = reverse("incidents:offline", args=["UNAMSIL"])
    first = client.get(url).json()
    assert first["report_url"] == "/missions/UNAMSIL/incidents/report/"
    assert set(first["urls"]) >= {
        "/missions/UNAMSIL/incidents/report/",
        "/missions/UNAMSIL/map/areas.geojson",
        "/missions/UNAMSIL/places/gazetteer.json",
        "/missions/UNAMSIL/places/labels.geojson",
        "/missions/UNAMSIL/incidents/ceasefires/zones.geojson",
    }
    assert not any(".pmtiles" in u for u in first["urls"])
    assert first["fresh"] == ["/missions/UNAMSIL/incidents/offline/mine.json"]
    # Every listed URL answers the reporter.
    for path in first["urls"] + first["fresh"]:
        assert client.get(path).status_code == 200, path

    mission_cache.changed([sl.mission.pk])  # a new incident type, a boundary...
    assert client.get(url).json()["version"] != first["version"]

    settings.BLUEHELMET_BASEMAP_DIR = tmp_path / "basemaps"
    set_basemap(sl.mission, build_basemap(tmp_path / "SLE.pmtiles", countries=("SLE",), max_zoom=3))
    with_basemap = client.get(url).json()
    basemap_url = basemap_file_url(sl.mission)[0]
    assert basemap_url in with_basemap["urls"] and with_basemap["version"].endswith(basemap_url.rsplit("=", 1)[1])


def test_the_offline_pages_are_for_the_missions_reporters(sl, users, client_for, other_member):
    url = reverse("incidents:offline", args=["UNAMSIL"])
    assert client_for(users[Role.PARTNER]).get(url).status_code == 403
    assert client_for(other_member).get(url).status_code == 404  # another mission's: not even there


def test_the_offline_gazetteer_finds_what_the_place_search_finds(sl, users, client_for):
    Place.objects.create(
        key="locality:SLE:makeni",
        kind=Place.Kind.LOCALITY,
        name="Makeni",
        parent=sl.bombali,
        country=sl.country,
        latitude=8.88,
        longitude=-12.04,
        gazetteer_population=80000,
    )
    client = client_for(users[Role.REPORTER])
    places = client.get(reverse("mission-gazetteer", args=["UNAMSIL"])).json()["places"]
    makeni = next(p for p in places if p["name"] == "Makeni")
    searched = client.get(reverse("mission-place-search", args=["UNAMSIL"]), {"q": "makeni"}).json()["results"][0]
    assert {k: v for k, v in makeni.items() if k != "search"} == searched
    assert "|makeni" in makeni["search"] and {"Bombali", "Kenema"} <= {p["name"] for p in places}


def count(client, path) -> int:
    client.get(path)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len([q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])


def test_recent_reports_are_the_users_own_in_a_fixed_number_of_queries(sl, users, client_for, file):
    reporter = users[Role.REPORTER]
    client = client_for(reporter)
    mine = reverse("incidents:offline-mine", args=["UNAMSIL"])
    gazetteer = reverse("mission-gazetteer", args=["UNAMSIL"])
    file()
    file(user=users[Role.ANALYST])  # not the reporter's
    one = (count(client, mine), count(client, gazetteer))
    reports = client.get(mine).json()["reports"]
    assert len(reports) == 1 and reports[0]["type"] and reports[0]["url"].endswith(f"/{reports[0]['id']}/")
    for n in range(8):
        file(latitude=8.0 + n * 0.01)
        Place.objects.create(
            key=f"locality:SLE:t{n}", kind=Place.Kind.LOCALITY, name=f"Town {n}", parent=sl.kenema, country=sl.country
        )
    many = (count(client, mine), count(client, gazetteer))
    assert len(client.get(mine).json()["reports"]) == 9
    assert one == many and max(many) <= READ_BUDGET, (one, many)


def test_photos_filed_with_a_report_are_stored_once_with_it(sl, users, report_data):
    reporter = users[Role.REPORTER]
    data = report_data(client_id=str(uuid.uuid4()))
    sources = data.pop("sources")
    first = submit_report(reporter, sl.mission, dict(data), sources=sources, photos=[photo(), photo("b.jpg")])
    again = submit_report(reporter, sl.mission, dict(data), sources=sources, photos=[photo(), photo("b.jpg")])
    assert first.created and not again.created and again.incident.pk == first.incident.pk
    assert sorted(a.name for a in first.incident.attachments.all()) == ["b.jpg", "patrol.jpg"]
    assert Attachment.objects.filter(incident=first.incident).count() == 2


def test_a_photo_too_large_refuses_the_report_with_a_field_error(sl, users, report_data, monkeypatch):
    monkeypatch.setattr(forms, "MAX_ATTACHMENT_BYTES", 50)
    data = report_data(client_id=str(uuid.uuid4()))
    outcome = submit_report(users[Role.REPORTER], sl.mission, data, sources=data.pop("sources"), photos=[photo()])
    assert not outcome.ok and outcome.errors["photos"] == ["Files up to 10 MB."]
    assert not Incident.objects.filter(client_id=data["client_id"]).exists()


def test_the_report_page_takes_photos_and_answers_json(sl, users, client_for):
    accept = "application/json"
    client = client_for(users[Role.REPORTER])
    client_id = str(uuid.uuid4())
    fields = {
        "client_id": client_id,
        "type": "armed-clash",
        "occurred_at": "2024-05-01T10:00",
        "date_precision": "time",
        "latitude": "8.0",
        "longitude": "-11.5",
        "narrative": "Filed offline with a photo.",
        "sharing": "mission",
        "sensitivity": "amber",
        "source-kind": "un_personnel",
        "source-reliability": "B",
        "source-credibility": "2",
        "casualty-TOTAL_FORMS": "0",
        "casualty-INITIAL_FORMS": "0",
    }
    url = reverse("incidents:report", args=["UNAMSIL"])
    response = client.post(url, {**fields, "photos": [photo()]}, headers={"Accept": accept})
    assert response.status_code == 201, response.content
    again = client.post(url, {**fields, "photos": [photo()]}, headers={"Accept": accept})
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    assert Attachment.objects.filter(incident_id=response.json()["id"]).count() == 1
    refused = client.post(
        url, {**fields, "client_id": str(uuid.uuid4()), "occurred_at": "2099-01-01T10:00"}, headers={"Accept": accept}
    )
    assert refused.status_code == 400 and "occurred_at" in refused.json()["errors"]
