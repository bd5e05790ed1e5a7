"""Figures other areas compute indicators from (the results framework)."""

import datetime

from bluehelmet.core.models import Mission

from .models import Person
from .training import compliance_share, person_compliance


def training_compliance(mission: Mission, on_date: datetime.date) -> float | None:
    """Share of required trainings that are current on `on_date`, over all people deployed
    in the mission that day. None when the mission has no personnel records, or nobody
    deployed that day has any required training (nothing to measure)."""
    people = Person.objects.filter(mission=mission)
    if not people.exists():
        return None
    return compliance_share(person_compliance(mission, people, on_date))
