"""What civil affairs gives the forecasts (earlywarning.providers): where community alerts
came from. Exercise records (made up) and dismissed alerts are not counted."""

from bluehelmet.core.models import Mission
from bluehelmet.earlywarning.providers import Audience

from .models import CommunityAlert


def alert_points(mission: Mission, audience: Audience):
    """(latitude, longitude, received) of each real, not dismissed alert placed at a known place."""
    alerts = CommunityAlert.objects.filter(mission=mission, exercise=False, place__latitude__isnull=False).exclude(
        status=CommunityAlert.Status.DISMISSED
    )
    return audience.visible(alerts, sharing_field=None).values_list(
        "place__latitude", "place__longitude", "received_at"
    )
