"""DDR figures without personal data: the funnel, weapons per combatant, the
reintegration rate (read by the performance area's formula registry)."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum

from bluehelmet.core.models import Mission

from .models import Participant, Weapon

STAGES = ("registered", "disarmed", "demobilised", "reinserted", "reintegrated")


def adult_participants(mission: Mission) -> QuerySet[Participant]:
    """Those in the adult DDR track: children are referred, never counted as enrolled."""
    return Participant.objects.filter(mission=mission).exclude(category=Participant.Category.ASSOCIATED_CHILD)


def funnel(mission: Mission) -> dict:
    """How many reached each stage or a later one (associated adults hand in no weapon:
    they pass disarmament when demobilised), so each stage holds at most the one before;
    and the children referred to child protection."""
    reintegrated = Q(reintegrated_on__isnull=False)
    reinserted = reintegrated | Q(reinserted_on__isnull=False)
    demobilised = reinserted | Q(demobilised_on__isnull=False)
    disarmed = demobilised | Q(disarmed_on__isnull=False)
    counts = adult_participants(mission).aggregate(
        registered=Count("pk"),
        disarmed=Count("pk", filter=disarmed),
        demobilised=Count("pk", filter=demobilised),
        reinserted=Count("pk", filter=reinserted),
        reintegrated=Count("pk", filter=reintegrated),
    )
    stages = [
        {
            "stage": stage,
            "count": counts[stage],
            "share": counts[stage] / counts["registered"] if counts["registered"] else None,
        }
        for stage in STAGES
    ]
    children = Participant.objects.filter(mission=mission, category=Participant.Category.ASSOCIATED_CHILD).count()
    return {"stages": stages, "children_referred": children}


def weapons_per_combatant(mission: Mission, by: str) -> list[dict]:
    """Weapons (not ammunition) handed in per disarmed participant, by "faction" or "place"
    (the district of registration, or the place itself when it is a district or above)."""
    disarmed = adult_participants(mission).filter(disarmed_on__isnull=False)
    weapons = Weapon.objects.filter(participant__in=disarmed)
    if by == "faction":
        people = disarmed.values("faction__name").annotate(n=Count("pk")).values_list("faction__name", "n")
        guns = (
            weapons.filter(kind__in=Weapon.WEAPON_KINDS)
            .values("participant__faction__name")
            .annotate(n=Sum("quantity"))
            .values_list("participant__faction__name", "n")
        )
        rounds = (
            weapons.filter(kind=Weapon.Kind.AMMUNITION)
            .values("participant__faction__name")
            .annotate(n=Sum("quantity"))
            .values_list("participant__faction__name", "n")
        )
    else:
        people, guns, rounds = _by_district(disarmed, weapons)
    guns, rounds = dict(guns), dict(rounds)
    rows = []
    for name, n in sorted(people, key=lambda item: item[0] or ""):
        weapons_n = guns.get(name, 0) or 0
        rows.append(
            {
                "name": name,
                "disarmed": n,
                "weapons": weapons_n,
                "rounds": rounds.get(name, 0) or 0,
                "per_combatant": weapons_n / n if n else None,
            }
        )
    return rows


def _district_name(place) -> str:
    node = place
    while node is not None and node.kind not in ("adm2", "adm1", "country"):
        node = node.parent
    return (node or place).name


def _by_district(disarmed, weapons):
    names = {p.pk: _district_name(p.place) for p in disarmed.select_related("place__parent__parent")}
    people, guns, rounds = defaultdict(int), defaultdict(int), defaultdict(int)
    for name in names.values():
        people[name] += 1
    for participant_id, kind, quantity in weapons.values_list("participant_id", "kind", "quantity"):
        target = rounds if kind == Weapon.Kind.AMMUNITION else guns
        target[names[participant_id]] += quantity
    return list(people.items()), guns.items(), rounds.items()


def reintegration_rate(mission: Mission, start: datetime.date, end: datetime.date) -> float | None:
    """Share (0-1) of the participants demobilised from `start` to `end` (inclusive) who
    completed reintegration by `end`. None when the mission has no DDR records, or no one
    was demobilised in the period."""
    demobilised = adult_participants(mission).filter(demobilised_on__gte=start, demobilised_on__lte=end)
    total = demobilised.count()
    if not total:
        return None
    return demobilised.filter(reintegrated_on__lte=end).count() / total
