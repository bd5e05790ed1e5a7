"""Writes of core's own pages (passwords; the rules are in core.password_views). One function
per action, each in one transaction; the views write nothing themselves (tests/architecture
keeps it). The change history names the person acting (core.history: the request's user)."""

from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.db import transaction

from . import history, twofactor

RESET_REASON = "password-reset"


@transaction.atomic
def change_own_password(form: PasswordChangeForm):
    """Set the user's new password from the validated form (current password checked, the
    password rules passed); their API tokens end with it (core.tokens). Returns the user."""
    return form.save()


@transaction.atomic
def reset_member_password(form: SetPasswordForm):
    """Set a member's new password and drop their authenticator and backup codes; the history
    entry of the change carries the reason "password-reset". Returns the member."""
    with history.audit_reason(RESET_REASON):
        member = form.save()
    twofactor.remove_two_factor(member)
    return member
