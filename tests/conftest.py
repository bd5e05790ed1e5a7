"""Shared fixtures: a mission in a host country, and one user per role."""

import os
from pathlib import Path

import pytest
from django.utils import translation

from bluehelmet.core.models import Mission, Place, Role

from .factories import PASSWORD, make_country, make_event, make_user  # noqa: F401 (re-exported for tests)


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request in French leaves French active in
    the thread (LocaleMiddleware does not switch back), and messages built later would follow."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: the database is rolled back between tests (ids
    come round again), so an aggregate cached by one test must not answer the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def job_locks_per_test_worker(settings):
    """Each pytest-xdist worker has its own test database, so its own job locks too: job 1 of
    one worker is not job 1 of the other. (Read from the environment, not xdist's `worker_id`
    fixture, so the tests also run with `-p no:xdist`.)"""
    if worker_id := os.environ.get("PYTEST_XDIST_WORKER"):
        settings.JOB_LOCK_DIR = Path(settings.JOB_LOCK_DIR) / worker_id


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test users' passwords with MD5: PBKDF2 costs ~0.3 s per user. PBKDF2 stays
    listed so passwords hashed outside a test (the e2e demo users) still check."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def two_factor_verified_sessions(request, monkeypatch):
    """Administrators must pass two-factor log-in before any page (core.twofactor). Tests that
    log in with `client.force_login(admin)` are about other things: their sessions are marked
    as verified with a real django-otp device, as if the code had been entered. Tests that
    check the enforcement itself ask for the `two_factor_enforced` fixture to opt out."""
    if "two_factor_enforced" in request.fixturenames:
        return
    from django.test import Client

    original_login = Client._login

    def login_and_verify(self, user, backend=None):
        original_login(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_static.models import StaticDevice

        from bluehelmet.core.twofactor import two_factor_required

        if two_factor_required(user):
            device, _created = StaticDevice.objects.get_or_create(
                user=user, name="test session", defaults={"confirmed": True}
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "_login", login_and_verify)


@pytest.fixture
def two_factor_enforced():
    """Opt out of two_factor_verified_sessions: a force_login leaves the session unverified."""


@pytest.fixture
def country(db):
    return make_country("Sierra Leone", "451")


@pytest.fixture
def other_country(db):
    return make_country("Central African Republic", "482")


@pytest.fixture
def mission(country):
    m = Mission.objects.create(acronym="UNAMSIL", name="United Nations Mission in Sierra Leone")
    m.host_countries.add(country)
    return m


@pytest.fixture
def other_mission(other_country):
    m = Mission.objects.create(
        acronym="MINUSCA",
        name="United Nations Multidimensional Integrated Stabilization Mission in the Central African Republic",
    )
    m.host_countries.add(other_country)
    return m


@pytest.fixture
def users(mission):
    """One user per role in `mission`, plus a superuser and a user with no mission."""
    made = {role: make_user(role, mission, role) for role in Role.values}
    made["superuser"] = make_user("root", is_superuser=True, is_staff=True)
    made["outsider"] = make_user("outsider")
    return made


@pytest.fixture
def client_for(client):
    """Log the test client in as a given user."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- Data for page and query tests: a few real rows from the shipped files -------------------


def _square(lon, lat, size=0.3):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def sierra_leone(mission, country):
    """UNAMSIL and UNOMSIL in Sierra Leone: districts, Geo-PKO sites and deployments
    (map 4132 Rev. 09, March 2001; map 4132, December 1999), personnel strength,
    Hultman-Kathman-Shannon conflict months 1998-10 to 1999-02, and GED-shaped events."""
    import datetime
    from types import SimpleNamespace

    from bluehelmet.core.models import Organization, Sharing
    from bluehelmet.datasets.models import (
        ConflictEvent,
        ConflictMonth,
        Deployment,
        DeploymentContribution,
        MissionStrength,
    )

    d = datetime.date
    unomsil = Mission.objects.create(acronym="UNOMSIL", name="United Nations Observer Mission in Sierra Leone")
    unomsil.host_countries.add(country)
    for name, lon, lat in (("Western Area", -13.3, 8.3), ("Kenema", -11.3, 7.8)):
        Place.objects.create(
            key=f"adm2:SLE:{name}",
            kind=Place.Kind.ADM2,
            name=name,
            parent=country,
            country=country,
            geometry=_square(lon, lat),
        )

    def site(name, lat, lon):
        return Place.objects.create(
            key=f"site:SLE:{name}", kind=Place.Kind.SITE, name=name, country=country, latitude=lat, longitude=lon
        )

    sites = {
        "Bo": site("Bo", 7.964722, -11.738333),
        "Daru": site("Daru", 7.991944, -10.840556),
        "Freetown": site("Freetown", 8.49, -13.234167),
        "Lungi": site("Lungi", 8.645687, -13.223225),
    }
    states = {
        name: Organization.objects.create(key=f"state:{name}", name=name, kind=Organization.Kind.MEMBER_STATE)
        for name in ("Guinea", "Ghana", "Nigeria", "Jordan")
    }
    march = d(2001, 3, 1)
    rows = [
        ("Bo", 650, Sharing.PUBLIC, {"Guinea": 650}, {}),
        ("Daru", 650, Sharing.MISSION, {"Ghana": 650}, {"observers": True}),
        ("Freetown", 1100, Sharing.MISSION, {"Nigeria": 800, "Jordan": 150}, {"observers": True, "headquarters": 3}),
    ]
    for name, troops, sharing, contributions, extra in rows:
        deployment = Deployment.objects.create(
            mission=mission,
            site=sites[name],
            month=march,
            source="Map no. 4132 Rev. 09",
            troops=troops,
            sharing=sharing,
            contributor_count=len(contributions),
            **extra,
        )
        for state, n in contributions.items():
            DeploymentContribution.objects.create(deployment=deployment, country=states[state], troops=n)
    # Geo-PKO says "unknown" for Lungi on the first UNAMSIL map: unknown, not zero.
    Deployment.objects.create(
        mission=mission,
        site=sites["Lungi"],
        month=d(1999, 12, 1),
        source="Map no. 4132",
        troops=None,
        sharing=Sharing.PUBLIC,
    )

    for m, month, troops, police, observers in (
        (unomsil, d(2000, 11, 1), 12251, 34, 243),
        (unomsil, d(2000, 12, 1), 10137, 34, 249),
        (mission, d(2001, 1, 1), 10151, 33, 253),
    ):
        MissionStrength.objects.create(mission=m, month=month, troops=troops, police=police, observers=observers)

    for month, osv, battle_lag in (
        (d(1998, 10, 1), 0.0, 0.0),
        (d(1998, 11, 1), 0.0, 322.0),
        (d(1998, 12, 1), 0.0, 126.0),
        (d(1999, 1, 1), 240.0, 510.0),
        (d(1999, 2, 1), 0.0, 260.0),
    ):
        ConflictMonth.objects.create(
            conflict_id=187,
            country=country,
            month=month,
            side_a="Sierra Leone",
            side_b="AFRC, RUF",
            mission=unomsil,
            osv_all=osv,
            battle_deaths_lag=battle_lag,
        )

    one_sided, state_based = ConflictEvent.ViolenceType.ONE_SIDED, ConflictEvent.ViolenceType.STATE_BASED
    events = [
        make_event(
            country,
            900001,
            "1999-01-06",
            type_of_violence=one_sided,
            side_a_name="RUF",
            side_b_name="Civilians",
            where_description="Freetown",
            adm_1="Western Area",
            latitude=8.484,
            longitude=-13.234,
            deaths_civilians=120,
            sharing=Sharing.PUBLIC,
        ),
        make_event(
            country,
            900002,
            "1999-01-20",
            type_of_violence=state_based,
            side_a_name="Government of Sierra Leone",
            side_b_name="RUF",
            where_description="Kenema town",
            adm_1="Eastern province",
            latitude=7.877,
            longitude=-11.19,
            deaths_a=4,
            deaths_b=11,
            best=15,
        ),
        make_event(
            country,
            900003,
            "2000-05-08",
            type_of_violence=one_sided,
            side_a_name="RUF",
            side_b_name="Civilians",
            where_description='=HYPERLINK("http://evil")',
            adm_1="Western Area",
            latitude=8.484,
            longitude=-13.234,
            deaths_civilians=20,
            source_article="-2+3 @ Reuters",
        ),
    ]
    return SimpleNamespace(unomsil=unomsil, sites=sites, events=events, march=march)


@pytest.fixture
def car_events(other_mission, other_country):
    """Two real UCDP GED v23.1 rows from the Central African Republic (MINUSCA's host)."""
    from bluehelmet.core.models import Sharing
    from bluehelmet.datasets.models import ConflictEvent

    return [
        make_event(
            other_country,
            36210,
            "2009-02-20",
            type_of_violence=ConflictEvent.ViolenceType.STATE_BASED,
            side_a_name="Government of Uganda",
            side_b_name="LRA",
            where_description="Central African Republic remote southeast",
            latitude=5.399784,
            longitude=26.486881,
            deaths_b=3,
            best=3,
            sharing=Sharing.PUBLIC,
        ),
        make_event(
            other_country,
            22852,
            "1999-06-19",
            type_of_violence=ConflictEvent.ViolenceType.ONE_SIDED,
            side_a_name="Government of Central African Republic",
            side_b_name="Civilians",
            where_description="Bangui city (cattle market in north of )",
            adm_1="Bangui province",
            latitude=4.366667,
            longitude=18.583333,
            deaths_civilians=5,
        ),
    ]


@pytest.fixture
def other_member(other_mission):
    """An analyst of MINUSCA only: must see nothing of UNAMSIL."""
    return make_user("minusca-analyst", other_mission, Role.ANALYST)


@pytest.fixture
def world(db):
    """The canary walk's two missions and visitors (tests/walk/world.py), for one test."""
    from .walk.world import build_world

    return build_world()


# Modules whose tests share an expensive module- or session-scoped fixture (the demo data, the
# walk's world): with `--dist loadgroup` (scripts/test.sh) each runs on one pytest-xdist worker,
# so that fixture is built once instead of once per worker.
SHARED_FIXTURE_GROUPS = {"tests/e2e/": "e2e", "tests/i18n/test_french_pages.py": "french-pages"}


# What tells a test that reads or writes the database (pytest-django's markers and fixtures).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the database (the second database pass of scripts/test.sh: "
        "a test that touches no database gives the same answer on any)",
    )


def uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & set(item.fixturenames))


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = str(item.path).replace(os.sep, "/")
        for part, group in SHARED_FIXTURE_GROUPS.items():
            if f"/{part}" in path:
                item.add_marker(pytest.mark.xdist_group(group))
    if config.getoption("--database-tests-only"):
        kept = [item for item in items if uses_database(item) and not item.get_closest_marker("presentation")]
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
