"""DDR demo: exercise participants of UNAMSIL from the three real Sierra Leone factions
(RUF, CDF, AFRC), registered in the real districts during 2001, taken through the stages
in made-up proportions. Every record is marked exercise data and named "Exercise
participant NNN": no real person. The demo DDR officer (ddr / bluehelmet-ddr) is one of
core.demo.DEMO_USERS."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from bluehelmet.core.demo import demo_actor
from bluehelmet.core.models import Mission, Organization, Place

from . import cases
from .models import Participant, Reintegration, Weapon

FACTIONS = [  # (key, name, acronym, share of the exercise caseload)
    ("actor:RUF", "Revolutionary United Front (RUF)", "RUF", 0.5),
    ("actor:CDF", "Civil Defence Forces (CDF)", "CDF", 0.35),
    ("actor:AFRC", "Armed Forces Revolutionary Council (AFRC)", "AFRC", 0.15),
]
DISTRICTS = ["Kailahun", "Kono", "Kenema", "Bombali", "Tonkolili", "Port Loko", "Bo", "Moyamba"]
RIFLES = [
    ("AK-47", Weapon.Kind.RIFLE),
    ("G3", Weapon.Kind.RIFLE),
    ("FN FAL", Weapon.Kind.RIFLE),
    ("PKM", Weapon.Kind.MACHINE_GUN),
    ("RPG-7", Weapon.Kind.RPG),
]
SITES = {
    "Kailahun": "Daru demobilisation camp (exercise)",
    "Kono": "Koidu demobilisation camp (exercise)",
    "Kenema": "Kenema demobilisation camp (exercise)",
}
PARTICIPANTS = 60
CHILDREN = 4


def _day(rng, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(days))


@transaction.atomic
def load(progress=print) -> None:
    mission = Mission.objects.filter(acronym="UNAMSIL").first()
    districts = {
        p.name: p for p in Place.objects.filter(kind=Place.Kind.ADM2, name__in=DISTRICTS, country__name="Sierra Leone")
    }
    if mission is None or not districts:
        return
    rng = random.Random(2001)
    sierra_leone = mission.host_countries.first()
    groups = [
        (demo_actor(key, name, acronym, Organization.Kind.ARMED_GROUP, sierra_leone), share)
        for key, name, acronym, share in FACTIONS
    ]
    nobody = AnonymousUser()
    for k in range(1, PARTICIPANTS + CHILDREN + 1):
        child = k > PARTICIPANTS
        group = rng.choices([g for g, _s in groups], weights=[s for _g, s in groups])[0]
        registered = _day(rng, datetime.date(2001, 5, 18), 240)
        age = rng.randrange(14, 18) if child else rng.randrange(18, 45)
        born = registered - datetime.timedelta(days=365 * age + rng.randrange(1, 300))
        category = (
            Participant.Category.ASSOCIATED_CHILD
            if child
            else Participant.Category.ASSOCIATED_ADULT
            if rng.random() < 0.1
            else Participant.Category.COMBATANT
        )
        district = districts[rng.choice([d for d in DISTRICTS if d in districts])]
        person = cases.register(
            nobody,
            mission,
            {
                "full_name": f"Exercise participant {k:03d}",
                "birth_date": born,
                "category": category,
                "faction": group,
                "place": district,
                "registered_on": registered,
                "sex": rng.choice(["male"] * 4 + ["female"]),
            },
            exercise=True,
        )
        if child or rng.random() < 0.08:
            continue
        disarmed = registered + datetime.timedelta(days=rng.randrange(0, 5))
        if category == Participant.Category.COMBATANT:
            # Exercise mix: most hand in one weapon, some two, some only ammunition.
            guns = rng.choices([0, 1, 2], weights=[0.2, 0.65, 0.15])[0]
            for g in range(guns):
                model, kind = rng.choice(RIFLES)
                cases.record_weapon(
                    nobody,
                    person,
                    {
                        "kind": kind,
                        "model": model,
                        "serial": f"EX-{k:04d}-{g + 1}-{rng.randrange(10**5):05d}",
                        "quantity": 1,
                        "handed_in_on": disarmed,
                        "site": f"{district.name} reception centre (exercise)",
                    },
                )
            if not guns or rng.random() < 0.6:
                cases.record_weapon(
                    nobody,
                    person,
                    {
                        "kind": Weapon.Kind.AMMUNITION,
                        "model": "7.62 mm",
                        "serial": "",
                        "quantity": rng.randrange(20, 300),
                        "handed_in_on": disarmed,
                        "site": "",
                    },
                )
        if rng.random() < 0.1:
            continue
        entered = disarmed + datetime.timedelta(days=rng.randrange(1, 10))
        cases.record_demobilisation(
            person,
            {
                "site": SITES.get(district.name, f"{district.name} demobilisation camp (exercise)"),
                "place": district,
                "entered_on": entered,
                "discharged_on": entered + datetime.timedelta(days=rng.randrange(5, 30)),
                "allowance": Decimal("150.00"),
                "currency": "USD",
            },
        )
        if rng.random() < 0.2:
            continue
        programme = rng.choice(Reintegration.Programme.values)
        done = rng.random() < 0.65
        started = entered + datetime.timedelta(days=rng.randrange(30, 120))
        cases.record_reintegration(
            person,
            {
                "reinsertion_package": "Exercise reinsertion package: tools kit and transport",
                "reinsertion_on": entered + datetime.timedelta(days=20),
                "programme": programme,
                "implementing_partner": "Exercise implementing partner",
                "status": Reintegration.Status.COMPLETED if done else Reintegration.Status.IN_PROGRESS,
                "started_on": started,
                "completed_on": started + datetime.timedelta(days=rng.randrange(180, 400)) if done else None,
            },
        )
    progress(
        f"{'ddr':<20} UNAMSIL: {PARTICIPANTS + CHILDREN} exercise participants (RUF, CDF, AFRC); DDR officer login ddr / bluehelmet-ddr"
    )
