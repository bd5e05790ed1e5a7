"""API tokens: what one is worth and how long it lives.

A token (`Authorization: Token <key>`, from POST /api/auth/token/) stands for its user's
password, and second factor where the user has one, for read access to the API, until the
first of:
- settings.BLUEHELMET_API_TOKEN_DAYS days after it was issued (BLUEHELMET_API_TOKEN_DAYS,
  default 30); an expired token is deleted when it is next presented;
- the user's password changes, by any path that saves the user (the change of the stored
  hash is what counts: set_password, the password pages, the admin, a command);
- a change of the user's roles (a membership added, changed or removed; superuser granted or
  withdrawn): a token issued to a reporter must not become an administrator's;
- the user's deactivation.
An administrator's token also needs a confirmed authenticator: one is only issued against a
code (core.account_views), and is refused when presented while the account has none (e.g.
after promotion, or after the authenticator was reset).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from . import twofactor
from .models import Membership


def token_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.BLUEHELMET_API_TOKEN_DAYS)


def expired(token: Token) -> bool:
    return token.created <= timezone.now() - token_lifetime()


def token_for(user) -> Token:
    """The user's live token, a new one when there is none or it has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


def revoke_tokens(user_id) -> None:
    Token.objects.filter(user_id=user_id).delete()


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication with the rules above: expiry, and administrators' second factor."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("Token expired: ask for a new one."))
        if twofactor.must_enrol(user):
            raise exceptions.AuthenticationFailed(
                _(
                    "Administrators' tokens need two-factor log-in: set it up in the web application, then ask for a new token."
                )
            )
        return user, token


# -- Revocation --------------------------------------------------------------------------------


def _user_changed(sender, instance, **kwargs):
    """Revoke the tokens when the password hash, the active flag or the superuser flag changes."""
    if instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).values("password", "is_active", "is_superuser").first()
    if old is None:
        return
    if (
        old["password"] != instance.password
        or old["is_superuser"] != instance.is_superuser
        or (old["is_active"] and not instance.is_active)
    ):
        revoke_tokens(instance.pk)


def _membership_changed(sender, instance, **kwargs):
    revoke_tokens(instance.user_id)


def connect_receivers() -> None:
    pre_save.connect(_user_changed, sender=get_user_model(), dispatch_uid="tokens-user-changed")
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="tokens-membership-saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="tokens-membership-deleted")
