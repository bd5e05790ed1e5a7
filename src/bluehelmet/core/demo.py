"""The built-in demo: the shipped real data sets and one user per role."""

import importlib
import time
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from bluehelmet.importers.registry import run_import

from .models import Membership, Mission, Role

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_MISSIONS = ("UNAMSIL", "UNOMSIL", "MINUSCA")

# (kind, file under data/, options): order matters, boundaries and missions first so that
# sites find their admin areas and deployments their missions.
DEMO_IMPORTS = [
    ("boundaries", "boundaries/sle_adm0_adm2_districts_geoboundaries_simplified.geojson", {}),
    ("boundaries", "boundaries/sle_adm3_chiefdoms_geoboundaries_simplified.geojson", {"country": "Sierra Leone"}),
    ("missions", "missions/un_pko_list_start_end_month.csv", {}),
    ("mission-countries", "missions/ipi_mission_country_continent.csv", {}),
    ("strength", "personnel/personnel_shortfall_mission_month_1990_2015.csv", {}),
    ("conflict-months", "cases/sierra_leone_conflict_month_1991_2002.csv", {}),
    ("geopko", "geopko/geopko_v1_2_africa_1994_2018_location_month.csv", {}),
    ("geopko-frontmap", "geopko/geopko_v2.3_frontmap_mission_year_location.csv", {}),
    ("geopko-troop-types", "geopko/geopko_v2.3_ttmap_troop_types.csv", {}),
    ("geopko-contributors", "geopko/geopko_v2.3_tccmap_contributors.csv", {}),
    ("ged", "ucdp/ged231_events_central_african_republic.csv", {}),
]

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
    DemoUser("civilaffairs", "bluehelmet-civilaffairs", Role.CIVIL_AFFAIRS, "civil affairs officer: partners, alerts, mediation"),
    DemoUser("humanitarian", "bluehelmet-humanitarian", Role.HUMANITARIAN, "humanitarian officer: needs, 3W, deliveries"),
]


# Areas that add their own demo records: each has a `demo` module with `load(progress)`,
# called in this order after the shared data and the demo users are in (performance last:
# its indicators are computed from the other areas' records).
DEMO_AREAS = ("incidents", "forces", "earlywarning", "elections", "ddr", "civilaffairs", "humanitarian", "performance")


def load_demo_data(progress=print) -> None:
    for kind, relative_path, options in DEMO_IMPORTS:
        started = time.perf_counter()
        summary = run_import(kind, DATA_DIR / relative_path, **options)
        progress(f"{kind:<20} {relative_path:<70} {summary.rows:>6} rows in {time.perf_counter() - started:5.1f} s")
    for acronym, mandate in MANDATES.items():
        Mission.objects.filter(acronym=acronym).update(mandate=mandate)
    create_demo_users()
    for area in DEMO_AREAS:
        try:
            module = importlib.import_module(f"bluehelmet.{area}.demo")
        except ModuleNotFoundError as missing:
            if missing.name != f"bluehelmet.{area}.demo":
                raise
            continue
        started = time.perf_counter()
        module.load(progress)
        progress(f"{area:<20} demo records in {time.perf_counter() - started:5.1f} s")


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
    for device in TOTPDevice.objects.filter(user__username__in=[u.username for u in DEMO_USERS], confirmed=True).select_related("user"):
        codes = StaticToken.objects.filter(device__user=device.user).order_by("pk").values_list("token", flat=True)
        lines.append(f"  {device.user.username}: after the password, a code from an authenticator app set up with the secret")
        lines.append(f"    {secret_of(device)}")
        lines.append(f"    or one of these single-use backup codes: {', '.join(codes)}")
    return "\n".join(lines)


def describe_missions() -> str:
    lines = ["\nMissions in the demo:"]
    for mission in Mission.objects.filter(acronym__in=DEMO_MISSIONS).prefetch_related("host_countries"):
        countries = ", ".join(c.name for c in mission.host_countries.all())
        lines.append(f"  {mission.acronym:<8} {countries:<26} deployments: {mission.deployments.count():>4}  "
                     f"monthly strength records: {mission.strengths.count():>4}")
    return "\n".join(lines)
