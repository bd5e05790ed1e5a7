"""Lockout after repeated failed log-ins (django-axes): per user name and address, on the
log-in page, the admin log-in and the API token endpoint."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client

from bluehelmet.core.models import Role
from tests.factories import PASSWORD, make_user


@pytest.fixture
def analyst(mission):
    return make_user("ana", mission, Role.ANALYST)


def fail(client, username, times, path="/accounts/login/", **extra):
    for _ in range(times):
        response = client.post(path, {"username": username, "password": "wrong-password-1"}, **extra)
        # The attempt that reaches the limit is already answered with the lockout.
        assert response.status_code in (200, 400, 429), response.status_code


def test_locked_out_after_the_limit_even_with_the_right_password(settings, analyst):
    client = Client()
    fail(client, analyst.username, settings.AXES_FAILURE_LIMIT - 1)
    # Under the limit, the right password still works (and clears the count).
    assert client.post("/accounts/login/", {"username": analyst.username, "password": PASSWORD}).status_code == 302
    client = Client()
    fail(client, analyst.username, settings.AXES_FAILURE_LIMIT - 1)
    locked = client.post("/accounts/login/", {"username": analyst.username, "password": "wrong-password-1"})
    assert locked.status_code == 429
    again = client.post("/accounts/login/", {"username": analyst.username, "password": PASSWORD})
    assert again.status_code == 429
    text = again.content.decode()
    assert 'id="locked-out"' in text and "15 minutes" in text and 'value="ana"' in text
    assert client.get("/").status_code == 302  # not logged in


def test_lockout_is_per_user_name_and_address(settings, analyst, mission):
    fail(Client(), analyst.username, settings.AXES_FAILURE_LIMIT)
    other = make_user("other", mission, Role.ANALYST)
    assert Client().post("/accounts/login/", {"username": other.username, "password": PASSWORD}).status_code == 302
    from_elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    assert (
        from_elsewhere.post("/accounts/login/", {"username": analyst.username, "password": PASSWORD}).status_code == 302
    )


def test_cool_off_ends_the_lockout(settings, analyst):
    fail(Client(), analyst.username, settings.AXES_FAILURE_LIMIT)
    assert Client().post("/accounts/login/", {"username": analyst.username, "password": PASSWORD}).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )
    assert Client().post("/accounts/login/", {"username": analyst.username, "password": PASSWORD}).status_code == 302


def test_cool_off_comes_from_the_environment(monkeypatch):
    import importlib

    import bluehelmet.settings as project_settings

    monkeypatch.setenv("BLUEHELMET_LOGIN_COOLOFF_MINUTES", "40")
    monkeypatch.setenv("BLUEHELMET_LOGIN_FAILURE_LIMIT", "3")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.AXES_COOLOFF_TIME == datetime.timedelta(minutes=40) and reloaded.AXES_FAILURE_LIMIT == 3
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_an_administrator_unlocks_in_the_admin(settings, analyst, users):
    fail(Client(), analyst.username, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username=analyst.username)
    admin_client = Client()
    admin_client.force_login(users["superuser"])
    assert admin_client.get("/admin/axes/accessattempt/").status_code == 200
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Client().post("/accounts/login/", {"username": analyst.username, "password": PASSWORD}).status_code == 302


def test_api_token_endpoint_locks_out_with_json(settings, analyst):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert (
            client.post("/api/auth/token/", {"username": analyst.username, "password": "nope-nope-1"}).status_code
            == 400
        )
    assert client.post("/api/auth/token/", {"username": analyst.username, "password": "nope-nope-1"}).status_code == 429
    response = client.post("/api/auth/token/", {"username": analyst.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.json()["detail"]
    # The web log-in is locked for that name and address as well.
    assert client.post("/accounts/login/", {"username": analyst.username, "password": PASSWORD}).status_code == 429


def test_behind_a_proxy_the_forwarded_address_counts(settings, analyst):
    settings.BLUEHELMET_TRUSTED_PROXIES = 1
    proxy = "10.0.0.1"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    fail(attacker, analyst.username, settings.AXES_FAILURE_LIMIT)
    # A forged left-hand entry does not escape the count: the proxy's own entry is the last one.
    forged = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert forged.post("/accounts/login/", {"username": analyst.username, "password": PASSWORD}).status_code == 429
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert colleague.post("/accounts/login/", {"username": analyst.username, "password": PASSWORD}).status_code == 302
