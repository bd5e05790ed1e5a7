"""SQL (and other) injection through search and filter parameters: the lessons full-text
search, the events and incidents filters of the pages, and every query parameter of every
API list operation. Each answers with normal results or a clear 400, never a 500, and the
database still answers normally afterwards (on SQLite and PostgreSQL alike)."""

import datetime
import json
from urllib.parse import urlencode

import django_filters
import pytest
from django.test import Client

from bluehelmet.core.models import Mission
from bluehelmet.performance.models import Lesson
from tests.walk.routes import ROUTES
from tests.walk.routes import body_of as _body

from .conftest import SKIPPED_APPS, SQL_PAYLOADS, app_of_module

# The most telling payloads for a full walk (quotes, comment, UNION, NUL, huge).
WALK_PAYLOADS = ["' OR '1'='1", "'; DROP TABLE core_mission; --", "1 UNION SELECT NULL--", "\x00", "a" * 5000]
# Query parameters the pages read themselves (request.GET.get), beside their filter sets'.
PAGE_PARAMETERS = [
    "q",
    "page",
    "status",
    "start",
    "end",
    "since",
    "place",
    "sector",
    "stage",
    "incident",
    "run",
    "on",
    "month",
    "year",
    "type",
    "sort",
    "ordering",
    "format",
]


def filter_parameters() -> list[str]:
    """Every parameter of every django-filter FilterSet in the project."""
    names, pending = set(), list(django_filters.FilterSet.__subclasses__())
    while pending:
        filterset = pending.pop()
        pending += filterset.__subclasses__()
        if filterset.__module__.startswith("bluehelmet."):
            names |= set(filterset.base_filters)
    return sorted(names)


@pytest.fixture
def searchable(world):
    mission = Mission.objects.get(acronym="UNAMSIL")
    Lesson.objects.create(
        mission=mission,
        title="Deploy fast after an agreement",
        observation="Lomé Peace Agreement, 7 July 1999",
        lesson="Troops must arrive while the agreement holds",
        date=datetime.date(2000, 5, 8),
    )
    client = Client()
    client.force_login(world.superuser)
    return client


@pytest.mark.parametrize("payload", SQL_PAYLOADS)
def test_lessons_search_takes_any_text(searchable, payload):
    response = searchable.get("/missions/UNAMSIL/lessons/", {"q": payload})
    assert response.status_code in (200, 400), response.status_code
    # Normal results: a payload of punctuation only is no search (every lesson is listed),
    # one with words finds the lessons with those words; either way a page, not an error.
    if response.status_code == 200:
        assert "<title>" in response.content.decode()
    # The table is still there and the search still works.
    found = searchable.get("/missions/UNAMSIL/lessons/", {"q": "agreement"})
    assert found.status_code == 200 and "Deploy fast after an agreement" in found.content.decode()


def test_pages_survive_hostile_query_parameters(searchable):
    names = sorted(set(PAGE_PARAMETERS) | set(filter_parameters()))
    # Django's own admin pages are left out: their "add" forms take initial values from the
    # query string and fail on a non-numeric foreign key (Django's behaviour, staff only).
    pages = [
        route.paths["A"]
        for route in ROUTES
        if route.paths["A"]
        and not route.is_drf
        and not route.paths["A"].startswith("/admin/")
        and app_of_module(route.callback.__module__) not in SKIPPED_APPS
    ]
    assert len(pages) > 30
    for payload in WALK_PAYLOADS:
        query = urlencode(dict.fromkeys(names, payload))
        for path in pages:
            response = searchable.get(f"{path}?{query}")
            assert response.status_code < 500, (path, payload[:40], response.status_code)
    assert Mission.objects.filter(acronym="UNAMSIL").exists()


def test_api_filters_survive_hostile_values(searchable):
    schema = json.loads(_body(searchable.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")))
    operations = [
        (path, operation)
        for path, item in schema["paths"].items()
        if "{" not in path
        for method, operation in item.items()
        if method == "get"
    ]
    assert len(operations) > 10
    for path, operation in operations:
        names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
        for payload in WALK_PAYLOADS:
            response = searchable.get(path, dict.fromkeys(names, payload))
            assert response.status_code < 500, (path, payload[:40], response.status_code)
            if response.status_code == 400 and "json" in response.get("Content-Type", ""):
                assert json.loads(_body(response)), path  # the field errors, not an empty answer
    assert Mission.objects.filter(acronym="UNAMSIL").exists()
