"""A database that stops answering gives a 503 with Retry-After (never a 500 page or a hung
request), and a report sent again with the same client id is stored once."""

import uuid
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bluehelmet.core.models import Role
from bluehelmet.incidents.models import Incident

# Transaction control must still work for the test's own transaction to roll back.
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK")


@contextmanager
def database_down():
    """Every query of this connection fails as it does while PostgreSQL restarts."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
            return execute(sql, params, many, context)
        raise OperationalError("terminating connection due to administrator command")

    with connection.execute_wrapper(refuse):
        yield


def token_client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_the_api_answers_503_with_retry_after(users, sl, report_data):
    client = token_client(users[Role.REPORTER])
    with database_down():
        response = client.get("/api/incidents/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0 and response["Cache-Control"] == "no-store"
    assert "try again" in response.json()["detail"]


def test_a_page_answers_503_when_the_session_cannot_be_read(users, sl):
    # The error comes from a middleware (the session and the user load before any view).
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.ANALYST])
    with database_down():
        response = client.get("/")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert b"<h1>" in response.content and b"Traceback" not in response.content


def test_a_session_that_cannot_be_saved_after_the_view_is_a_503(users, sl, settings):
    """The database goes away after the view ran, when the session is saved (Django answers
    400, SessionInterrupted): the client is asked to retry instead."""
    settings.SESSION_SAVE_EVERY_REQUEST = True
    client = Client(raise_request_exception=False)
    client.force_login(users[Role.ANALYST])

    def refuse_session_writes(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE") and "django_session" in sql:
            connection.errors_occurred = True  # as Django's error wrapper marks a real failure
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_session_writes):
        response = client.get("/")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0


def test_a_bad_request_stays_400(users, sl):
    client = token_client(users[Role.REPORTER])
    response = client.post("/api/incidents/", {"mission": "UNAMSIL", "client_id": "not-a-uuid"}, format="json")
    assert response.status_code == 400


def test_other_errors_stay_500(users, sl, monkeypatch):
    """Only database outages are turned into 503: a bug is still a bug."""
    from bluehelmet.incidents import api

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(api, "submit_report", broken)
    client = token_client(users[Role.REPORTER])
    response = client.post("/api/incidents/", {"mission": "UNAMSIL", "client_id": str(uuid.uuid4())}, format="json")
    assert response.status_code == 500


def test_a_report_sent_again_after_an_outage_is_stored_once(users, sl, report_data):
    client = token_client(users[Role.REPORTER])
    report = {"mission": "UNAMSIL", "client_id": str(uuid.uuid4()), **report_data()}
    with database_down():
        refused = client.post("/api/incidents/", report, format="json")
    assert refused.status_code == 503 and Incident.objects.count() == 0
    stored = client.post("/api/incidents/", report, format="json")  # the device retries, same id
    assert stored.status_code == 201, stored.json()
    again = client.post("/api/incidents/", report, format="json")  # the answer was lost: once more
    assert again.status_code == 200 and again.json()["id"] == stored.json()["id"]
    assert Incident.objects.filter(client_id=report["client_id"]).count() == 1


@pytest.mark.django_db
def test_connections_are_checked_and_connects_time_out(settings):
    from django.db import connections

    assert connections["default"].settings_dict["CONN_HEALTH_CHECKS"] is True
    if connection.vendor == "postgresql":
        assert connections["default"].settings_dict["OPTIONS"]["connect_timeout"] <= 10
