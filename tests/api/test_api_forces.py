"""Deployments and mission strength."""

import pytest

from .conftest import ids

pytestmark = pytest.mark.django_db


def test_deployments_of_the_users_missions_with_site_and_contributions(api_as, world):
    client = api_as(world.users["reporter"])
    assert ids(client.get("/api/deployments/")) == {world.bo_2000.pk, world.kenema_2001.pk}
    row = client.get(f"/api/deployments/{world.kenema_2001.pk}/").json()
    assert (row["mission_acronym"], row["site_name"], row["latitude"], row["longitude"]) == (
        "UNAMSIL",
        "Kenema",
        7.87666667,
        -11.1875,
    )
    assert row["month"] == "2001-06-01" and row["troops"] == 800
    assert sorted((c["country_name"], c["troops"]) for c in row["contributions"]) == [("Ghana", 150), ("Zambia", 650)]


def test_another_missions_deployments_are_invisible(api_as, world):
    client = api_as(world.users["administrator"])
    assert world.mbaiki_2014.pk not in ids(client.get("/api/deployments/"))
    assert client.get(f"/api/deployments/{world.mbaiki_2014.pk}/").status_code == 404
    assert ids(api_as(world.minusca_analyst).get("/api/deployments/")) == {world.mbaiki_2014.pk}


def test_partner_sees_only_public_deployments(api_as, world):
    client = api_as(world.users["partner"])
    assert ids(client.get("/api/deployments/")) == {world.bo_2000.pk}
    assert client.get(f"/api/deployments/{world.kenema_2001.pk}/").status_code == 404


def test_deployment_filters(api_as, world):
    client = api_as(world.users["superuser"])
    assert ids(client.get("/api/deployments/", {"mission": "UNAMSIL"})) == {world.bo_2000.pk, world.kenema_2001.pk}
    assert ids(client.get("/api/deployments/", {"mission": "MINUSCA"})) == {world.mbaiki_2014.pk}
    assert ids(client.get("/api/deployments/", {"month_from": "2001-01", "month_to": "2013-12"})) == {
        world.kenema_2001.pk
    }
    assert ids(client.get("/api/deployments/", {"month_to": "2000-05-01"})) == {world.bo_2000.pk}
    assert ids(client.get("/api/deployments/", {"site": world.bo.pk})) == {world.bo_2000.pk}
    assert client.get("/api/deployments/", {"month_from": "May 2000"}).status_code == 400
    # A member filtering by a mission they do not belong to gets a 400, as for an unknown one.
    assert api_as(world.users["analyst"]).get("/api/deployments/", {"mission": "MINUSCA"}).status_code == 400


def test_strengths_with_shortfalls(api_as, world):
    client = api_as(world.users["partner"])  # no sharing field: partners see their mission's strength
    assert ids(client.get("/api/strengths/")) == {world.unamsil_jan.pk, world.unamsil_feb.pk}
    row = client.get(f"/api/strengths/{world.unamsil_jan.pk}/").json()
    # The personnel file's own shortfall columns for UNAMSIL, January 2001: 2849, 27, 7.
    assert (row["troop_shortfall"], row["police_shortfall"], row["observer_shortfall"]) == (2849, 27, 7)
    assert row["mission_acronym"] == "UNAMSIL"
    assert client.get(f"/api/strengths/{world.minusca_may.pk}/").status_code == 404


def test_unknown_strength_gives_no_shortfall(api_as, world):
    world.unamsil_feb.police = None
    world.unamsil_feb.save()
    row = api_as(world.users["analyst"]).get(f"/api/strengths/{world.unamsil_feb.pk}/").json()
    assert row["police_shortfall"] is None and row["troop_shortfall"] == 13000 - 9306


def test_strength_filters(api_as, world):
    client = api_as(world.users["superuser"])
    assert ids(client.get("/api/strengths/", {"mission": "MINUSCA"})) == {world.minusca_may.pk}
    assert ids(client.get("/api/strengths/", {"month_from": "2001-02", "month_to": "2001-02"})) == {
        world.unamsil_feb.pk
    }
    assert ids(client.get("/api/strengths/", {"month_from": "2001-01", "mission": "UNAMSIL"})) == {
        world.unamsil_jan.pk,
        world.unamsil_feb.pk,
    }
