"""Two-factor log-in with time-based one-time codes (TOTP, RFC 6238) and single-use backup codes.

Optional for everyone, required for administrators (superusers and mission administrators):
an administrator without a confirmed authenticator is sent to enrolment before anything else,
and anyone who has one must enter a code after the password before any page. django-otp keeps
the devices and marks the session as verified (`request.user.is_verified()`); django-otp also
throttles wrong codes per device, so a code cannot be guessed by brute force.
"""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import device_classes
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import gate
from .models import Role

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup codes"
# Reachable while a log-in waits for its second factor: the two-factor pages themselves,
# logging out, language switching, static files and the installable app's manifest and service
# worker (nothing of a user in them; a browser drops a worker whose script is redirected).
OPEN_PREFIXES = (
    "/accounts/two-factor/",
    "/accounts/logout/",
    "/accounts/login/",
    "/i18n/",
    "/static/",
    "/favicon.ico",
    "/sw.js",
    "/manifest.webmanifest",
)


def two_factor_required(user) -> bool:
    """Administrators must use a second factor: superusers and mission administrators."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or Role.ADMINISTRATOR in gate.roles(user)


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_enrol(user) -> bool:
    return two_factor_required(user) and not has_authenticator(user)


def must_verify(user) -> bool:
    """A user with a confirmed device (optional or required) must prove it once per session."""
    return user.is_authenticated and not user.is_verified() and has_confirmed_device(user)


def has_confirmed_device(user) -> bool:
    """django-otp's user_has_device(user, confirmed=True) in one query (it asks each device
    table in turn): this runs on every request of a user without a second factor."""
    # Kept on the user object, which lives as long as the request: the middleware and the
    # page's menu both ask.
    if not hasattr(user, "_bluehelmet_has_device"):
        first, *rest = (model.objects.filter(user=user, confirmed=True).values("pk") for model in device_classes())
        user._bluehelmet_has_device = (first.union(*rest) if rest else first).exists()
    return user._bluehelmet_has_device


def forget_devices(user) -> None:
    """After adding or removing a device: has_confirmed_device asks the database again."""
    user.__dict__.pop("_bluehelmet_has_device", None)


PENDING_SECRET = "bluehelmet_pending_authenticator"


def pending_authenticator(request) -> TOTPDevice:
    """The authenticator being enrolled, not saved: its secret waits in the session until a code
    confirms it, so opening the page writes no device, and reloading it keeps the secret (a
    code already scanned stays valid)."""
    from django_otp.util import random_hex

    if PENDING_SECRET not in request.session:
        request.session[PENDING_SECRET] = random_hex(20)
    return TOTPDevice(user=request.user, confirmed=False, name=AUTHENTICATOR_NAME, key=request.session[PENDING_SECRET])


def secret_of(device: TOTPDevice) -> str:
    """The base32 secret an authenticator app asks for when typed in by hand, in groups of four."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no script, no external image)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, dark="#0b3d6b")


@transaction.atomic
def confirm_authenticator(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm `device` with a code from the app: it replaces any older authenticator, new
    backup codes are issued, and the session counts as verified. None if the code is wrong."""
    if not device.verify_token(code.replace(" ", "")):
        return None
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    forget_devices(request.user)
    request.session.pop(PENDING_SECRET, None)
    otp_login(request, device)
    return issue_backup_codes(device.user)


@transaction.atomic
def issue_backup_codes(user) -> list[str]:
    """Ten new single-use codes for when the phone is lost; older codes stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_code(request, code: str) -> bool:
    """Check a code from the authenticator app, else a backup code (used up); on success the
    session counts as verified."""
    device = find_device_for_code(request.user, code)
    if device is None:
        return False
    otp_login(request, device)
    return True


def find_device_for_code(user, code: str):
    """The device (authenticator first, then backup codes) that accepts `code`, else None.
    Each device verifies in its own transaction so its throttling counts every failure."""
    code = (code or "").strip().replace(" ", "")
    if not code:
        return None
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, confirmed=True):
            with transaction.atomic():
                device = model.objects.select_for_update().get(pk=device.pk)
                if device.verify_token(code):
                    return device
    return None


@transaction.atomic
def remove_two_factor(user) -> None:
    """Drop the authenticator and backup codes (not allowed for administrators: see views)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    forget_devices(user)


def safe_next(request, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


class TwoFactorMiddleware:
    """After the password: administrators without an authenticator go to enrolment, users
    with one to verification, before any other page. Session calls to the API get a 403
    (token calls are authenticated by DRF later and are not sessions: see api_token)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path_info
        if not user.is_authenticated or path.startswith(OPEN_PREFIXES) or user.is_verified():
            return self.get_response(request)
        if must_enrol(user):
            step, message = "two-factor-enrol", _("Administrators must set up two-factor log-in first.")
        elif must_verify(user):
            step, message = "two-factor-verify", _("Enter the code from your authenticator app first.")
        else:
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
