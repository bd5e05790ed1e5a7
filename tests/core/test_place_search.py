"""The mission's place search and map labels (issue 15): accent- and case-insensitive, the
place's own name starting so first then the larger towns, only the mission's host countries,
members only, in a fixed number of queries."""

from pathlib import Path

import pytest
from django.urls import reverse

from bluehelmet.core.models import Place
from bluehelmet.importers.registry import run_import

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "src" / "bluehelmet" / "data"


@pytest.fixture
def gazetteer(mission, other_mission):
    """UNAMSIL in Sierra Leone, MINUSCA in the Central African Republic with its prefectures
    and sub-prefectures, and the shipped gazetteer of both (and Liberia)."""
    run_import("boundaries", DATA / "boundaries" / "caf_adm1_prefectures_ocha_codab.geojson")
    run_import("boundaries", DATA / "boundaries" / "caf_adm2_subprefectures_ocha_codab_v2.geojson")
    run_import("gazetteer", DATA / "gazetteer" / "geonames_cities500_sl_cf_lr.csv")


@pytest.fixture
def minusca_member(other_mission):
    from bluehelmet.core.models import Role
    from tests.factories import make_user

    return make_user("minusca-reporter", other_mission, Role.REPORTER)


def search(client, acronym, query):
    response = client.get(reverse("mission-place-search", args=[acronym]), {"q": query})
    assert response.status_code == 200
    return response.json()["results"]


def test_accents_and_case_do_not_matter(client_for, minusca_member, gazetteer):
    client = client_for(minusca_member)
    for typed in ("mbaiki", "MBAÏKI", "Mbaïk"):
        results = search(client, "MINUSCA", typed)
        assert results[0]["name"] == "Mbaïki" and results[0]["kind"] == "locality", typed


def test_a_town_comes_with_its_admin_areas_pcode_and_point(client_for, minusca_member, gazetteer):
    bambari = search(client_for(minusca_member), "MINUSCA", "bambari")
    town = next(r for r in bambari if r["kind"] == "locality")
    area = Place.objects.get(pcode="CF431")
    assert town == {
        "id": Place.objects.get(key="geonames:240604").pk,
        "name": "Bambari",
        "kind": "locality",
        "kind_label": "Locality",
        "areas": ["Bambari", "Ouaka"],
        "area_id": area.pk,
        "pcode": "CF431",
        "lat": 5.76795,
        "lon": 20.67565,
        "population": 32547,
    }
    # The sub-prefecture of that name is found too, as an area.
    assert {(r["name"], r["kind"]) for r in bambari} >= {("Bambari", "adm2")}


def test_own_name_prefix_first_then_larger_population(client_for, minusca_member, gazetteer):
    results = search(client_for(minusca_member), "MINUSCA", "ba")
    names = [r["name"] for r in results]
    own_prefix = [r for r in results if r["name"].casefold().startswith("ba")]
    assert results[: len(own_prefix)] == own_prefix  # every own-name prefix before the rest
    towns = [r["population"] for r in own_prefix if r["kind"] == "locality"]
    assert towns == sorted(towns, reverse=True) and names[0] == "Bangui"
    # A name only containing what was typed is found too, after the prefixes.
    inside = search(client_for(minusca_member), "MINUSCA", "angui")
    assert [r["name"] for r in inside][:1] == ["Bangui"]


def test_only_the_missions_host_countries(client_for, users, minusca_member, gazetteer):
    assert search(client_for(minusca_member), "MINUSCA", "makeni") == []  # Sierra Leone's
    assert search(client_for(minusca_member), "MINUSCA", "monrovia") == []  # Liberia's
    unamsil = search(client_for(users["reporter"]), "UNAMSIL", "makeni")
    assert [r["name"] for r in unamsil] == ["Makeni"]


def test_a_short_query_answers_nothing(client_for, minusca_member, gazetteer):
    assert search(client_for(minusca_member), "MINUSCA", "b") == []


def test_non_members_are_refused(client, client_for, users, gazetteer):
    url = reverse("mission-place-search", args=["MINUSCA"])
    assert client_for(users["reporter"]).get(url, {"q": "bambari"}).status_code == 404  # UNAMSIL's, not MINUSCA's
    client.logout()
    assert client.get(url, {"q": "bambari"}).status_code in (302, 403, 404)


def test_the_search_takes_a_fixed_number_of_queries(client_for, minusca_member, gazetteer, django_assert_num_queries):
    client = client_for(minusca_member)
    url = reverse("mission-place-search", args=["MINUSCA"])
    client.get(url, {"q": "ba"})
    # The session, the user, the memberships, the second-factor check, the mission, the search.
    with django_assert_num_queries(6):
        response = client.get(url, {"q": "ba"})
    assert len(response.json()["results"]) == 10


def test_the_labels_are_the_missions_towns_largest_first(client_for, minusca_member, gazetteer):
    response = client_for(minusca_member).get(reverse("mission-place-labels", args=["MINUSCA"]))
    features = response.json()["features"]
    assert len(features) == 36
    assert features[0]["properties"]["name"] == "Bangui"
    populations = [f["properties"]["population"] for f in features]
    assert populations == sorted(populations, reverse=True)
