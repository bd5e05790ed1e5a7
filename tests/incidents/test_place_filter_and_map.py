"""Incidents and the gazetteer (issue 15): the place filter (an admin area with the areas
inside it, or around a town, found by name) and the incident page's own map."""

import json

import pytest
from django.urls import reverse

from bluehelmet.core.models import Place
from bluehelmet.core.names import search_names_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def makeni(sl):
    """Makeni as GeoNames has it (geonameid 2406407), in Bombali."""
    return Place.objects.create(
        key="geonames:2406407",
        kind=Place.Kind.LOCALITY,
        name="Makeni",
        parent=sl.bombali,
        country=sl.country,
        latitude=8.88605,
        longitude=-12.04417,
        gazetteer_population=87679,
        search_names=search_names_for(["Makeni"]),
    )


def listed(client, acronym, **params):
    response = client.get(reverse("incidents:list", args=[acronym]), params)
    assert response.status_code == 200
    return response


def test_the_place_filter_takes_an_area_or_a_town(client_for, users, sl, makeni, file):
    near_makeni = file(latitude=8.9, longitude=-12.0).incident
    elsewhere_in_bombali = file(latitude=9.5, longitude=-12.5).incident
    in_kenema = file(latitude=7.9, longitude=-11.2).incident
    client = client_for(users["analyst"])

    def ids(**params):
        return set(listed(client, "UNAMSIL", **params).context["page"].object_list.values_list("pk", flat=True))

    assert ids(place=sl.bombali.pk) == {near_makeni.pk, elsewhere_in_bombali.pk}
    assert ids(place=makeni.pk) == {near_makeni.pk}  # within 10 km of the town
    assert ids(place=sl.country.pk) == {near_makeni.pk, elsewhere_in_bombali.pk, in_kenema.pk}


def test_the_place_filter_is_a_search_box_showing_the_places_name(client_for, users, sl, makeni):
    page = listed(client_for(users["analyst"]), "UNAMSIL", place=makeni.pk).content.decode()
    assert f'type="hidden" name="place" id="id_place" value="{makeni.pk}"' in page
    search_box = f'data-place-search-url="{reverse("mission-place-search", args=["UNAMSIL"])}"'
    assert search_box in page and 'value="Makeni"' in page and 'for="id_place_search"' in page


def test_another_missions_place_filters_out_everything(client_for, users, sl, file, other_mission):
    file(latitude=8.9, longitude=-12.0)
    bangui = Place.objects.create(
        key="geonames:2389853",
        kind=Place.Kind.LOCALITY,
        name="Bangui",
        country=other_mission.host_countries.get(),
        latitude=4.36122,
        longitude=18.55496,
    )
    response = listed(client_for(users["analyst"]), "UNAMSIL", place=bangui.pk)
    assert not response.context["page"].object_list


def test_the_incident_page_has_its_own_map_with_point_and_area(client_for, users, sl, file):
    incident = file(latitude=8.9, longitude=-12.0).incident
    page = client_for(users["reporter"]).get(reverse("incidents:detail", args=["UNAMSIL", incident.pk]))
    html = page.content.decode()
    assert 'id="incident-detail-map"' in html and "js/bhmap.js" in html
    config = json.loads(html.split('id="incident-detail-map-config" type="application/json">')[1].split("</script>")[0])
    assert (config["lat"], config["lon"]) == (8.9, -12.0)
    assert config["area"]["name"] == "Bombali" and config["area"]["geometry"]["type"] == "Polygon"
