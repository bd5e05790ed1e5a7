"""Every URL of the URL conf, walked as four kinds of visitor.

The routes come from django.urls.get_resolver(), so a new page, API endpoint or admin
screen is covered as soon as it is routed. Path parameters are filled by name: the records
of mission A all have the primary key A.pk and those of mission B the key B.pk, whatever
their model, so an `<int:pk>` of any view points at a real record of the mission chosen;
acronyms, months and years come from that mission's data too. Each route is requested
with mission A's values and with mission B's.

- anonymous: pages redirect to a login page, DRF views answer 401/403;
- a logged-in user with no mission: no server error, no record of either mission, and
  any list (`results`, GeoJSON `features`) empty;
- a member of mission A: no server error and nothing of mission B, on A's own pages too;
- a superuser: no server error.

The member's and the superuser's answers must also carry the content security policy and the
other security headers, and hold nothing the policy would refuse (tests/security/html_checks.py).
"""

import datetime
import itertools
import json
import re
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize
from rest_framework.views import APIView

from bluehelmet.core.models import Membership, Mission, Organization, Place, Role, Sharing
from bluehelmet.forces.models import Deployment, DeploymentContribution, MissionStrength, SiteYear
from bluehelmet.importers.models import ImportJob
from bluehelmet.incidents.models import ConflictEvent, ConflictMonth

from .security.html_checks import assert_secure_response

# Mission A is UNAMSIL (Sierra Leone), mission B MINUSCA (Central African Republic): rows
# of the shipped Geo-PKO, GED and personnel files, trimmed.
A = SimpleNamespace(pk=4141, acronym="UNAMSIL", name="United Nations Mission in Sierra Leone", month="2000-05", year="2000")
B = SimpleNamespace(pk=4242, acronym="MINUSCA", name="United Nations Multidimensional Integrated Stabilization Mission in the Central African Republic", month="2014-10", year="2014")
# Strings only the records of one mission hold. Country names are left out: static text
# (the data sources page) names both countries; the records' own names do not occur there.
MARKERS = {
    "A": ["United Nations Mission in Sierra Leone", "Kenema town", "Kenema site"],
    "B": [B.acronym, "Multidimensional Integrated Stabilization", "Bria town", "Mbaiki site", "Seleka"],
}

# Not walked, each for its reason:
EXCLUDED_NAMES = {
    "login", "admin:login", "api-token",  # log-ins: open to anonymous visitors on purpose
    "logout", "admin:logout",  # would end the walking user's session
    "set_language",  # i18n: open to all, only sets a cookie
}
EXCLUDED_PREFIXES = ("/" + settings.STATIC_URL.lstrip("/"), "/" + settings.MEDIA_URL.lstrip("/"))  # files, no views


def _value_order(name: str, side) -> list[str]:
    """Values to try for a path parameter, the likeliest for its name first."""
    values = [str(side.pk), side.acronym, side.month, side.year, "json", ".json", "core"]
    hints = [
        (r"acronym|mission|slug", side.acronym),
        (r"month", side.month),
        (r"year", side.year),
        (r"format", "json"),
        (r"format", ".json"),  # DRF's suffix converter includes the dot
        (r"app_label", "core"),
    ]
    preferred = [value for pattern, value in hints if re.search(pattern, name)]
    return list(dict.fromkeys(preferred + values))


@dataclass
class Route:
    label: str
    name: str | None
    callback: object
    paths: dict  # "A"/"B" -> the path filled with that mission's values, None if unfillable

    @property
    def is_drf(self) -> bool:
        view_class = getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)
        return isinstance(view_class, type) and issubclass(view_class, APIView)


def _fill(regex: str, callback, side) -> str | None:
    for template, params in normalize(regex):
        for values in itertools.product(*(_value_order(p, side) for p in params)):
            path = "/" + template % dict(zip(params, values))
            try:
                if resolve(path).func is callback:
                    return path
            except Resolver404:
                continue
    return None


def _walk(resolver, regex="", namespace=None):
    for pattern in resolver.url_patterns:
        full = regex + pattern.pattern.regex.pattern.removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _walk(pattern, full, inner)
        else:
            name = ":".join(filter(None, [namespace, pattern.name])) if pattern.name else None
            yield full, name, pattern.callback


def routes() -> list[Route]:
    found = []
    for regex, name, callback in _walk(get_resolver()):
        if name in EXCLUDED_NAMES:
            continue
        paths = {side: _fill(regex, callback, values) for side, values in (("A", A), ("B", B))}
        if any(path and path.startswith(EXCLUDED_PREFIXES) for path in paths.values()):
            continue
        found.append(Route(label=regex.replace("\\Z", "").replace("$", ""), name=name, callback=callback, paths=paths))
    return found


ROUTES = routes()


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user_model = get_user_model()
    box = {"type": "Polygon", "coordinates": [[[-13.3, 6.9], [-10.3, 6.9], [-10.3, 10.0], [-13.3, 10.0], [-13.3, 6.9]]]}
    car_box = {"type": "Polygon", "coordinates": [[[14.4, 2.2], [27.5, 2.2], [27.5, 11.0], [14.4, 11.0], [14.4, 2.2]]]}
    made = SimpleNamespace(users={})
    for side, country_name, gwno, geometry, site_name, lat, lon in (
        (A, "Sierra Leone", "451", box, "Kenema site", 7.87666667, -11.1875),
        (B, "Central African Republic", "482", car_box, "Mbaiki site", 3.866552, 17.983117),
    ):
        pk = side.pk
        country = Place.objects.create(pk=pk, key=f"country:{country_name}", kind=Place.Kind.COUNTRY, name=country_name, code=gwno, geometry=geometry)
        country.country = country
        country.save()
        site = Place.objects.create(pk=pk + 1, key=f"site:{site_name}", kind=Place.Kind.SITE, name=site_name, parent=country, country=country, latitude=lat, longitude=lon)
        mission = Mission.objects.create(pk=pk, acronym=side.acronym, name=side.name, start=datetime.date(int(side.year) - 1, 1, 1))
        mission.host_countries.add(country)
        # Usernames carry no acronym: lists of users (import jobs, admin) are not mission data.
        user = user_model.objects.create_user(pk=pk, username=f"analyst-{pk}", password="x")
        Membership.objects.create(pk=pk, user=user, mission=mission, role=Role.ANALYST)
        contributor = Organization.objects.create(pk=pk, key=f"state:{gwno}", name=f"Member state {gwno}", kind=Organization.Kind.MEMBER_STATE)
        month = datetime.datetime.strptime(side.month, "%Y-%m").date()
        deployment = Deployment.objects.create(pk=pk, mission=mission, site=site, month=month, source="Map no. 4522", troops=650, sharing=Sharing.PUBLIC)
        DeploymentContribution.objects.create(pk=pk, deployment=deployment, country=contributor, troops=650)
        SiteYear.objects.create(pk=pk, mission=mission, site=site, year=int(side.year), troops=650)
        MissionStrength.objects.create(pk=pk, mission=mission, month=month, authorised_troops=9760, troops=560)
        where, sides = ("Kenema town", ("Government of Sierra Leone", "RUF")) if side is A else ("Bria town", ("CPJP", "Seleka"))
        ConflictEvent.objects.create(
            pk=pk, ged_id=pk, year=month.year, type_of_violence=2, conflict_name=" - ".join(sides), dyad_name=" - ".join(sides),
            side_a_name=sides[0], side_b_name=sides[1], where_description=where, latitude=lat, longitude=lon, country_name=country_name,
            country=country, date_start=month, date_end=month, best=12, high=12, low=12, sharing=Sharing.PUBLIC,
        )
        ConflictMonth.objects.create(pk=pk, conflict_id=pk, country=country, month=month, side_a=sides[0], side_b=sides[1], osv_all=3.0)
        ImportJob.objects.create(pk=pk, kind="ged", file_name="events.csv", created_by=user)
        made.users[side.acronym] = user
    made.member_of_a = made.users[A.acronym]
    made.outsider = user_model.objects.create_user(username="no-mission", password="x")
    made.superuser = user_model.objects.create_superuser(username="root-walk", password="x")
    return made


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _visible_markers(response, path: str, markers) -> list[str]:
    # A page may echo the address it was asked for (a 404 page, a form action): not a leak.
    body = _body(response).replace(path, "")
    return [marker for marker in markers if marker in body]


def _get_as(user, path):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(path)


def _is_login_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    try:
        return resolve(urlsplit(response["Location"]).path).url_name == "login"
    except Resolver404:
        return False


def test_walk_covers_the_url_conf():
    names = {route.name for route in ROUTES}
    for expected in ("home", "admin:index", "api-root", "api-schema", "api-docs", "api-event-list", "api-event-detail", "api-deployment-detail", "mission-detail"):
        assert expected in names, expected
    unfillable = [route.label for route in ROUTES if None in route.paths.values()]
    assert not unfillable, f"no values for the path parameters of {unfillable}: extend _value_order"


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.label)
def test_route(world, route):
    for side, path in route.paths.items():
        # Anonymous visitors are turned away before anything else, writes included.
        for method in ("get", "post"):
            response = getattr(Client(), method)(path)
            assert not _visible_markers(response, path, MARKERS["A"] + MARKERS["B"]), (method, path)
            if route.is_drf:
                assert response.status_code in (401, 403), (method, path, response.status_code)
            else:
                assert _is_login_redirect(response), (method, path, response.status_code)

        response = _get_as(world.outsider, path)
        assert response.status_code < 500, (path, response.status_code)
        assert not _visible_markers(response, path, MARKERS["A"] + MARKERS["B"]), path
        if response.status_code == 200 and "json" in response.get("Content-Type", ""):
            data = json.loads(_body(response))
            if isinstance(data, dict):
                assert data.get("results", []) == [] and data.get("features", []) == [], path

        response = _get_as(world.member_of_a, path)
        assert response.status_code < 500, (path, response.status_code)
        assert not _visible_markers(response, path, MARKERS["B"]), path
        assert_secure_response(response, path, _body(response))

        response = _get_as(world.superuser, path)
        assert response.status_code < 500, (path, response.status_code)
        assert_secure_response(response, path, _body(response))


def test_walk_reaches_mission_a_data(world):
    """The walk is only worth something if it reaches data: with mission A's values, A's
    member sees A's records on some pages and some API routes."""
    seen = {"page": 0, "api": 0}
    for route in ROUTES:
        response = _get_as(world.member_of_a, route.paths["A"])
        if _visible_markers(response, "", MARKERS["A"]):
            seen["api" if route.is_drf else "page"] += 1
    assert seen["page"] >= 1 and seen["api"] >= 3, seen
