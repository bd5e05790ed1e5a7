"""Stored cross-site scripting and CSV formula injection, across every page and export.

Every free-text column of every record (incidents, actors, places, lessons, deployments,
conflict events, import jobs...) is overwritten with a hostile payload, then every route
of the URL conf (the access walk's routes, so new pages are covered as soon as they are
routed) is fetched as the mission's analyst and as a superuser:
- HTML pages never contain a payload unescaped (no live tag, no javascript: link);
- CSV exports never start a cell with = + - @ (spreadsheet formulas);
- JSON and GeoJSON answers are valid JSON.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from bluehelmet.core.models import Membership, Role
from bluehelmet.incidents.reports import submit_report
from bluehelmet.incidents.taxonomy import seed_types
from bluehelmet.performance.models import Lesson

from tests.test_access_walk import ROUTES, _body, world  # noqa: F401 (the walk's data and routes)

from .conftest import FORMULA_PAYLOADS, XSS_PAYLOADS

# Columns that name things in URLs or identify records by code: left as they are, so the
# walk still finds its pages (their display is covered by the other columns).
KEPT_COLUMNS = {"key", "acronym", "code", "username", "password", "slug", "stored_path", "client_id", "email", "language"}
# Unescaped payloads as they would appear if a template or script marked them safe.
LIVE_MARKUP = [
    re.compile(r"<script>alert\(1\)", re.I),
    re.compile(r"<img src=x onerror=alert\(1\)>", re.I),
    re.compile(r"<svg/onload=alert\(1\)>", re.I),
    re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I),
]


def writable_text_fields(model):
    for field in model._meta.concrete_fields:
        if type(field) in (models.CharField, models.TextField) and not field.choices and field.name not in KEPT_COLUMNS:
            yield field


def poison_every_text_column(payloads: list[str]) -> int:
    """Overwrite every free-text value of the project's records with a payload that fits
    the column (unique columns get the row's key appended). Returns the values written."""
    written = 0
    for model in apps.get_models():
        if not model.__module__.startswith("bluehelmet.") or model._meta.proxy:
            continue
        fields = list(writable_text_fields(model))
        if not fields:
            continue
        for number, pk in enumerate(model._base_manager.values_list("pk", flat=True)):
            values = {}
            for k, field in enumerate(fields):
                fitting = [p for p in payloads if not field.max_length or len(p) + 8 <= field.max_length] or [""]
                value = fitting[(number + k) % len(fitting)]
                values[field.name] = f"{value} {pk}" if field.unique and value else value
            model._base_manager.filter(pk=pk).update(**values)
            written += len(values)
    return written


@pytest.fixture
def hostile_world(world, settings):
    """The access walk's two missions, plus an incident (filed as a report) and a lesson."""
    from bluehelmet.core.models import Mission

    mission = Mission.objects.get(acronym="UNAMSIL")
    seed_types(mission)
    reporter = world.member_of_a
    Membership.objects.filter(user=reporter, mission=mission).update(role=Role.ANALYST)
    data = {"type": "armed-clash", "occurred_at": "2000-05-08T10:00:00+00:00", "date_precision": "time",
            "latitude": 7.88, "longitude": -11.19, "narrative": "x", "location_description": "x"}
    submission = submit_report(reporter, mission, data, sources=[{"kind": "witness", "description": "x", "identity": "x",
                                                                  "reliability": "C", "credibility": 3}], casualties=[])
    lesson = Lesson.objects.create(mission=mission, title="x", observation="x", lesson="x", date=datetime.date(2000, 5, 8))
    world.incident = submission.incident
    world.extra_paths = [f"/missions/UNAMSIL/incidents/{world.incident.pk}/", f"/missions/UNAMSIL/lessons/{lesson.pk}/"]
    return world


def fetch_everything(world):
    """(path, response) for every route filled with mission A's values, as A's analyst
    and as a superuser, and for the extra records' pages."""
    paths = [route.paths["A"] for route in ROUTES if route.paths["A"]] + world.extra_paths
    for user in (world.member_of_a, world.superuser):
        client = Client()
        client.force_login(user)
        for path in paths:
            yield path, client.get(path)


def test_pages_escape_stored_payloads(hostile_world):
    assert poison_every_text_column(XSS_PAYLOADS) > 50
    checked, shown = 0, set()
    for path, response in fetch_everything(hostile_world):
        assert response.status_code < 500, (path, response.status_code)
        if path in hostile_world.extra_paths:
            assert response.status_code == 200, path
        content_type = response.get("Content-Type", "")
        body = _body(response)
        if "html" in content_type:
            checked += 1
            if "&lt;script&gt;alert(1)" in body or "&lt;img src=x onerror=alert(1)&gt;" in body or "&lt;svg/onload" in body:
                shown.add(path)
            for pattern in LIVE_MARKUP:
                match = pattern.search(body)
                assert match is None, f"{path}: unescaped payload {body[max(0, match.start() - 200):match.end() + 50]!r}"
        elif "json" in content_type and response.status_code == 200:
            json.loads(body)
    assert checked > 30
    # The test is only worth something if the payloads reached pages (escaped).
    assert set(hostile_world.extra_paths) <= shown and len(shown) >= 10, sorted(shown)


def test_csv_exports_neutralise_formulas(hostile_world):
    assert poison_every_text_column(FORMULA_PAYLOADS) > 50
    exports = 0
    for path, response in fetch_everything(hostile_world):
        assert response.status_code < 500, (path, response.status_code)
        if "text/csv" not in response.get("Content-Type", "") or response.status_code != 200:
            continue
        exports += 1
        for number, row in enumerate(csv.reader(io.StringIO(_body(response))), start=1):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    assert re.fullmatch(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?", cell), f"{path} row {number}: formula cell {cell!r}"
    assert exports >= 2, "the walk reached no CSV export"
