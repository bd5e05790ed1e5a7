"""Writes of core's own pages (passwords, the rules in core.password_views; a mission's
basemap file, core.basemaps). One function
per action, each in one transaction; the views write nothing themselves (tests/architecture
keeps it). The change history names the person acting (core.history: the request's user)."""

import logging

from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from . import basemaps, history, twofactor
from .models import Mission, Team

logger = logging.getLogger(__name__)

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


def set_mission_basemap(user, mission: Mission, upload: UploadedFile) -> basemaps.BasemapHeader:
    """Make the uploaded PMTiles file the mission's basemap (core.basemaps.install_basemap: a
    refused file, BasemapError, leaves the current one in place). A file, not a record: the
    log names who set it."""
    header = basemaps.install_basemap(mission, upload.chunks(), upload.name or "")
    logger.info(
        "%s set the basemap of %s: %s (%d bytes)", user.get_username(), mission.acronym, upload.name, header.size
    )
    return header


def remove_mission_basemap(user, mission: Mission) -> bool:
    """Take the mission's basemap away; returns whether it had one."""
    removed = basemaps.remove_basemap(mission)
    if removed:
        logger.info("%s removed the basemap of %s", user.get_username(), mission.acronym)
    return removed


def save_team(user, form) -> Team:
    """Create or change a mission's team from a valid TeamForm, members included, at once."""
    with transaction.atomic():
        return form.save()
