"""Which records a user may see, as queryset filters. Every view and API endpoint scopes its
data through here; what a user may do in one mission (role, labels, capabilities) is
core.gate's answer.

Rules:
- a superuser is administrator of every mission;
- everyone else sees only the missions they are a member of, with one role in each;
- data tied to a country (events, conflict months) is visible in the host countries of the
  user's missions; where the user is only a partner, only records marked public are;
- partners never import or change anything;
- an import touches only the missions (and their host countries) where the importer holds an
  import role; one that changes shared reference data (deployments, boundaries, the mission
  list, strength, populations) only those the importer administers. A role in one mission
  never reaches another.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from . import gate
from .models import Membership, Mission, Place, Role, Sharing

# Who asks: a logged-in user (the project's user model is Django's own) or an anonymous visitor.
Visitor = User | AnonymousUser

# DDR, civil affairs and humanitarian officers read ordinary mission data like reporters;
# each also works its own area's records (capabilities each app declares to core.gate).
STAFF_ROLES = (Role.ADMINISTRATOR, Role.ANALYST, Role.REPORTER, Role.DDR_OFFICER, Role.CIVIL_AFFAIRS, Role.HUMANITARIAN)
IMPORT_ROLES = (Role.ADMINISTRATOR, Role.ANALYST)


def missions_for(user: Visitor) -> QuerySet[Mission]:
    """The missions the user is a member of, in any role (every mission for a superuser)."""
    return gate.missions_holding(user, Role.values)


def can_import(user: Visitor) -> bool:
    """Whether to offer the imports page at all: an import role in some mission. What a file
    may then touch is decided mission by mission (gate.missions_holding, countries_where)."""
    return bool(gate.roles(user) & set(IMPORT_ROLES))


def countries_where(user: Visitor, roles: Iterable[str]) -> QuerySet[Place]:
    """The host countries of the missions where the user holds one of `roles` (every country
    for a superuser)."""
    if user.is_authenticated and user.is_superuser:
        return Place.objects.filter(kind=Place.Kind.COUNTRY)
    return Place.objects.filter(
        kind=Place.Kind.COUNTRY, missions_hosted__in=gate.missions_holding(user, roles)
    ).distinct()


def _country_ids(user: Visitor, roles: Iterable[str]) -> QuerySet[Place, Any]:
    if not user.is_authenticated:  # e.g. a job whose starter's account is gone: sees nothing
        return Place.objects.none().values("id")
    return Place.objects.filter(missions_hosted__in=gate.missions_holding(user, roles)).values("id")


def country_scope(user: Visitor, country_field: str = "country", sharing_field: str | None = "sharing") -> Q:
    """A filter for records tied to a country: full access in countries where the user is
    staff, public records only where the user is a partner."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    staff = Q(**{f"{country_field}__in": _country_ids(user, STAFF_ROLES)})
    partner = Q(**{f"{country_field}__in": _country_ids(user, (Role.PARTNER,))})
    if sharing_field:
        partner &= Q(**{sharing_field: Sharing.PUBLIC})
    return staff | partner


def mission_scope(user: Visitor, mission_field: str = "mission", sharing_field: str | None = "sharing") -> Q:
    """A filter for records that belong to a mission, with the same partner rule."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    memberships = Membership.objects.filter(user=user)
    staff = Q(**{f"{mission_field}__in": memberships.filter(role__in=STAFF_ROLES).values("mission")})
    partner = Q(**{f"{mission_field}__in": memberships.filter(role=Role.PARTNER).values("mission")})
    if sharing_field:
        partner &= Q(**{sharing_field: Sharing.PUBLIC})
    return staff | partner


def places_for(user: Visitor) -> QuerySet[Place]:
    """Places in the host countries of the user's missions (and points with no country yet
    only for superusers)."""
    if user.is_superuser:
        return Place.objects.all()
    return Place.objects.filter(country__in=_country_ids(user, tuple(Role.values)))
