"""schemathesis against the OpenAPI schema served at /api/schema/, in-process through the
WSGI application, as an administrator and as a partner (token authentication).

Every operation of the schema is exercised (a new one is covered as soon as it is routed):
- with valid generated input: no 5xx, and the response conforms to the schema (its status
  code documented, its content type and body as documented);
- with invalid generated input: no 5xx.
All failures are collected and reported together, by operation."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.urls import Resolver404, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis.errors import FailedHealthCheck, Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from bluehelmet.core.models import Role
from bluehelmet.wsgi import application

from .conftest import PROFILE, SKIPPED_APPS, app_of_module, hostile_settings

CONFORMANCE = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
NO_SERVER_ERROR = [schemathesis.checks.not_a_server_error]
EXAMPLES = 4


@pytest.fixture
def in_process_requests():
    """Requests through the bare WSGI handler open and close the database connection
    (request_started, request_finished); inside a test that would end the test's
    transaction, so the handler is told not to, as Django's test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def view_module(path_template: str) -> str:
    """The module of the view serving an operation's path ("{id}" filled with 1)."""
    path = path_template.replace("{", "").replace("}", "")
    for candidate in (path_template.replace("{", "1{").split("{")[0] + path_template.split("}")[-1], path):
        try:
            match = resolve(candidate)
        except Resolver404:
            continue
        view = getattr(match.func, "cls", None) or match.func
        return view.__module__
    return ""


def operations(schema):
    for result in schema.get_all_operations():
        operation = result.ok()
        if app_of_module(view_module(operation.path)) not in SKIPPED_APPS:
            yield operation


def exercise(operation, token: str, mode: GenerationMode, checks) -> list[str]:
    """Generated requests to one operation; the failures found, as text."""
    failures = []
    # Plain answers: schemathesis's WSGI client does not unpack gzip (the compression itself is
    # tested in tests/query_counts/test_delivery.py).
    headers = {"Authorization": f"Token {token}", "Accept-Encoding": "identity"}

    @hostile_settings(max_examples=EXAMPLES)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        with transaction.atomic():  # each request starts from the same data
            try:
                case.call_and_validate(headers=headers, checks=checks)
            finally:
                transaction.set_rollback(True)

    try:
        run()
    except (FailedHealthCheck, Unsatisfiable):
        if mode is not GenerationMode.NEGATIVE:
            raise
        # Nothing can be made invalid (e.g. only a `format` with a default): nothing to test.
    except (Exception, BaseExceptionGroup) as failure:  # hypothesis has shrunk it to the simplest request
        failures.append(f"{operation.label} ({mode.value}): {str(failure)[:1500]}")
    return failures


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.PARTNER])
def test_every_api_operation_conforms_to_its_schema(role, sierra_leone, car_events, users, in_process_requests):
    if role == Role.ADMINISTRATOR:
        # An administrator's token works only with a confirmed authenticator (core.tokens).
        TOTPDevice.objects.create(user=users[role], name="authenticator", confirmed=True)
    token = Token.objects.get_or_create(user=users[role])[0].key
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers={"Authorization": f"Token {token}"})
    schema.config.generation.update(deterministic=PROFILE == "hostile-ci")
    failures, count = [], 0
    for operation in operations(schema):
        count += 1
        failures += exercise(operation, token, GenerationMode.POSITIVE, CONFORMANCE)
        if any(operation.iter_parameters()) or operation.get_request_payload_content_types():  # something to get wrong
            failures += exercise(operation, token, GenerationMode.NEGATIVE, NO_SERVER_ERROR)
    assert count > 20, "the schema lists too few operations: is it complete?"
    assert not failures, f"{len(failures)} failure(s):\n\n" + "\n\n".join(failures)
