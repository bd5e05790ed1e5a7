"""The one gate: which missions, which labels and which capabilities a user has in a mission.

Every page, API endpoint and import that acts in a mission asks here; no app decides who may
do what on its own (docs/adr/0002-one-access-gate.md).

Rules:
- a user sees a mission when they are a member of it (superusers: every mission, as
  administrators); anyone else gets 404, the same answer as for a mission that does not exist,
  so acronyms do not leak;
- the user's role in the mission fixes the sensitivity labels they see (core.sensitivity
  VISIBLE_TO) and the capabilities they have;
- each app declares its capabilities in its own `<app>/permissions.py` (found at first use,
  like admin.py and retention.py), naming the roles that have each one:

      from bluehelmet.core import gate

      RECORDS = gate.declare("ddr.records", roles=(Role.ADMINISTRATOR, Role.DDR_OFFICER),
                             label=_("see DDR participants' records"))

- a capability nobody declared is a programming error (LookupError), never a silent "no";
- the user's memberships are read once per user object (one query per request), then cached
  on it; every question about the user's roles (here, two-factor, audit) shares that read.

Pages use `@mission_view("ddr.records")`: the view is called as `view(request, access, ...)`
with `access.mission` the mission of the `acronym` URL argument. The API uses
`CapabilityPermission`, templates `{% if user|access_in:mission|can:"ddr.aggregates" %}`
or `{% if access|can:"..." %}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission

from .discovery import discover
from .models import Membership, Mission, Role
from .sensitivity import VISIBLE_TO

# The attribute of a user object caching (generation, {mission id: role}).
_CACHE = "_bluehelmet_gate_roles"


@dataclass(frozen=True)
class Capability:
    name: str
    roles: frozenset[str]
    label: str  # what it allows, as the end of "Your role in this mission does not allow you to …"


_capabilities: dict[str, Capability] = {}


def declare(name: str, *, roles, label) -> Capability:
    """Declare a capability and the roles that have it. Declaring the same name twice with
    other roles is refused, so two apps cannot disagree on one capability."""
    capability = Capability(name, frozenset(str(role) for role in roles), label)
    known = _capabilities.get(name)
    if known is not None and known.roles != capability.roles:
        raise ImproperlyConfigured(f"Capability {name!r} declared twice with different roles.")
    _capabilities[name] = capability
    return capability


def capabilities() -> dict[str, Capability]:
    """Every declared capability by name (each app's permissions.py imported first)."""
    discover("permissions")
    return dict(_capabilities)


def capability(name: str) -> Capability:
    try:
        return capabilities()[name]
    except KeyError:
        raise LookupError(f"No app declared the capability {name!r}.") from None


@dataclass(frozen=True)
class Access:
    """What one user may do in one mission."""

    mission: Mission
    role: str | None
    labels: frozenset[str]
    capabilities: frozenset[str]

    def can(self, name: str) -> bool:
        capability(name)  # an undeclared name is a typo, not a refusal
        return name in self.capabilities

    def require(self, name: str) -> None:
        """PermissionDenied (403) with a message saying what the role does not allow."""
        if not self.can(name):
            raise PermissionDenied(
                _("Your role in this mission does not allow you to %(capability)s.")
                % {"capability": capability(name).label}
            )


# Bumped whenever a membership is saved or deleted, so a cached answer never outlives a change
# made in this process (other processes build theirs per request).
_generation = 0


def _membership_changed(**kwargs) -> None:
    global _generation
    _generation += 1


post_save.connect(_membership_changed, sender=Membership, dispatch_uid="gate-membership-saved")
post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="gate-membership-deleted")


def memberships(user) -> dict[int, str]:
    """Mission id -> role for every mission the user is a member of: one query per user object
    (so per request), shared by every question asked about the user on that request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None or cached[0] != _generation:
        cached = (_generation, dict(Membership.objects.filter(user=user).values_list("mission_id", "role")))
        setattr(user, _CACHE, cached)
    return cached[1]


def forget(user) -> None:
    """Drop the cached memberships of this user object (after a bulk update bypassing signals)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def roles(user) -> set[str]:
    """The user's roles across all their missions (superusers: administrator)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {Role.ADMINISTRATOR}
    return set(memberships(user).values())


def missions_as(user, role: str) -> list[int] | None:
    """The ids of the missions where the user has this role (None: every mission, a superuser
    asking for administrator)."""
    if user.is_authenticated and user.is_superuser and role == Role.ADMINISTRATOR:
        return None
    return [mission_id for mission_id, held in memberships(user).items() if held == role]


def _access(mission: Mission, role: str | None) -> Access:
    return Access(
        mission=mission,
        role=role,
        labels=frozenset(str(label) for label in VISIBLE_TO.get(role, ())),
        capabilities=frozenset(name for name, cap in capabilities().items() if role in cap.roles),
    )


def role_in(user, mission: Mission) -> str | None:
    """The user's role in the mission (None: not a member); superusers administer every mission."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return memberships(user).get(mission.pk)


def access(user, mission: Mission) -> Access:
    """What the user may do in this mission (no capability at all when not a member)."""
    return _access(mission, role_in(user, mission))


def mission_access_or_404(user, acronym) -> Access:
    """The user's access to the mission with this acronym, or 404 when it does not exist or the
    user may not see it (the same answer for both)."""
    mission = None
    if user.is_authenticated and isinstance(acronym, str):
        missions = Mission.objects.filter(acronym=acronym)
        if not user.is_superuser:
            missions = missions.filter(pk__in=list(memberships(user)))
        mission = missions.first()
    if mission is None:
        raise Http404("No such mission.")
    return access(user, mission)


def missions_holding(user, roles) -> QuerySet[Mission]:
    """The missions where the user holds one of `roles` (every mission for a superuser)."""
    if not user.is_authenticated:
        return Mission.objects.none()
    if user.is_superuser:
        return Mission.objects.all()
    return Mission.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def missions_with(user, name: str) -> QuerySet[Mission]:
    """The missions where the user has this capability (a superuser acts as administrator)."""
    roles = capability(name).roles
    if user.is_authenticated and user.is_superuser and Role.ADMINISTRATOR not in roles:
        return Mission.objects.none()
    return missions_holding(user, roles)


def mission_view(name: str | None = None):
    """Decorate a view taking the `acronym` URL argument: 404 unless the user sees the mission,
    403 unless they have capability `name` (when given); the view is called as
    `view(request, access, *args, **kwargs)`."""
    if name is not None:
        capability(name)  # fail at import time on a typo

    def decorate(view):
        @wraps(view)
        def wrapper(request, acronym, *args, **kwargs):
            mission_access = mission_access_or_404(request.user, acronym)
            if name is not None:
                mission_access.require(name)
            return view(request, mission_access, *args, **kwargs)

        wrapper.gate_capability = name or ""  # marks the view as gated (tests walk the URL conf)
        return wrapper

    return decorate


class CapabilityPermission(BasePermission):
    """DRF permission: the mission the request acts in must be one the user sees, and the
    user must have `capability` there. The mission is the view's `acronym` URL argument (404
    when not visible, as for pages) or else the `mission` field of the request body (400 when
    not one of the user's missions: the body is wrong). With `actions`, only those view actions
    are checked. The Access is left on `request.mission_access` for the view.
    Use `requires("incidents.report", actions=("create",))`."""

    capability: str = ""
    actions: tuple[str, ...] | None = None
    message = gettext_lazy("Your role in this mission does not allow this.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if self.actions is not None and getattr(view, "action", None) not in self.actions:
            return True
        acronym = (getattr(view, "kwargs", None) or {}).get("acronym")
        if acronym is not None:
            mission_access = mission_access_or_404(request.user, acronym)
        else:
            body = request.data if isinstance(request.data, dict) else {}
            try:
                mission_access = mission_access_or_404(request.user, body.get("mission"))
            except Http404:
                raise ValidationError({"mission": [_("Not one of your missions.")]}) from None
        request.mission_access = mission_access
        if not mission_access.can(self.capability):
            self.message = _("Your role in this mission does not allow you to %(capability)s.") % {
                "capability": capability(self.capability).label
            }
            return False
        return True


def requires(name: str, actions: tuple[str, ...] | None = None) -> type[CapabilityPermission]:
    """A CapabilityPermission class for capability `name` (on `actions` only, when given)."""
    capability(name)
    return type(f"Requires_{name.replace('.', '_')}", (CapabilityPermission,), {"capability": name, "actions": actions})
