"""The canary walk: every route of the URL configuration, as every kind of visitor, once.

For each route (tests/walk/routes.py) and each visitor (tests/walk/world.py: anonymous, a user
of no mission, every role of mission A, mission B's analyst, a partner of A who is B's analyst,
a superuser), the route filled with mission A's values is requested once, and every check runs
on that one response:
- anonymous GETs and POSTs are turned away (login page, or 401/403 from the API);
- no server error;
- no canary the visitor may not read (World.allowed), wherever the page got it from;
- HTML: the security headers and content security policy hold (tests/security/html_checks.py)
  and no stored payload comes back as live markup;
- CSV: no cell a spreadsheet would run as a formula;
- JSON: valid, and empty lists for a user of no mission;
- a GET writes nothing but the session and the trail of views of personal data.
Mission A's administrator also requests every route filled with mission B's values: nothing
of B may come back.
"""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.security.html_checks import assert_secure_response

from .routes import ROUTES, body_of, is_login_redirect

# Unescaped payloads as they would appear if a template or script marked them safe.
LIVE_MARKUP = [
    re.compile(r"<script>alert\(1\)", re.I),
    re.compile(r"<img src=x onerror=alert\(1\)>", re.I),
    re.compile(r"<svg/onload=alert\(1\)>", re.I),
    re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I),
]
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)', re.I)
# What a GET may write: the session (log-in state, idle timer) and the trail of who viewed
# sensitive personal data.
WRITES_ALLOWED_ON_GET = {"django_session", "core_sensitiveaccess"}


def _routes_in_two_groups():
    """Each half of the walk on its own test worker, each building the world once."""
    return [
        pytest.param(route, id=route.label, marks=pytest.mark.xdist_group(f"walk-{index % 2}"))
        for index, route in enumerate(ROUTES)
    ]


@pytest.fixture(scope="module")
def clients(walk_world, django_db_blocker):
    """One logged-in client per visitor, administrators past the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from bluehelmet.core.twofactor import two_factor_required

    made = {}
    with django_db_blocker.unblock():
        for name, visitor in walk_world.visitors.items():
            client = Client()
            client.force_login(visitor.user)
            if two_factor_required(visitor.user):
                device = StaticDevice.objects.create(user=visitor.user, name="walk", confirmed=True)
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
            made[name] = client
    return made


def check_response(world, visitor, path: str, response) -> None:
    where = f"{visitor.name} GET {path}"
    assert response.status_code < 500, f"{where}: {response.status_code}"
    body = body_of(response).replace(path, "")  # a page may echo the address it was asked for
    leaks = world.leaks(visitor, body)
    assert not leaks, f"{where} shows " + ", ".join(
        f"{c.token} ({c.where}, side {c.side}, rule {c.rule})" for c in leaks
    )
    content_type = response.get("Content-Type", "")
    if "html" in content_type:
        for pattern in LIVE_MARKUP:
            match = pattern.search(body)
            assert match is None, f"{where}: unescaped payload {body[max(0, match.start() - 200) : match.end() + 50]!r}"
        assert_secure_response(response, path, body)
    elif "text/csv" in content_type and response.status_code == 200:
        for number, row in enumerate(csv.reader(io.StringIO(body)), start=1):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    assert NUMBER.fullmatch(cell), f"{where} row {number}: formula cell {cell!r}"
    elif "json" in content_type and response.status_code == 200:
        data = json.loads(body)
        if not visitor.roles and not visitor.user.is_superuser and isinstance(data, dict):
            assert data.get("results", []) == [] and data.get("features", []) == [], where


def test_walk_covers_the_url_conf():
    names = {route.name for route in ROUTES}
    for expected in (
        "home",
        "admin:index",
        "api-root",
        "api-schema",
        "api-event-list",
        "api-event-detail",
        "mission-detail",
    ):
        assert expected in names, expected
    unfillable = [route.label for route in ROUTES if None in route.paths.values()]
    assert not unfillable, f"no values for the path parameters of {unfillable}: extend routes._value_order"


@pytest.mark.parametrize("route", _routes_in_two_groups())
def test_route(walk_world, clients, db, route):
    path = route.paths["A"]
    for method in ("get", "post"):
        response = getattr(Client(), method)(path)
        assert not walk_world.leaks(walk_world.visitors["no mission"], body_of(response).replace(path, "")), (
            method,
            path,
        )
        if route.is_drf:
            assert response.status_code in (401, 403), (method, path, response.status_code)
        else:
            assert is_login_redirect(response), (method, path, response.status_code)
    for name, visitor in walk_world.visitors.items():
        with CaptureQueriesContext(connection) as queries:
            response = clients[name].get(path)
        written = {match[2] for query in queries.captured_queries if (match := WRITE.match(query["sql"]))}
        assert written <= WRITES_ALLOWED_ON_GET, (
            f"{name} GET {path} writes to {sorted(written - WRITES_ALLOWED_ON_GET)}"
        )
        check_response(walk_world, visitor, path, response)
    administrator = walk_world.visitors["A administrator"]
    other = route.paths["B"]
    check_response(walk_world, administrator, other, clients[administrator.name].get(other))


# Pages where an allowed reader must find a canary: the walk is only worth something if the
# canaries reach pages.
REACHED = [
    ("/missions/UNAMSIL/incidents/4141/", "A analyst", "Incident(red).narrative"),
    ("/missions/UNAMSIL/incidents/4141/sources/4141/identity/", "A analyst", "Source.identity"),
    ("/missions/UNAMSIL/comments/incidents.incident/4141/", "A analyst", "Comment.body (RED incident)"),
    ("/api/alerts/", "A analyst", "Incident(red).killed"),
    ("/missions/UNAMSIL/ddr/participants/4141/", "A ddr_officer", "Participant.full_name"),
    ("/missions/UNAMSIL/civilaffairs/partners/4141/", "A civil_affairs", "PartnerContact.full_name"),
]


@pytest.mark.parametrize("path, visitor, where", REACHED)
def test_walk_reaches_the_canaries(walk_world, clients, db, path, visitor, where):
    body = body_of(clients[visitor].get(path))
    tokens = [canary.token for canary in walk_world.canaries if canary.where == where and canary.side == "A"]
    assert tokens and any(token in body for token in tokens), (path, visitor, where)
