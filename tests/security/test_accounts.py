"""Accounts (issue 13): API tokens expire and die with the password, the roles and the account;
administrators' tokens need a second factor; users change their own password; a mission
administrator resets a member's password and second factor, within their missions only."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bluehelmet.core.models import Membership, Role
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "quiet-river-lantern-42"


def api_with(token: Token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def works(token: Token) -> bool:
    status = api_with(token).get("/api/missions/").status_code
    assert status in (200, 401, 403), status
    return status == 200


def request_token(username, password=PASSWORD, **extra):
    return APIClient().post("/api/auth/token/", {"username": username, "password": password, **extra})


# -- Tokens ------------------------------------------------------------------------------------


def test_a_token_expires_after_the_configured_days(users, settings):
    settings.BLUEHELMET_API_TOKEN_DAYS = 10
    token = Token.objects.create(user=users["reporter"])
    assert works(token)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - datetime.timedelta(days=11))
    assert not works(token)
    assert not Token.objects.filter(user=users["reporter"]).exists()


def test_asking_again_after_expiry_gives_a_new_token_with_its_end(users, settings):
    first = request_token("reporter").json()
    assert "expires" in first
    Token.objects.filter(key=first["token"]).update(
        created=timezone.now() - datetime.timedelta(days=settings.BLUEHELMET_API_TOKEN_DAYS + 1)
    )
    second = request_token("reporter").json()
    assert second["token"] != first["token"] and works(Token.objects.get(key=second["token"]))


def test_a_password_change_by_any_path_revokes_the_tokens(users):
    user = users["reporter"]
    token = Token.objects.create(user=user)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not works(token)
    token = Token.objects.create(user=user)
    user.first_name = "Unrelated"
    user.save()  # a save that does not touch the password keeps the token
    assert works(token)


@pytest.mark.parametrize("change", ["promote", "new membership", "leave", "deactivate", "superuser"])
def test_role_and_account_changes_revoke_the_tokens(users, other_mission, change):
    user = users["reporter"]
    token = Token.objects.create(user=user)
    membership = Membership.objects.get(user=user)
    if change == "promote":
        membership.role = Role.ADMINISTRATOR
        membership.save()
    elif change == "new membership":
        Membership.objects.create(user=user, mission=other_mission, role=Role.ANALYST)
    elif change == "leave":
        membership.delete()
    elif change == "deactivate":
        user.is_active = False
        user.save()
    else:
        user.is_superuser = True
        user.save()
    assert not Token.objects.filter(pk=token.pk).exists()


def test_an_administrators_token_needs_a_confirmed_authenticator(users):
    admin = users["administrator"]
    token = Token.objects.create(user=admin)  # e.g. issued before 2FA was reset
    assert not works(token)
    TOTPDevice.objects.create(user=admin, name="authenticator", confirmed=True)
    assert works(token)


def test_an_administrator_without_authenticator_gets_no_token(users):
    response = request_token("administrator")
    assert response.status_code == 400 and "otp_token" in response.json()
    assert not Token.objects.filter(user=users["administrator"]).exists()


# -- Own password ------------------------------------------------------------------------------


def test_a_user_changes_their_own_password(client_for, users, client):
    user = users["reporter"]
    token = Token.objects.create(user=user)
    client_for(user)
    assert client.get("/accounts/password/").status_code == 200
    wrong = client.post(
        "/accounts/password/", {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert wrong.status_code == 400 and "old_password" in wrong.context["form"].errors
    weak = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"}
    )
    assert weak.status_code == 400 and "new_password2" in weak.context["form"].errors
    done = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200  # this session goes on
    assert not Token.objects.filter(pk=token.pk).exists()


def test_the_password_page_needs_a_log_in(client, db):
    assert client.get("/accounts/password/").status_code == 302


# -- Resets by a mission administrator ---------------------------------------------------------


def reset(client, acronym, user, password=NEW_PASSWORD):
    return client.post(
        f"/missions/{acronym}/members/{user.pk}/reset/", {"new_password1": password, "new_password2": password}
    )


def test_an_administrator_resets_a_members_password_and_second_factor(client_for, users):
    admin, member = users["administrator"], users["reporter"]
    TOTPDevice.objects.create(user=member, name="authenticator", confirmed=True)
    StaticDevice.objects.create(user=member, name="backup codes", confirmed=True)
    token = Token.objects.create(user=member)
    client = client_for(admin)
    page = client.get("/missions/UNAMSIL/members/").content.decode()
    assert f"/missions/UNAMSIL/members/{member.pk}/reset/" in page
    assert reset(client, "UNAMSIL", member, "short").status_code == 400
    assert reset(client, "UNAMSIL", member).status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert not TOTPDevice.objects.filter(user=member).exists() and not StaticDevice.objects.filter(user=member).exists()
    assert not Token.objects.filter(pk=token.pk).exists()
    entry = LogEntry.objects.get_for_object(member).filter(additional_data__reason="password-reset").get()
    assert entry.actor == admin and "password" in entry.changes_dict


@pytest.fixture
def elsewhere(users, other_mission):
    """A reporter of UNAMSIL who administers MINUSCA, and MINUSCA's own administrator."""
    both = make_user("both", users["reporter"].memberships.get().mission, Role.REPORTER)
    Membership.objects.create(user=both, mission=other_mission, role=Role.ADMINISTRATOR)
    return {"both": both, "minusca_admin": make_user("minusca-admin", other_mission, Role.ADMINISTRATOR)}


def test_resets_stay_within_the_administrators_missions(client_for, users, elsewhere):
    client = client_for(users["administrator"])
    page = client.get("/missions/UNAMSIL/members/").content.decode()
    for target in (
        users["superuser"],
        elsewhere["both"],
        elsewhere["minusca_admin"],
        users["administrator"],
        users["outsider"],
    ):
        assert f"/members/{target.pk}/reset/" not in page
        assert reset(client, "UNAMSIL", target).status_code == 404
        target.refresh_from_db()
        assert target.check_password(PASSWORD)
    # Superusers are members of no mission: make one a member, still out of reach.
    Membership.objects.create(
        user=users["superuser"], mission=users["reporter"].memberships.get().mission, role=Role.REPORTER
    )
    assert reset(client, "UNAMSIL", users["superuser"]).status_code == 404


def test_another_missions_administrator_cannot_reset(client_for, users, elsewhere):
    client = client_for(elsewhere["minusca_admin"])
    assert client.get("/missions/UNAMSIL/members/").status_code == 404
    assert reset(client, "UNAMSIL", users["reporter"]).status_code == 404
    assert reset(client, "MINUSCA", users["reporter"]).status_code == 404
    assert get_user_model().objects.get(pk=users["reporter"].pk).check_password(PASSWORD)


@pytest.mark.parametrize("role", ["analyst", "reporter", "partner"])
def test_only_administrators_reach_the_member_pages(client_for, users, role):
    client = client_for(users[role])
    # A member without the capability is refused (403, the gate's answer); nobody is reset.
    assert client.get("/missions/UNAMSIL/members/").status_code == 403
    assert reset(client, "UNAMSIL", users["ddr_officer"]).status_code == 403
