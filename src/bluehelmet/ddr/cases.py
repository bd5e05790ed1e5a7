"""A participant's case, stage by stage. Each function writes in one transaction and moves
the participant's stage dates forward; none ever moves a child into the adult track."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from bluehelmet.core.crypto import lookup_hash, lookup_hashes
from bluehelmet.core.models import Mission

from .models import ADULT_AGE, Demobilisation, FollowUpVisit, Participant, Reintegration, Weapon

CHILD_PROTECTION_REFERRAL = "Child protection track (UNICEF and child protection partners)"


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def person_key(full_name: str, birth_date: datetime.date, faction_id: int) -> tuple:
    return (full_name, birth_date.isoformat(), faction_id)


def find_duplicate(mission: Mission, full_name: str, birth_date: datetime.date, faction_id: int) -> Participant | None:
    """The participant already registered with this name, birth date and faction."""
    hashes = lookup_hashes(*person_key(full_name, birth_date, faction_id))
    return Participant.objects.filter(mission=mission, duplicate_key__in=hashes).first()


def next_reference(mission: Mission) -> str:
    last = Participant.objects.filter(mission=mission, reference__startswith="DDR-").aggregate(m=Max("reference"))["m"]
    number = int(last.removeprefix("DDR-")) + 1 if last and last.removeprefix("DDR-").isdigit() else 1
    return f"DDR-{number:06d}"


class DuplicateRegistration(Exception):
    def __init__(self, existing: Participant):
        self.existing = existing
        super().__init__(existing.reference)


def register(user, mission: Mission, data: dict, *, exercise: bool = False) -> Participant:
    """Store a registration checked by RegistrationForm (which refuses children as
    combatants). Raises DuplicateRegistration when the same person is already registered,
    also when a second registration races this one."""
    existing = find_duplicate(mission, data["full_name"], data["birth_date"], data["faction"].pk)
    if existing is not None:
        raise DuplicateRegistration(existing)
    participant = Participant(
        mission=mission,
        category=data["category"],
        full_name=data["full_name"],
        birth_date=data["birth_date"],
        phone=data.get("phone", ""),
        sex=data.get("sex") or Participant.Sex.UNKNOWN,
        age_at_registration=age_on(data["birth_date"], data["registered_on"]),
        faction=data["faction"],
        place=data["place"],
        registered_on=data["registered_on"],
        registered_by=user if user.is_authenticated else None,
        duplicate_key=lookup_hash(*person_key(data["full_name"], data["birth_date"], data["faction"].pk)),
        exercise=exercise,
    )
    if participant.is_child:
        participant.referred_to = data.get("referred_to") or CHILD_PROTECTION_REFERRAL
    try:
        with transaction.atomic():
            participant.reference = next_reference(mission)
            participant.save()
    except IntegrityError:
        existing = find_duplicate(mission, data["full_name"], data["birth_date"], data["faction"].pk)
        if existing is None:
            raise
        raise DuplicateRegistration(existing) from None
    return participant


def refuse_child_as_adult(category: str, age: int) -> str | None:
    """Why this category cannot be given at this age, or None."""
    if age < ADULT_AGE and category != Participant.Category.ASSOCIATED_CHILD:
        return _(
            "Under %(age)d at registration: a child is never enrolled as a combatant or adult. Register the child as "
            '"child associated with an armed group": the record is referred to the child protection track '
            "(UNICEF and child protection partners) for family tracing, interim care and reintegration."
        ) % {"age": ADULT_AGE}
    if age >= ADULT_AGE and category == Participant.Category.ASSOCIATED_CHILD:
        return _("%(age)d or older at registration: register as an ex-combatant or an associated adult.") % {
            "age": ADULT_AGE
        }
    return None


def _advance(participant: Participant, field: str, day: datetime.date | None) -> None:
    current = getattr(participant, field)
    if day is not None and (current is None or day < current):
        setattr(participant, field, day)
        participant.save(update_fields=[field])


@transaction.atomic
def record_weapon(user, participant: Participant, data: dict) -> Weapon:
    weapon = Weapon.objects.create(participant=participant, recorded_by=user if user.is_authenticated else None, **data)
    _advance(participant, "disarmed_on", weapon.handed_in_on)
    return weapon


@transaction.atomic
def record_demobilisation(participant: Participant, data: dict) -> Demobilisation:
    record, _created = Demobilisation.objects.update_or_create(participant=participant, defaults=data)
    participant.demobilised_on = record.entered_on
    participant.save(update_fields=["demobilised_on"])
    return record


@transaction.atomic
def record_reintegration(participant: Participant, data: dict) -> Reintegration:
    record, _created = Reintegration.objects.update_or_create(participant=participant, defaults=data)
    participant.reinserted_on = record.reinsertion_on
    participant.reintegrated_on = record.completed_on if record.status == Reintegration.Status.COMPLETED else None
    participant.save(update_fields=["reinserted_on", "reintegrated_on"])
    return record


def record_visit(user, participant: Participant, data: dict) -> FollowUpVisit:
    return FollowUpVisit.objects.create(
        participant=participant, visited_by=user if user.is_authenticated else None, **data
    )


def next_step(participant: Participant) -> str | None:
    """The stage form to fill next, None for children (referred) and finished cases."""
    if participant.is_child:
        return None
    if participant.disarmed_on is None:
        return "disarmament"
    if participant.demobilised_on is None:
        return "demobilisation"
    if participant.reintegrated_on is None:
        return "reintegration"
    return "visits"


def rehash_participants() -> int:
    """Recompute every duplicate-lookup hash under the newest key (after a key rotation)."""
    rows = list(Participant.objects.only("pk", "full_name", "birth_date", "faction_id"))
    for p in rows:
        p.duplicate_key = lookup_hash(*person_key(p.full_name, p.birth_date, p.faction_id))
    Participant.objects.bulk_update(rows, ["duplicate_key"], batch_size=500)
    return len(rows)
