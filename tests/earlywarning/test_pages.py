"""Risk pages, their JSON, the run form, and who may see and do what."""

import pytest
from django.urls import reverse

from bluehelmet.core.models import Role, Sharing
from bluehelmet.earlywarning.models import ForecastRun, ForecastUnit

from ..factories import make_user
from .test_runs import run_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def minusca_users(car_history):
    return {role: make_user(f"minusca-{role}", car_history, role) for role in Role.values}


@pytest.fixture
def forecast(car_history):
    return run_now(car_history)


def test_risk_page_shows_top_places_map_and_scores(client_for, minusca_users, forecast, car_history):
    client = client_for(minusca_users[Role.ANALYST])
    response = client.get(reverse("earlywarning:index", args=[car_history.acronym]) + "?h=3")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Admin areas most at risk" in body and "Haute-Kotto province" in body
    assert "No boundary file for this country" in body
    assert 'id="risk-config"' in body and 'id="start-run-form"' in body
    assert response.context["horizon"] == 3
    areas = response.context["areas"]
    assert [row["forecast"].p_ge1 for row in areas] == sorted((row["forecast"].p_ge1 for row in areas), reverse=True)
    assert all(row["forecast"].horizon == 3 for row in areas)


def test_map_and_unit_json(client_for, minusca_users, forecast, car_history):
    client = client_for(minusca_users[Role.REPORTER])
    data = client.get(reverse("earlywarning:map-data", args=[car_history.acronym]), {"run": forecast.pk, "h": 6}).json()
    assert data["horizon"] == 6 and data["month"] == "2022-06"
    cell = data["cells"]["features"][0]
    ring = cell["geometry"]["coordinates"][0]
    assert cell["geometry"]["type"] == "Polygon" and abs(ring[1][0] - ring[0][0] - 0.5) < 1e-9
    # No polygons for these areas: circles at the centre of their events.
    assert {f["geometry"]["type"] for f in data["areas"]["features"]} == {"Point"}
    unit = forecast.units.filter(level=ForecastUnit.Level.ADMIN).first()
    chart = client.get(reverse("earlywarning:unit-data", args=[car_history.acronym, unit.pk])).json()
    assert len(chart["history"]["values"]) == 36 and chart["history"]["months"][-1] == "2021-12"
    assert chart["forecast"]["months"][0] == "2022-01" and len(chart["forecast"]["q95"]) == 12


def test_choropleth_uses_district_polygons(client_for, users, mission, country):
    from .test_runs import test_admin_areas_with_boundaries_are_places_and_carry_risk as build

    build(mission, country)
    client = client_for(users[Role.ANALYST])
    data = client.get(reverse("earlywarning:map-data", args=[mission.acronym]), {"h": 1}).json()
    assert {f["geometry"]["type"] for f in data["areas"]["features"]} == {"Polygon"}
    assert {f["properties"]["name"] for f in data["areas"]["features"]} == {"Western Area", "Kenema", "Bo"}
    page = client.get(reverse("earlywarning:index", args=[mission.acronym])).content.decode()
    assert "No boundary file" not in page


def test_analyst_starts_a_run_reporter_may_not(client_for, minusca_users, car_history, settings):
    settings.BLUEHELMET_JOBS_SYNC = True
    url = reverse("earlywarning:start-run", args=[car_history.acronym])
    response = client_for(minusca_users[Role.REPORTER]).post(url, {"sharing": Sharing.MISSION})
    assert response.status_code == 403
    assert not ForecastRun.objects.exists()
    response = client_for(minusca_users[Role.ANALYST]).post(url, {"sharing": Sharing.MISSION, "cutoff": "2021-06"})
    run = ForecastRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/risk/runs/{run.pk}/")
    assert run.actor == minusca_users[Role.ANALYST] and run.status == ForecastRun.Status.SUCCEEDED, run.error
    assert run.data_cutoff.isoformat() == "2021-06-01"
    detail = client_for(minusca_users[Role.ANALYST]).get(response["Location"]).content.decode()
    assert "Out-of-sample scores" in detail and "lightgbm_hurdle" in detail


def test_bad_form_input_gets_a_field_error(client_for, minusca_users, car_history):
    url = reverse("earlywarning:start-run", args=[car_history.acronym])
    response = client_for(minusca_users[Role.ANALYST]).post(url, {"sharing": "everyone", "cutoff": "June"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"sharing", "cutoff"}
    assert not ForecastRun.objects.exists()


def test_failed_run_shows_its_reason_on_the_page(client_for, minusca_users, car_history, forecast):
    failed = run_now(car_history, cutoff_month=458)
    client = client_for(minusca_users[Role.ANALYST])
    page = client.get(reverse("earlywarning:index", args=[car_history.acronym]))
    assert page.context["run"] == forecast  # the earlier good run is still shown
    assert "too little history for horizon 12" in page.content.decode()
    status = client.get(reverse("earlywarning:run-status", args=[car_history.acronym, failed.pk]))
    assert "too little history" in status.content.decode() and status["HX-Refresh"] == "true"


def test_partners_see_only_shared_runs(client_for, minusca_users, car_history, forecast):
    partner = client_for(minusca_users[Role.PARTNER])
    page = partner.get(reverse("earlywarning:index", args=[car_history.acronym]))
    assert page.context["run"] is None and 'id="start-run-form"' not in page.content.decode()
    assert partner.get(reverse("earlywarning:run-detail", args=[car_history.acronym, forecast.pk])).status_code == 404
    unit = forecast.units.first()
    assert partner.get(reverse("earlywarning:unit-data", args=[car_history.acronym, unit.pk])).status_code == 404
    assert partner.get(reverse("api-forecast-run-list")).json()["results"] == []
    ForecastRun.objects.filter(pk=forecast.pk).update(sharing=Sharing.PUBLIC)
    assert partner.get(reverse("earlywarning:index", args=[car_history.acronym])).context["run"] == forecast


def test_members_of_other_missions_see_nothing(client_for, users, forecast, car_history):
    client = client_for(users[Role.ANALYST])  # UNAMSIL analyst
    assert client.get(reverse("earlywarning:index", args=[car_history.acronym])).status_code == 404
    unit = forecast.units.first()
    assert client.get(reverse("earlywarning:unit-data", args=["UNAMSIL", unit.pk])).status_code == 404
    assert client.get(reverse("api-forecast-unit-list")).json()["results"] == []


def test_api_lists_runs_and_units(client_for, minusca_users, forecast, car_history):
    client = client_for(minusca_users[Role.ANALYST])
    runs = client.get(reverse("api-forecast-run-list"), {"mission": car_history.acronym}).json()["results"]
    assert [r["id"] for r in runs] == [forecast.pk] and runs[0]["mission"] == car_history.acronym
    units = client.get(reverse("api-forecast-unit-list"), {"run": forecast.pk, "level": "admin"}).json()["results"]
    assert len(units) == 4 and len(units[0]["forecasts"]) == 12
