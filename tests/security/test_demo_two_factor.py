"""The demo admin can log in with what `bluehelmet demo` prints: the authenticator secret or a
backup code."""

import re
import time
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import TOTP

from bluehelmet.core.demo import DEMO_USERS, create_demo_users, describe_demo_two_factor

pytestmark = pytest.mark.usefixtures("two_factor_enforced")
ADMIN = next(user for user in DEMO_USERS if user.username == "admin")


def password_log_in(client):
    response = client.post("/accounts/login/", {"username": ADMIN.username, "password": ADMIN.password})
    assert response.status_code == 302
    assert client.get("/").headers["Location"].startswith("/accounts/two-factor/verify/")


def test_printed_secret_and_backup_codes_log_the_demo_admin_in(db):
    create_demo_users()
    printed = describe_demo_two_factor()
    secret = re.search(r"secret\n\s+([A-Z2-7 ]+)\n", printed).group(1).replace(" ", "")
    codes = re.search(r"backup codes: (.+)", printed).group(1).split(", ")
    assert len(codes) == 10

    client = Client()
    password_log_in(client)
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time()
    assert client.post("/accounts/two-factor/verify/", {"code": f"{totp.token():06d}"}).status_code == 302
    assert client.get("/").status_code == 200

    other = Client()
    password_log_in(other)
    assert other.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 302
    assert other.get("/").status_code == 200
    # Other demo users have no second factor.
    analyst = next(user for user in DEMO_USERS if user.username == "analyst")
    third = Client()
    third.post("/accounts/login/", {"username": analyst.username, "password": analyst.password})
    assert third.get("/").status_code == 200
