"""What elections gives the forecasts (earlywarning.providers): the polling days ahead.
Polling days are set in advance, so a month's "months to the next election" is known then."""

from bluehelmet.core.models import Mission
from bluehelmet.earlywarning.providers import Audience

from .models import Round


def polling_days(mission: Mission, audience: Audience):
    rounds = Round.objects.filter(election__mission=mission)
    return audience.visible(rounds, sharing_field="election__sharing", label_field=None).values_list("date", flat=True)
