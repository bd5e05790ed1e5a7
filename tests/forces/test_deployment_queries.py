"""Deployment months and the per-month map JSON; personnel strength summed per country."""

import datetime

from bluehelmet.core.models import Role
from bluehelmet.datasets.queries import (
    country_strength_by_month,
    deployment_months,
    deployment_summary,
    deployments_in_month,
)


def test_deployment_months_are_the_months_that_exist(users, sierra_leone, mission):
    months = deployment_months(users[Role.ANALYST], mission)
    assert [(m["month"], m["sites"], m["known_troops"]) for m in months] == [
        (datetime.date(1999, 12, 1), 1, None),
        (datetime.date(2001, 3, 1), 3, 2400),
    ]


def test_month_features_and_summary(users, sierra_leone, mission):
    data = deployments_in_month(users[Role.ANALYST], mission, sierra_leone.march)
    assert data["summary"] == "Deployment map (Geo-PKO), March 2001: 3 sites, 2,400 troops at standard unit sizes"
    # No strength report for that month in the fixture: said, not shown as 0.
    assert data["strength"] is None
    assert data["strength_summary"] == "UN strength reports: no figure for March 2001"
    assert (data["sites"], data["troops"], data["unknown_sites"]) == (3, 2400, 0)
    freetown = next(f for f in data["features"] if f["properties"]["site"] == "Freetown")
    assert freetown["geometry"]["coordinates"] == [-13.234167, 8.49]
    assert freetown["properties"]["troops"] == 1100
    assert freetown["properties"]["headquarters"] == 3
    assert freetown["properties"]["observers"] is True and freetown["properties"]["police"] is False
    assert freetown["properties"]["contributors"] == [
        {"country": "Nigeria", "troops": 800},
        {"country": "Jordan", "troops": 150},
    ]


def test_unknown_troops_stay_unknown(users, sierra_leone, mission):
    data = deployments_in_month(users[Role.ANALYST], mission, datetime.date(1999, 12, 1))
    assert data["features"][0]["properties"]["troops"] is None
    assert data["troops"] is None
    assert data["summary"] == "Deployment map (Geo-PKO), December 1999: 1 site, troop numbers not given"
    assert "0 troops" not in data["summary"]


def test_a_month_with_both_sources_shows_both(users, sierra_leone, mission):
    """The strength reports of the host country (every UN mission there, as the timeline
    sums them) beside the map's own count."""
    data = deployments_in_month(users[Role.ANALYST], mission, datetime.date(2001, 1, 1))
    assert data["features"] == [] and data["troops"] is None
    assert data["strength"] == {"troops": 10151, "police": 33, "observers": 253}
    assert data["strength_summary"] == (
        "UN strength reports, January 2001: 10,151 troops, 33 police, 253 military observers"
    )


def test_partner_sees_public_deployments_only(users, sierra_leone, mission):
    data = deployments_in_month(users[Role.PARTNER], mission, sierra_leone.march)
    assert [f["properties"]["site"] for f in data["features"]] == ["Bo"]


def test_month_json_view(client_for, users, other_member, sierra_leone):
    client = client_for(users[Role.ANALYST])
    data = client.get("/missions/UNAMSIL/map/deployments/2001-03.json").json()
    assert data["type"] == "FeatureCollection" and data["month"] == "2001-03" and len(data["features"]) == 3
    assert client.get("/missions/UNAMSIL/map/deployments/2001-13.json").status_code == 404
    assert client.get("/missions/UNAMSIL/map/deployments/March.json").status_code == 404
    assert client_for(other_member).get("/missions/UNAMSIL/map/deployments/2001-03.json").status_code == 404


def test_strength_is_summed_over_the_countrys_missions(users, sierra_leone, country):
    strength = country_strength_by_month(users[Role.ANALYST], country.__class__.objects.filter(pk=country.pk))
    assert strength[datetime.date(2000, 11, 1)] == {"troops": 12251, "police": 34, "observers": 243}
    assert strength[datetime.date(2001, 1, 1)] == {"troops": 10151, "police": 33, "observers": 253}


def test_strength_is_hidden_from_strangers(other_member, sierra_leone, country):
    assert country_strength_by_month(other_member, country.__class__.objects.filter(pk=country.pk)) == {}


def test_summary_wording_for_each_kind_of_map():
    month = datetime.date(2001, 3, 1)
    head = "Deployment map (Geo-PKO), March 2001: "
    assert deployment_summary(month, 15, 11400, 2) == (
        head + "15 sites, at least 11,400 troops at standard unit sizes (troop numbers not given for 2 sites)"
    )
    assert deployment_summary(month, 1, 650, 0) == head + "1 site, 650 troops at standard unit sizes"
    assert deployment_summary(month, 3, 0, 0) == head + "3 sites, no troop units on the map (observers or police only)"
    assert deployment_summary(month, 4, None, 4) == head + "4 sites, troop numbers not given"
    assert deployment_summary(month, 8, 0, 1) == head + "8 sites, troop numbers not given"
