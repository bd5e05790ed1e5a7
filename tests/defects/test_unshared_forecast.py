"""A partner is told a forecast exists but is not shared, not that none was run (issue 15)."""

from bluehelmet.core.models import Role, Sharing
from bluehelmet.earlywarning.models import ForecastRun


def _no_forecast_note(client) -> str:
    page = client.get("/missions/UNAMSIL/risk/").content.decode()
    return page[page.index('id="no-forecast"') :].split("</p>")[0]


def test_partner_told_the_forecast_is_not_shared(client_for, users, mission):
    client = client_for(users[Role.PARTNER])
    assert "No forecast has been run for this mission yet." in _no_forecast_note(client)
    ForecastRun.objects.create(
        mission=mission, model_name="lightgbm", status=ForecastRun.Status.SUCCEEDED, sharing=Sharing.MISSION
    )
    note = _no_forecast_note(client)
    assert "not shared with your role" in note and "No forecast has been run" not in note
