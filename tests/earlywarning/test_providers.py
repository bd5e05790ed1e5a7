"""Forecasts find UN troops through the providers forces registers (earlywarning.providers):
early warning reads no forces model itself."""

from bluehelmet.datasets.models import Deployment
from bluehelmet.earlywarning import providers
from bluehelmet.earlywarning.forecasting import mission_deployments, mission_sites


def test_forces_registers_the_geopko_deployments():
    assert [provider.name for provider in providers.troop_presence()] == ["geopko", "forces"]


def test_a_forecast_reads_the_deployments_of_its_mission(sierra_leone, mission):
    placed = Deployment.objects.filter(mission=mission, site__latitude__isnull=False)
    frame = mission_deployments(mission)
    assert frame.height == placed.count() > 0
    assert set(frame.columns) >= {"latitude", "longitude", "month", "troops", "month_id"}
    assert {site.pk for site in mission_sites(mission)} == set(
        placed.exclude(site__priogrid_gid=None).values_list("site_id", flat=True)
    )


def test_without_a_provider_a_forecast_has_no_troops(monkeypatch, sierra_leone, mission):
    monkeypatch.setattr(providers, "_providers", [])
    assert mission_deployments(mission).height == 0 and mission_sites(mission) == []
