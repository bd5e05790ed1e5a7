"""Account security pages: two-factor enrolment, verification and backup codes, and the API
token endpoint that asks administrators for their second factor too."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from . import twofactor
from .security import lockout_response
from .tokens import token_for, token_lifetime


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        strip=True,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if not twofactor.must_verify(request.user):
        return redirect(twofactor.safe_next(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if twofactor.verify_code(request, form.cleaned_data["code"]):
            if twofactor.backup_codes_left(request.user) <= 2:
                messages.warning(request, _("Few backup codes left: issue new ones on the two-factor page."))
            return redirect(twofactor.safe_next(request))
        form.add_error("code", _("This code is wrong or already used. Wait for the next code and try again."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": twofactor.safe_next(request)})


@require_http_methods(["GET", "POST"])
def two_factor_enrol(request):
    # Someone holding only the password must not swap the authenticator for their own.
    if twofactor.must_verify(request.user):
        return redirect("two-factor-verify")
    device = twofactor.pending_authenticator(request)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = twofactor.confirm_authenticator(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(
                request, "registration/two_factor_codes.html", {"codes": codes, "next": twofactor.safe_next(request)}
            )
        form.add_error("code", _("This code does not match. Check the time on your phone and enter the current code."))
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "secret": twofactor.secret_of(device),
            "qr_svg": twofactor.qr_code_svg(device),
            "next": twofactor.safe_next(request),
            "required": twofactor.two_factor_required(request.user),
        },
    )


def two_factor_status(request):
    if twofactor.must_verify(request.user):
        return redirect("two-factor-verify")
    user = request.user
    return render(
        request,
        "registration/two_factor.html",
        {
            "enrolled": twofactor.has_authenticator(user),
            "required": twofactor.two_factor_required(user),
            "backup_codes_left": twofactor.backup_codes_left(user),
        },
    )


@require_POST
def two_factor_backup_codes(request):
    if not request.user.is_verified():
        return redirect("two-factor-verify")
    codes = twofactor.issue_backup_codes(request.user)
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": ""})


@require_POST
def two_factor_remove(request):
    user = request.user
    if twofactor.two_factor_required(user):
        messages.error(request, _("Administrators must keep two-factor log-in."))
    elif user.is_verified():
        twofactor.remove_two_factor(user)
        messages.success(request, _("Two-factor log-in is off for your account."))
    return redirect("two-factor")


class TokenRequestSerializer(AuthTokenSerializer):
    otp_token = serializers.CharField(
        label=_("Two-factor code"),
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_(
            "Required for accounts with two-factor log-in: a code from the authenticator app or a backup code."
        ),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if twofactor.must_enrol(user):
            raise serializers.ValidationError(
                {"otp_token": [_("Set up two-factor log-in in the web application before asking for a token.")]}
            )
        if (
            twofactor.has_confirmed_device(user)
            and twofactor.find_device_for_code(user, attrs.get("otp_token", "")) is None
        ):
            raise serializers.ValidationError(
                {"otp_token": [_("A valid two-factor code is required for this account.")]}
            )
        return attrs


class ObtainTokenView(ObtainAuthToken):
    """Exchange a user name and password (and, for accounts with two-factor log-in, a code)
    for an API token, valid until `expires` (see core.tokens for what revokes it earlier).
    Failed attempts count towards the log-in lockout."""

    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "AuthToken", {"token": serializers.CharField(), "expires": serializers.DateTimeField()}
            ),
            400: OpenApiResponse(
                response=inline_serializer(
                    "TokenRequestErrors",
                    {
                        name: serializers.ListField(child=serializers.CharField(), required=False)
                        for name in ("username", "password", "otp_token", "non_field_errors")
                    },
                ),
                description="Wrong credentials, or a missing or wrong two-factor code: errors per field.",
            ),
            429: OpenApiResponse(
                response=inline_serializer("LockedOut", {"detail": serializers.CharField()}),
                description="Locked out after too many failed log-ins.",
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        # The axes backend refuses a locked-out user name and address before the password is
        # checked, and flags the request it was given (DRF's) when this attempt locks it.
        if getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False):
            return lockout_response(request._request)
        if not valid:
            raise serializers.ValidationError(serializer.errors)
        token = token_for(serializer.validated_data["user"])
        return Response({"token": token.key, "expires": (token.created + token_lifetime()).isoformat()})
