"""The default incident taxonomy a mission starts from (and then edits)."""

from django.db import transaction
from django.utils.translation import gettext_noop

from bluehelmet.core.models import Mission

from .models import IncidentType

# (code, name): names stay in English in the database, like every record; the codes are what
# devices and imports send.
DEFAULT_TYPES = [
    ("ceasefire-violation", gettext_noop("Ceasefire violation")),
    ("armed-clash", gettext_noop("Armed clash")),
    ("attack-on-civilians", gettext_noop("Attack on civilians")),
    ("crsv", gettext_noop("Conflict-related sexual violence")),
    ("abduction", gettext_noop("Abduction")),
    ("attack-on-peacekeepers", gettext_noop("Threat or attack on peacekeepers")),
    ("demonstration-riot", gettext_noop("Demonstration / riot")),
    ("human-rights-violation", gettext_noop("Human rights violation")),
    ("humanitarian-access-denial", gettext_noop("Denial of humanitarian access")),
    ("election-violence", gettext_noop("Election-related violence")),
    ("explosive-hazard", gettext_noop("Explosive hazard")),
    # What community alerts call "Armed group movement" (civilaffairs: CommunityAlert.Category).
    ("armed-group-movement", gettext_noop("Armed group movement")),
]


def seed_types(mission: Mission) -> int:
    """Give the mission the default types it lacks; returns how many were added."""
    have = set(IncidentType.objects.filter(mission=mission).values_list("code", flat=True))
    new = [
        IncidentType(mission=mission, code=code, name=name, order=i)
        for i, (code, name) in enumerate(DEFAULT_TYPES)
        if code not in have
    ]
    IncidentType.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def save_type(mission: Mission, form) -> IncidentType:
    """A new or edited incident type from a valid IncidentTypeForm, in the mission."""
    incident_type = form.save(commit=False)
    incident_type.mission = mission
    incident_type.save()
    return incident_type
