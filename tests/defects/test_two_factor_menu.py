"""Between the password and the second factor the menu offers no page: each would lead back
to the code prompt (issue 15, section 5)."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("two_factor_enforced")

MENU_LINKS = ('href="/imports/"', 'href="/audit/"', 'href="/admin/"')


def test_menu_hidden_until_the_code_is_entered(client, mission):
    root = make_user("root", is_superuser=True, is_staff=True)
    device = TOTPDevice.objects.create(user=root, name="authenticator", confirmed=True)
    assert client.post("/accounts/login/", {"username": "root", "password": PASSWORD}).status_code == 302

    prompt = client.get("/accounts/two-factor/verify/").content.decode()
    assert not [link for link in MENU_LINKS if link in prompt]
    assert "Log out" in prompt  # leaving stays possible

    totp = TOTP(device.bin_key)
    totp.time = time.time()
    client.post("/accounts/two-factor/verify/", {"code": f"{totp.token():06d}"})
    home = client.get("/").content.decode()
    assert all(link in home for link in MENU_LINKS)


def test_menu_hidden_while_an_administrator_must_enrol(client, mission):
    make_user("root", is_superuser=True, is_staff=True)
    client.post("/accounts/login/", {"username": "root", "password": PASSWORD})
    enrol = client.get("/accounts/two-factor/enrol/").content.decode()
    assert not [link for link in MENU_LINKS if link in enrol]
