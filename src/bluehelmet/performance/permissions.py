"""Who may do what in this area, on top of core.access's scoping:
- every member reads the framework, estimates and lessons (partners: shared records only);
- administrators and analysts edit the framework, enter values, recompute, write assessments;
- staff (administrators, analysts, reporters) record lessons and request reports;
- reports hold the mission's staff-only data, so partners neither request nor read them."""

from bluehelmet.core.access import STAFF_ROLES, role_in
from bluehelmet.core.models import Role

MANAGER_ROLES = (Role.ADMINISTRATOR, Role.ANALYST)


def can_manage(user, mission) -> bool:
    return role_in(user, mission) in MANAGER_ROLES


def is_staff_member(user, mission) -> bool:
    return role_in(user, mission) in STAFF_ROLES
