"""API test data, taken from rows of the shipped data files (src/bluehelmet/data/):

- UNAMSIL (the root conftest's `mission`, Sierra Leone): Geo-PKO deployments at Bo (2000-05)
  and Kenema (2001-06), personnel strength for 2001-01/02, conflict-months 1991-01/02;
- MINUSCA (`other_mission`, Central African Republic): UCDP GED events 33542, 22782 and
  29591, the Geo-PKO deployment at Mbaiki (2014-10) and personnel strength for 2014-05.

The shipped GED extract covers the Central African Republic only, so the event tests log
in as MINUSCA members and check that UNAMSIL's members see none of them.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from bluehelmet.core.models import Membership, Organization, Place, Role, Sharing
from bluehelmet.datasets.models import ConflictEvent, ConflictMonth, Deployment, DeploymentContribution, MissionStrength

LIST_URLS = [
    "/api/missions/",
    "/api/places/",
    "/api/organizations/",
    "/api/events/",
    "/api/deployments/",
    "/api/strengths/",
    "/api/conflict-months/",
]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    """An API client logged in (session) as a given user."""

    def login(user):
        api.force_login(user)
        return api

    return login


def _member(username, mission, role):
    user = get_user_model().objects.create_user(username=username)
    Membership.objects.create(user=user, mission=mission, role=role)
    return user


def _org(key, name, kind):
    return Organization.objects.create(key=key, name=name, kind=kind)


def _place(key, kind, name, parent, country, **extra):
    return Place.objects.create(key=key, kind=kind, name=name, parent=parent, country=country, **extra)


def _event(ged_id, type_of_violence, sides, date, where, adm_1, adm_2, lat, lon, best, sharing, country):
    (side_a, side_a_id, org_a), (side_b, side_b_id, org_b) = sides
    return ConflictEvent.objects.create(
        ged_id=ged_id,
        year=date.year,
        type_of_violence=type_of_violence,
        sharing=sharing,
        conflict_name=f"{side_a} - {side_b}",
        dyad_name=f"{side_a} - {side_b}",
        side_a_name=side_a,
        side_a_new_id=side_a_id,
        side_a=org_a,
        side_b_name=side_b,
        side_b_new_id=side_b_id,
        side_b=org_b,
        where_description=where,
        adm_1=adm_1,
        adm_2=adm_2,
        latitude=lat,
        longitude=lon,
        country_name=country.name,
        country_gwno=int(country.code),
        country=country,
        date_start=date,
        date_end=date,
        best=best,
        high=best,
        low=best,
    )


@pytest.fixture
def world(mission, other_mission, country, other_country, users):
    sl, car = country, other_country
    for c in (sl, car):  # a country is its own country, as core.places.get_or_create_country makes it
        c.country = c
        c.save()
    southern = _place(
        "adm1:SLE:Southern",
        Place.Kind.ADM1,
        "Southern",
        sl,
        sl,
        geometry={
            "type": "Polygon",
            "coordinates": [[[-12.5, 7.0], [-11.0, 7.0], [-11.0, 8.5], [-12.5, 8.5], [-12.5, 7.0]]],
        },
    )
    bo = _place("site:SLE:Bo", Place.Kind.SITE, "Bo", southern, sl, latitude=7.964722, longitude=-11.738333)
    kenema = _place("site:SLE:Kenema", Place.Kind.SITE, "Kenema", sl, sl, latitude=7.87666667, longitude=-11.1875)
    lobaye = _place("adm1:CAF:Lobaye", Place.Kind.ADM1, "Lobaye", car, car)
    mbaiki = _place("site:CAF:Mbaiki", Place.Kind.SITE, "Mbaiki", lobaye, car, latitude=3.866552, longitude=17.983117)

    member_state = Organization.Kind.MEMBER_STATE
    guinea, zambia, ghana, congo = (_org(f"state:{n}", n, member_state) for n in ("Guinea", "Zambia", "Ghana", "Congo"))
    uganda = _org("ucdp:90", "Government of Uganda", Organization.Kind.GOVERNMENT)
    car_gov = _org("ucdp:86", "Government of Central African Republic", Organization.Kind.GOVERNMENT)
    lra = _org("ucdp:488", "LRA", Organization.Kind.ARMED_GROUP)
    cpjp = _org("ucdp:1053", "CPJP", Organization.Kind.ARMED_GROUP)
    seleka = _org("ucdp:554", "Seleka", Organization.Kind.ARMED_GROUP)

    lra_event = _event(
        33542,
        1,
        (("Government of Uganda", 90, uganda), ("LRA", 488, lra)),
        datetime.date(2009, 9, 8),
        "Obo town (Nguili-nguili, 12 km north of Obo)",
        "Haut-Mbomou province",
        "Obo region",
        5.399784,
        26.486881,
        21,
        Sharing.PUBLIC,
        car,
    )
    bangui_event = _event(
        22782,
        3,
        (("Government of Central African Republic", 86, car_gov), ("Civilians", 1, None)),
        datetime.date(1991, 8, 8),
        "Bangui city (barricaded road in)",
        "Bangui province",
        "Bangui region",
        4.366667,
        18.583333,
        0,
        Sharing.MISSION,
        car,
    )
    bria_event = _event(
        29591,
        2,
        (("CPJP", 1053, cpjp), ("Seleka", 554, seleka)),
        datetime.date(2011, 9, 11),
        "Bria town",
        "Haute-Kotto province",
        "Bria region",
        6.54233,
        21.98633,
        12,
        Sharing.PUBLIC,
        car,
    )

    bo_2000 = Deployment.objects.create(
        mission=mission,
        site=bo,
        month=datetime.date(2000, 5, 1),
        source="Map no. 4132 Rev. 04",
        sharing=Sharing.PUBLIC,
        troops=650,
        contributor_count=1,
        observers=True,
        headquarters=0,
    )
    DeploymentContribution.objects.create(deployment=bo_2000, country=guinea, troops=650)
    kenema_2001 = Deployment.objects.create(
        mission=mission,
        site=kenema,
        month=datetime.date(2001, 6, 1),
        source="Map no. 4132 Rev. 11",
        sharing=Sharing.MISSION,
        troops=800,
        contributor_count=2,
        observers=True,
        headquarters=2,
    )
    DeploymentContribution.objects.create(deployment=kenema_2001, country=zambia, troops=650)
    DeploymentContribution.objects.create(deployment=kenema_2001, country=ghana, troops=150)
    mbaiki_2014 = Deployment.objects.create(
        mission=other_mission,
        site=mbaiki,
        month=datetime.date(2014, 10, 1),
        source="Map no. 4522",
        sharing=Sharing.PUBLIC,
        troops=650,
        contributor_count=1,
        headquarters=0,
    )
    DeploymentContribution.objects.create(deployment=mbaiki_2014, country=congo, troops=650)

    def strength(m, month, authorised, deployed, contributors=None):
        (at, ap, ao), (t, p, o) = authorised, deployed
        return MissionStrength.objects.create(
            mission=m,
            month=month,
            authorised_troops=at,
            authorised_police=ap,
            authorised_observers=ao,
            troops=t,
            police=p,
            observers=o,
            contributor_count=contributors,
        )

    unamsil_jan = strength(mission, datetime.date(2001, 1, 1), (13000, 60, 260), (10151, 33, 253), 35)
    unamsil_feb = strength(mission, datetime.date(2001, 2, 1), (13000, 60, 260), (9306, 33, 249), 35)
    minusca_may = strength(other_mission, datetime.date(2014, 5, 1), (9760, 1820, 240), (560, 2, 3))

    def conflict_month(month, **values):
        return ConflictMonth.objects.create(
            conflict_id=187, episode_id=1871, country=sl, month=month, side_a="Sierra Leone", side_b="RUF", **values
        )

    sl_jan = conflict_month(
        datetime.date(1991, 1, 1),
        osv_all=0.0,
        osv_rebels=0.0,
        osv_government=0.0,
        ceasefire=False,
        poc_mandate=False,
        robust_mandate=False,
    )
    sl_feb = conflict_month(
        datetime.date(1991, 2, 1),
        pko_present=False,
        osv_all=0.0,
        osv_rebels=0.0,
        osv_government=0.0,
        troops_lag=0.0,
        police_lag=0.0,
        observers_lag=0.0,
        battle_deaths_lag=0.0,
        ceasefire=False,
        poc_mandate=False,
        robust_mandate=False,
    )

    return SimpleNamespace(
        unamsil=mission,
        minusca=other_mission,
        sl=sl,
        car=car,
        southern=southern,
        bo=bo,
        kenema=kenema,
        lobaye=lobaye,
        mbaiki=mbaiki,
        guinea=guinea,
        lra=lra,
        lra_event=lra_event,
        bangui_event=bangui_event,
        bria_event=bria_event,
        bo_2000=bo_2000,
        kenema_2001=kenema_2001,
        mbaiki_2014=mbaiki_2014,
        unamsil_jan=unamsil_jan,
        unamsil_feb=unamsil_feb,
        minusca_may=minusca_may,
        sl_jan=sl_jan,
        sl_feb=sl_feb,
        # UNAMSIL members from the root conftest, and MINUSCA's own.
        users=users,
        minusca_analyst=_member("minusca-analyst", other_mission, Role.ANALYST),
        minusca_partner=_member("minusca-partner", other_mission, Role.PARTNER),
    )


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The shared fixtures give every user a password; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
