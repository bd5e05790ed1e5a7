"""Core's capabilities for the gate (core.gate), and the API's read-only default."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from . import gate
from .models import Role

MEMBERS = gate.declare(
    "core.members",
    roles=(Role.ADMINISTRATOR,),
    label=_("manage the mission's members (reset a password and second factor)"),
)
BASEMAP = gate.declare(
    "core.basemap", roles=(Role.ADMINISTRATOR,), label=_("set the mission's offline basemap (a PMTiles file)")
)


class MissionMemberReadOnly(BasePermission):
    """Logged-in users read; the querysets themselves are scoped to the user's missions
    (see core.access). Writing goes through imports and the admin for now."""

    message = _("The API is read-only: changes go through imports and the admin.")

    def has_permission(self, request, view):
        # An anonymous request gets DRF's "not authenticated" instead of `message`.
        return bool(request.user and request.user.is_authenticated and request.method in SAFE_METHODS)
