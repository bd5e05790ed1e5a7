"""What every endpoint does alike: login, read-only, pagination, the schema and its docs."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from bluehelmet.core.api import Pagination

from .conftest import LIST_URLS, ids

pytestmark = pytest.mark.django_db


def detail_urls(world):
    return [
        f"/api/missions/{world.unamsil.pk}/",
        f"/api/places/{world.bo.pk}/",
        f"/api/organizations/{world.guinea.pk}/",
        f"/api/events/{world.lra_event.pk}/",
        f"/api/deployments/{world.bo_2000.pk}/",
        f"/api/strengths/{world.unamsil_jan.pk}/",
        f"/api/conflict-months/{world.sl_jan.pk}/",
    ]


@pytest.mark.parametrize("url", ["/api/", *LIST_URLS, "/api/schema/", "/api/docs/"])
def test_anonymous_is_refused(api, world, url):
    response = api.get(url)
    assert response.status_code in (401, 403)
    assert "results" not in response.content.decode()


def test_anonymous_detail_is_refused(api, world):
    for url in detail_urls(world):
        assert api.get(url).status_code in (401, 403), url


@pytest.mark.parametrize("url", LIST_URLS)
def test_writes_are_refused_with_json(api_as, world, url):
    client = api_as(world.users["superuser"])  # even the most powerful user
    responses = [client.post(url, {}, format="json")]
    detail = f"{url}1/"
    responses += [client.put(detail, {}, format="json"), client.patch(detail, {}, format="json"), client.delete(detail)]
    for response in responses:
        assert response.status_code in (403, 405)
        assert response["Content-Type"].startswith("application/json")
        assert "read-only" in response.json()["detail"]


def test_anonymous_write_is_refused(api, world):
    response = api.post("/api/events/", {"year": 2020}, format="json")
    assert response.status_code in (401, 403)
    assert response.json()["detail"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_user_without_mission_sees_nothing(api_as, world, url):
    response = api_as(world.users["outsider"]).get(url)
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_user_without_mission_gets_404_on_details(api_as, world):
    client = api_as(world.users["outsider"])
    for url in detail_urls(world):
        assert client.get(url).status_code == 404, url


def test_superuser_sees_every_record(api_as, world):
    client = api_as(world.users["superuser"])
    for url in detail_urls(world):
        assert client.get(url).status_code == 200, url


def test_token_authentication(api, world):
    user = world.users["analyst"]
    user.set_password("correct-horse-battery-9")
    user.save()
    response = api.post("/api/auth/token/", {"username": user.username, "password": "correct-horse-battery-9"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=user).key

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert ids(api.get("/api/missions/")) == {world.unamsil.pk}
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api.get("/api/missions/").status_code in (401, 403)


def test_pagination(api_as, world):
    client = api_as(world.users["superuser"])
    first = client.get("/api/places/", {"page_size": 2, "ordering": "name"}).json()
    assert first["count"] == 7 and len(first["results"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"]
    second = client.get("/api/places/", {"page_size": 2, "ordering": "name", "page": 2}).json()
    assert [p["name"] for p in first["results"] + second["results"]] == [
        "Bo",
        "Central African Republic",
        "Kenema",
        "Lobaye",
    ]
    assert client.get("/api/places/", {"page_size": 2, "page": 99}).status_code == 404


def test_page_size_is_capped_at_1000(api_as, world):
    assert Pagination().get_page_size(SimpleNamespace(query_params={"page_size": "5000"})) == 1000
    response = api_as(world.users["superuser"]).get("/api/places/", {"page_size": 5000})
    assert response.status_code == 200 and len(response.json()["results"]) == 7


def test_ordering(api_as, world):
    client = api_as(world.minusca_analyst)
    newest_first = [e["ged_id"] for e in client.get("/api/events/", {"ordering": "-date_start"}).json()["results"]]
    assert newest_first == [29591, 33542, 22782]
    by_fatalities = [e["ged_id"] for e in client.get("/api/events/", {"ordering": "best"}).json()["results"]]
    assert by_fatalities == [22782, 29591, 33542]


def test_schema_is_valid_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in (
        "/api/missions/",
        "/api/places/",
        "/api/organizations/",
        "/api/events/",
        "/api/deployments/",
        "/api/strengths/",
        "/api/conflict-months/",
    ):
        assert f"  {path}:" in schema


def test_schema_and_docs_are_served(api_as, world):
    client = api_as(world.users["partner"])
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "/api/events/{id}/" in schema.json()["paths"]

    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI comes from the sidecar package through our static files, not from a CDN.
    bundle = "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert bundle in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    assert client.get(bundle).status_code == 200


@pytest.mark.parametrize("url", LIST_URLS)
def test_browsable_api_renders_without_other_missions(api_as, world, url):
    # The HTML filter forms list missions too: only the user's own.
    response = api_as(world.users["analyst"]).get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "MINUSCA" not in response.content.decode()
