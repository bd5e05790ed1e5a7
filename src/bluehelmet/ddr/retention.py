"""Retention rules of the DDR area (see core/retention.py): once a participant's case is
closed (reintegration completed) and the retention period (`ddr_participants`, counted from
that day) is over, the name, birth date, phone and duplicate-check hash are wiped, and so
are the notes of follow-up visits. Kept: reference, category, sex, age at registration,
faction, place, stage dates, weapons and reintegration facts, so every aggregate (funnel,
weapons per combatant, reintegration rates) is unchanged."""

from django.db.models import Q

from bluehelmet.core.retention import RetentionRule, register

ANONYMISED_NAME = "[anonymised]"
ANONYMISED_KEY = "anonymised:"


def _anonymised_key(participant) -> str:
    # Unique per mission like the hash it replaces; says nothing about the person.
    return f"{ANONYMISED_KEY}{participant.pk}"


register(
    RetentionRule(
        category="ddr_participants",
        model="ddr.Participant",
        age_field="reintegrated_on",
        replace={"full_name": ANONYMISED_NAME, "birth_date": "", "phone": "", "duplicate_key": _anonymised_key},
        pending=~Q(duplicate_key__startswith=ANONYMISED_KEY),
    )
)

register(
    RetentionRule(
        category="ddr_participants",
        model="ddr.FollowUpVisit",
        age_field="participant__reintegrated_on",
        replace={"notes": ""},
        pending=~Q(notes=""),
    )
)
