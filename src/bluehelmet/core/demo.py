"""The built-in demo: the shipped real data sets and one user per role.

What the demo loads is a registry of steps, as `core/retention.py` keeps its rules: each app
registers its steps in its AppConfig.ready, and `bluehelmet demo` (overview.demo) runs them
in order. Core imports no app (docs/adr/0003-registries.md).

    from bluehelmet.core.demo import DemoStep, register_demo_step

    register_demo_step(DemoStep("forces", AREA_RECORDS, "bluehelmet.forces.demo.load"))

`run` is a function of `progress` (a callable taking one line of text), or its dotted path,
imported when the demo runs. Steps run by `order`, then name; the orders below say what
each stage may rely on.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Membership, Mission, Organization, Place, Role

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_MISSIONS = ("UNAMSIL", "UNOMSIL", "MINUSCA")

# Stages of the demo, in the order they run.
REFERENCE_PLACES_AND_MISSIONS = 10  # boundaries and the mission list: what the rest is placed in
REFERENCE_DATA = 20  # data sets about those missions and places (deployments, events, ...)
DEMO_PEOPLE = 30  # the missions' mandates and one user per role
# Each area's own demo records, made by the demo users. Areas keep the order they have always
# run in (incidents +0, forces +10, earlywarning +20, elections +30, ddr +40, civil affairs +50,
# humanitarian +60): later ones place their records among the incidents and units made before.
AREA_RECORDS = 100
DERIVED_RECORDS = 900  # figures computed from the other areas' records (indicators)
SEARCH_INDEX = 990  # the search index over everything loaded before (core.search)


def exercise_moment(mission: Mission) -> datetime.datetime:
    """When a mission's demo exercise takes place: noon on the 15th of the middle month of the
    mission's period (its start to its end, or to today while it runs). Demo records (exercise
    incidents, alerts, checklists) are dated around it, so they sit in the mission's own period
    and over its deployment maps, never after a mission that ended long ago."""
    today = timezone.localdate()
    end = min(mission.end, today) if mission.end else today
    start = mission.start or end
    middle = start + (end - start) / 2
    return timezone.make_aware(datetime.datetime(middle.year, middle.month, 15, 12, 0))


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    run: str | Callable[[Callable[[str], None]], None]

    def function(self) -> Callable[[Callable[[str], None]], None]:
        return import_string(self.run) if isinstance(self.run, str) else self.run


DEMO_STEPS: list[DemoStep] = []


def demo_actor(key: str, name: str, acronym: str, kind: str, country: Place | None) -> Organization:
    """An actor of the demo's exercises, found by key or name or else created, of `country`
    (the mission's lists offer their host countries' actors: datasets.actors)."""
    actor = (
        Organization.objects.filter(key=key).first()
        or Organization.objects.filter(name=name).first()
        or Organization.objects.create(key=key, name=name, acronym=acronym, kind=kind)
    )
    if actor.country_id is None and country is not None:
        actor.country = country
        actor.save(update_fields=["country"])
    return actor


def register_demo_step(step: DemoStep) -> DemoStep:
    """Add a step (registering the same step twice keeps one; two steps may not share a name)."""
    if step in DEMO_STEPS:
        return step
    if any(known.name == step.name for known in DEMO_STEPS):
        raise ValueError(f"a demo step named {step.name!r} is already registered")
    DEMO_STEPS.append(step)
    return step


def demo_steps() -> list[DemoStep]:
    return sorted(DEMO_STEPS, key=lambda step: (step.order, step.name))


# Public facts about the demo missions' mandates (Security Council resolutions).
MANDATES = {
    "UNOMSIL": "Established by Security Council resolution 1181 (13 July 1998) to monitor the military "
    "and security situation in Sierra Leone and the disarmament and demobilization of combatants.",
    "UNAMSIL": "Established by Security Council resolution 1270 (22 October 1999) to cooperate with the "
    "parties in implementing the Lomé Peace Agreement, assist the disarmament, demobilization and "
    "reintegration plan and, within its capabilities, afford protection to civilians under imminent "
    "threat of physical violence.",
    "MINUSCA": "Established by Security Council resolution 2149 (10 April 2014) with the protection of "
    "civilians as its utmost priority, support for the transition process, facilitation of "
    "humanitarian assistance and the promotion and protection of human rights.",
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    description: str


DEMO_USERS = [
    DemoUser("admin", "bluehelmet-admin", Role.ADMINISTRATOR, "administrator, also Django admin"),
    DemoUser("analyst", "bluehelmet-analyst", Role.ANALYST, "analyst: reads everything, imports, exports"),
    DemoUser("reporter", "bluehelmet-reporter", Role.REPORTER, "reporter: reads the mission's data"),
    DemoUser("partner", "bluehelmet-partner", Role.PARTNER, "partner: read-only, shared data only"),
    DemoUser("ddr", "bluehelmet-ddr", Role.DDR_OFFICER, "DDR officer: participants' records"),
    DemoUser(
        "civilaffairs",
        "bluehelmet-civilaffairs",
        Role.CIVIL_AFFAIRS,
        "civil affairs officer: partners, alerts, mediation",
    ),
    DemoUser(
        "humanitarian", "bluehelmet-humanitarian", Role.HUMANITARIAN, "humanitarian officer: needs, 3W, deliveries"
    ),
]


def load_people(progress) -> None:
    """The demo missions' mandates, then one user per role in each of them."""
    for acronym, mandate in MANDATES.items():
        Mission.objects.filter(acronym=acronym).update(mandate=mandate)
    create_demo_users()
    progress(f"{'people':<20} {len(DEMO_USERS)} demo users")


@transaction.atomic
def create_demo_users() -> None:
    User = get_user_model()
    missions = list(Mission.objects.filter(acronym__in=DEMO_MISSIONS))
    for demo in DEMO_USERS:
        is_admin = demo.role == Role.ADMINISTRATOR
        user = User.objects.create_user(demo.username, password=demo.password, is_staff=is_admin, is_superuser=is_admin)
        for mission in missions:
            Membership.objects.create(user=user, mission=mission, role=demo.role)
        if is_admin:
            enrol_demo_authenticator(user)


def enrol_demo_authenticator(user) -> None:
    """Administrators must log in with two factors: the demo admin gets an authenticator secret
    and backup codes, printed by `bluehelmet demo` (describe_demo_two_factor)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .twofactor import AUTHENTICATOR_NAME, issue_backup_codes

    TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)
    issue_backup_codes(user)


def describe_demo_two_factor() -> str:
    """The demo admin's second factor: the secret for an authenticator app and backup codes."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .twofactor import secret_of

    lines = []
    for device in TOTPDevice.objects.filter(
        user__username__in=[u.username for u in DEMO_USERS], confirmed=True
    ).select_related("user"):
        codes = StaticToken.objects.filter(device__user=device.user).order_by("pk").values_list("token", flat=True)
        lines.append(
            f"  {device.user.username}: after the password, a code from an authenticator app set up with the secret"
        )
        lines.append(f"    {secret_of(device)}")
        lines.append(f"    or one of these single-use backup codes: {', '.join(codes)}")
    return "\n".join(lines)
