"""Civil affairs figures other areas read (performance/formulas.py)."""

import datetime

from bluehelmet.core.models import Mission

from .coverage import coverage


def engagement_coverage(mission: Mission, first: datetime.date, last: datetime.date) -> float | None:
    """Share (0-1) of the districts at high risk at the end of the period where the mission
    held a community engagement during the period; None when no district was at high risk
    or the mission has no engagement record at all (no data, not a zero)."""
    from .models import Engagement

    if not Engagement.objects.filter(mission=mission).exists():
        return None
    return coverage(mission, first, last).share
