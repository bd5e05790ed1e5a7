"""Two-factor log-in: required for administrators, optional for everyone else, codes computed
as an authenticator app computes them (RFC 6238)."""

import re
import time
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from bluehelmet.core.models import Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("two_factor_enforced")


def code_for(key: bytes, steps_ahead: int = 0) -> str:
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def log_in(client, user) -> None:
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]


def authenticator_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


@pytest.fixture
def admin_user(mission):
    return make_user("chief", mission, Role.ADMINISTRATOR)


def test_administrator_without_device_is_sent_to_enrolment_before_anything(client, admin_user, mission):
    log_in(client, admin_user)
    for path in ("/", f"/missions/{mission.acronym}/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/enrol/"), path
    assert client.get("/api/missions/").status_code == 403


def test_superuser_must_enrol_too(client, db):
    root = make_user("root", is_superuser=True, is_staff=True)
    log_in(client, root)
    assert client.get("/").headers["Location"].startswith("/accounts/two-factor/enrol/")


def test_enrolment_with_a_real_code_verifies_the_session_and_issues_backup_codes(client, admin_user, mission):
    log_in(client, admin_user)
    page = client.get("/accounts/two-factor/enrol/?next=/missions/UNAMSIL/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))

    wrong = client.post("/accounts/two-factor/enrol/", {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert wrong.status_code == 200 and "does not match" in wrong.content.decode()
    assert client.get("/").status_code == 302  # still not through
    TOTPDevice.objects.get(user=admin_user).throttle_reset()  # the wrong code started the back-off

    done = client.post("/accounts/two-factor/enrol/", {"code": code_for(key), "next": "/missions/UNAMSIL/"})
    codes = re.findall(r"<li>([a-z0-9]+)</li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    assert TOTPDevice.objects.get(user=admin_user).confirmed
    assert client.get("/missions/UNAMSIL/").status_code == 200
    assert client.get("/api/missions/").status_code == 200


def test_reloading_the_enrolment_page_keeps_the_secret(client, admin_user):
    log_in(client, admin_user)
    first = re.search(r'id="totp-secret">([^<]+)<', client.get("/accounts/two-factor/enrol/").content.decode()).group(1)
    second = re.search(r'id="totp-secret">([^<]+)<', client.get("/accounts/two-factor/enrol/").content.decode()).group(
        1
    )
    assert first == second


def test_administrator_with_device_must_verify_and_wrong_codes_are_refused(client, admin_user):
    device = authenticator_for(admin_user)
    log_in(client, admin_user)
    assert client.get("/").headers["Location"].startswith("/accounts/two-factor/verify/")
    # With only the password, nobody can swap the authenticator for their own.
    assert client.get("/accounts/two-factor/enrol/").headers["Location"] == "/accounts/two-factor/verify/"

    wrong = client.post("/accounts/two-factor/verify/", {"code": "12345x"})
    assert wrong.status_code == 200 and "wrong or already used" in wrong.content.decode()
    assert client.get("/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()  # the wrong code above started django-otp's back-off
    ok = client.post("/accounts/two-factor/verify/", {"code": code_for(device.bin_key), "next": "/about/data/"})
    assert ok.status_code == 302 and ok["Location"] == "/about/data/"
    assert client.get("/").status_code == 200


def test_verification_refuses_an_outside_next_address(client, admin_user):
    device = authenticator_for(admin_user)
    log_in(client, admin_user)
    ok = client.post(
        "/accounts/two-factor/verify/", {"code": code_for(device.bin_key), "next": "https://evil.example/"}
    )
    assert ok["Location"] == "/"


def test_a_backup_code_works_once(admin_user):
    authenticator_for(admin_user)
    static = StaticDevice.objects.create(user=admin_user, name="backup codes", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd1234")
    first = Client()
    log_in(first, admin_user)
    assert first.post("/accounts/two-factor/verify/", {"code": "abcd1234"}).status_code == 302
    assert first.get("/").status_code == 200
    second = Client()
    log_in(second, admin_user)
    assert second.post("/accounts/two-factor/verify/", {"code": "abcd1234"}).status_code == 200
    assert second.get("/").status_code == 302


def test_optional_for_other_roles_but_enforced_once_set_up(client, mission):
    analyst = make_user("ana", mission, Role.ANALYST)
    log_in(client, analyst)
    assert client.get("/").status_code == 200
    assert "Off:" in client.get("/accounts/two-factor/").content.decode()

    device = authenticator_for(analyst)
    fresh = Client()
    log_in(fresh, analyst)
    assert fresh.get("/").headers["Location"].startswith("/accounts/two-factor/verify/")
    fresh.post("/accounts/two-factor/verify/", {"code": code_for(device.bin_key)})
    assert fresh.get("/").status_code == 200
    # A verified analyst may turn it off; an administrator may not.
    fresh.post("/accounts/two-factor/remove/")
    assert not TOTPDevice.objects.filter(user=analyst).exists()


def test_administrators_cannot_turn_it_off(client, admin_user):
    device = authenticator_for(admin_user)
    log_in(client, admin_user)
    client.post("/accounts/two-factor/verify/", {"code": code_for(device.bin_key)})
    client.post("/accounts/two-factor/remove/")
    assert TOTPDevice.objects.filter(user=admin_user).exists()


def test_new_backup_codes_replace_the_old_ones(client, admin_user):
    device = authenticator_for(admin_user)
    log_in(client, admin_user)
    client.post("/accounts/two-factor/verify/", {"code": code_for(device.bin_key)})
    first = re.findall(r"<li>([a-z0-9]+)</li>", client.post("/accounts/two-factor/backup-codes/").content.decode())
    second = re.findall(r"<li>([a-z0-9]+)</li>", client.post("/accounts/two-factor/backup-codes/").content.decode())
    assert len(first) == len(second) == 10
    assert set(StaticToken.objects.filter(device__user=admin_user).values_list("token", flat=True)) == set(second)


def test_api_token_for_administrators_needs_the_second_factor(client, admin_user, mission):
    url = "/api/auth/token/"
    credentials = {"username": admin_user.username, "password": PASSWORD}
    no_device = client.post(url, credentials)
    assert no_device.status_code == 400 and "otp_token" in no_device.json()

    device = authenticator_for(admin_user)
    missing = client.post(url, credentials)
    assert missing.status_code == 400 and "otp_token" in missing.json()
    device.refresh_from_db()
    device.throttle_reset()
    granted = client.post(url, credentials | {"otp_token": code_for(device.bin_key)})
    assert granted.status_code == 200
    assert granted.json()["token"] == Token.objects.get(user=admin_user).key

    # Others without a device get a token with the password alone, as before.
    reporter = make_user("rep", mission, Role.REPORTER)
    assert client.post(url, {"username": reporter.username, "password": PASSWORD}).status_code == 200


def test_force_login_sessions_are_verified_unless_a_test_opts_out(pytester_free_client, admin_user):
    """The autouse fixture in tests/conftest.py marks forced log-ins as verified (this module
    opts out, so here the session is not)."""
    pytester_free_client.force_login(admin_user)
    assert pytester_free_client.get("/").status_code == 302


@pytest.fixture
def pytester_free_client():
    return Client()
