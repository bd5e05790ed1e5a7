"""Shared by the hostile-input tests: hypothesis profiles, the payloads, the areas left
out while under construction, and a fingerprint of the whole database.

Profiles (BLUEHELMET_HOSTILE_PROFILE): "ci" (default; few examples, derandomized, so CI
is deterministic and fast) or "thorough" (many random examples, for a local hunt).
BLUEHELMET_HOSTILE_SKIP_APPS="civilaffairs,humanitarian" leaves those apps' importers and
API operations out of a local run while they are being built; CI runs everything.
"""

import hashlib
import os

import pytest
from django.apps import apps
from hypothesis import HealthCheck, settings

settings.register_profile(
    "hostile-ci",
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "hostile-thorough",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = "hostile-" + os.environ.get("BLUEHELMET_HOSTILE_PROFILE", "ci")


def hostile_settings(**overrides):
    """The selected profile, with per-test overrides (e.g. fewer examples for slow targets)."""
    base = settings.get_profile(PROFILE)
    if PROFILE == "hostile-ci":
        return settings(base, **overrides)
    return base


SKIPPED_APPS = {name.strip() for name in os.environ.get("BLUEHELMET_HOSTILE_SKIP_APPS", "").split(",") if name.strip()}


def app_of_module(module: str) -> str:
    """ "bluehelmet.forces.importers" -> "forces"."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "bluehelmet" else parts[0]


def skip_if_excluded(module: str) -> None:
    if app_of_module(module) in SKIPPED_APPS:
        pytest.skip(f"{app_of_module(module)} left out by BLUEHELMET_HOSTILE_SKIP_APPS")


# Cross-site scripting payloads: each must reach a page only escaped.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "'><svg/onload=alert(1)>",
]
# Spreadsheet formula injection: a CSV cell must never start with one of these unquoted.
FORMULA_PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)", '=HYPERLINK("http://evil")']
SQL_PAYLOADS = [
    "' OR '1'='1",
    "'; DROP TABLE core_mission; --",
    "1) OR (1=1",
    '" OR ""="',
    "%' --",
    "\\",
    "1 UNION SELECT NULL--",
    "%00",
    "\x00",
    "😀" * 3,
    "a" * 5000,
    "-1",
    "1e309",
    "NaN",
]


def database_fingerprint() -> dict[str, str]:
    """Every table's row count and a checksum of its rows, by model: equal fingerprints
    mean nothing was written, updated or deleted."""
    fingerprint = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        digest = hashlib.sha256()
        count = 0
        for row in model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
            count += 1
        fingerprint[model._meta.label] = f"{count}:{digest.hexdigest()[:16]}"
    return fingerprint
