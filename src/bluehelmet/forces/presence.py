"""UN troops by site and month (Geo-PKO deployments), as early warning's forecasts read them
(registered in earlywarning.providers by ForcesConfig.ready). Every mission record is read:
a forecast is a mission-wide computation whose results are scoped when they are shown."""

from bluehelmet.core.models import Mission, Place

from .models import Deployment


def geopko_deployments(mission: Mission):
    """(latitude, longitude, month, troops) of every placed deployment of the mission."""
    return Deployment.objects.filter(mission=mission, site__latitude__isnull=False).values_list(
        "site__latitude", "site__longitude", "month", "troops"
    )


def geopko_sites(mission: Mission):
    """The places the mission deployed to, on the PRIO-GRID."""
    return Place.objects.filter(deployments__mission=mission, priogrid_gid__isnull=False).distinct()
