"""The load benchmark's profile (core/profiling.py): off by default, and when on, every request
is written down with its URL name and its time split into middleware, view, template and SQL."""

import json

from django.conf import settings
from django.test import Client
from django.urls import reverse

from bluehelmet.core import profiling
from bluehelmet.core.models import Role


def test_no_probe_unless_the_benchmark_asks_for_one():
    assert not settings.BLUEHELMET_PROFILE_DIR
    assert not any(path.startswith(profiling.PROBE) for path in settings.MIDDLEWARE)


def test_a_profiled_request_is_split_into_its_parts(settings, tmp_path, mission, users):
    settings.BLUEHELMET_PROFILE_DIR = str(tmp_path)
    settings.MIDDLEWARE = profiling.instrument(settings.MIDDLEWARE)
    client = Client()
    client.force_login(users[Role.ANALYST])
    assert client.get(reverse("incidents:index", args=[mission.acronym])).status_code == 200
    assert client.get(reverse("api-incident-list"), {"mission": mission.acronym}).status_code == 200
    assert client.get(reverse("incidents:map-data", args=[mission.acronym])).status_code == 200

    records = [json.loads(line) for path in tmp_path.glob("profile-*.jsonl") for line in path.read_text().splitlines()]
    by_kind = {record["kind"]: record for record in records}
    page, api = by_kind["GET incidents:index"], by_kind["GET api-incident-list"]
    for record in (page, api):
        parts = record["seconds"]
        assert {"view", "sql", "middleware: SessionMiddleware", "middleware: CSPMiddleware"} <= set(parts)
        assert record["queries"]["sql"] >= 1
        # The parts are exclusive: together they are the request's time, give or take the clock.
        assert sum(parts.values()) <= record["total"] * 1.01
    assert page["seconds"]["template"] > 0 and "serialise" not in page["seconds"]
    assert api["seconds"]["serialise"] > 0
    assert by_kind["GET incidents:map-data"]["seconds"]["serialise"] > 0  # JsonResponse
