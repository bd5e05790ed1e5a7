"""Indicators for the results framework: how fast the mission answers its alerts.

An alert is answered when it is acknowledged or a response task on it is started, whichever
comes first."""

import datetime

from django.db.models import Min

from bluehelmet.analytics.incidents.indicators import median_delay, response_delays, share_answered_within
from bluehelmet.core.models import Mission

from .models import Alert


def _delays(mission: Mission, start: datetime.date, end: datetime.date) -> list[datetime.timedelta | None]:
    alerts = (
        Alert.objects.filter(mission=mission, created_at__date__gte=start, created_at__date__lte=end)
        .annotate(first_task_started=Min("tasks__started_at"))
        .values_list("created_at", "acknowledged_at", "first_task_started")
    )
    raised, answered = [], []
    for created_at, acknowledged_at, task_started in alerts:
        times = [t for t in (acknowledged_at, task_started) if t is not None]
        raised.append(created_at)
        answered.append(min(times) if times else None)
    return response_delays(raised, answered)


def alert_response_share(
    mission: Mission, start: datetime.date, end: datetime.date, within_hours: int = 24
) -> float | None:
    """Share of the alerts raised from `start` to `end` (inclusive) answered within
    `within_hours`; None when no alert was raised."""
    return share_answered_within(_delays(mission, start, end), datetime.timedelta(hours=within_hours))


def median_time_to_respond(mission: Mission, start: datetime.date, end: datetime.date) -> datetime.timedelta | None:
    """Median time from raising to answering, over the alerts raised from `start` to `end`
    that were answered; None when none was."""
    return median_delay(_delays(mission, start, end))
