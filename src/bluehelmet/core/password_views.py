"""Passwords: every user changes their own; a mission administrator resets a member's.

Rules:
- changing one's own password needs the current one, and the new one passes the password
  rules (settings.AUTH_PASSWORD_VALIDATORS); the session stays logged in, other sessions and
  every API token end (core.tokens);
- a mission administrator resets a member's password and second factor (for a lost phone or
  a forgotten password): the member then logs in with the new password and enrols a new
  authenticator if they need one. Only members all of whose missions the administrator
  administers (a role elsewhere would be handed over with the password), never a superuser,
  never oneself (one's own page is for that);
- the change history records each change, who made it, and for a reset the reason
  "password-reset"; the password itself is masked there.

The writes are in core.services.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import gate, services
from .gate import mission_view
from .models import Membership, Role


@require_http_methods(["GET", "POST"])
def password_change(request):
    # Anonymous visitors never get here: core.middleware.LoginRequiredMiddleware.
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_own_password(form)
        update_session_auth_hash(request, form.user)
        messages.success(
            request,
            _("Your password is changed. Your API tokens stopped working: ask for a new one if you use the API."),
        )
        return redirect("password-change")
    # Administrators reach their missions' member pages (password resets) from here.
    administered = gate.missions_holding(request.user, (Role.ADMINISTRATOR,)).order_by("acronym")
    return render(
        request,
        "registration/password_change.html",
        {"form": form, "administered": administered},
        status=400 if form.errors else 200,
    )


def resettable_members(administrator, mission):
    """The members of `mission` whose password and second factor `administrator` may reset."""
    administered = gate.missions_holding(administrator, (Role.ADMINISTRATOR,))
    elsewhere = Membership.objects.exclude(mission__in=administered).values("user")
    return (
        get_user_model()
        .objects.filter(memberships__mission=mission, is_superuser=False)
        .exclude(pk=administrator.pk)
        .exclude(pk__in=elsewhere)
        .distinct()
        .order_by("username")
    )


@require_http_methods(["GET"])
@mission_view("core.members")
def members(request, access):
    mission = access.mission
    resettable = set(resettable_members(request.user, mission).values_list("pk", flat=True))
    memberships = Membership.objects.filter(mission=mission).select_related("user").order_by("user__username")
    return render(
        request, "registration/members.html", {"mission": mission, "memberships": memberships, "resettable": resettable}
    )


@require_http_methods(["GET", "POST"])
@mission_view("core.members")
def member_reset(request, access, pk):
    mission = access.mission
    member = get_object_or_404(resettable_members(request.user, mission), pk=pk)
    form = SetPasswordForm(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reset_member_password(form)
        messages.success(
            request,
            _(
                "%(user)s's password and second factor are reset. Give them the new password in person; "
                "they set up two-factor log-in again if they need it."
            )
            % {"user": member.get_username()},
        )
        return redirect("mission-members", mission.acronym)
    return render(
        request,
        "registration/member_reset.html",
        {"mission": mission, "member": member, "form": form},
        status=400 if form.errors else 200,
    )
