"""Who does what in the humanitarian area, on top of core.access's mission membership.

- humanitarian officers and administrators: record and edit needs, activities, deliveries
  and access constraints, and import 3W and needs files;
- analysts: read everything and import files (as they import every kind of data);
- other mission staff (reporters, DDR and civil affairs officers): read;
- partners: read the records marked public (mission_scope's sharing rule).
No personal data is kept here (organisations and places only), so nothing is logged.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from bluehelmet.core.access import role_in
from bluehelmet.core.missions import visible_mission_or_404
from bluehelmet.core.models import Mission, Role

EDIT_ROLES = (Role.ADMINISTRATOR, Role.HUMANITARIAN)
IMPORT_ROLES = (Role.ADMINISTRATOR, Role.ANALYST, Role.HUMANITARIAN)


def can_edit(user, mission: Mission) -> bool:
    return role_in(user, mission) in EDIT_ROLES


def can_import(user, mission: Mission) -> bool:
    return role_in(user, mission) in IMPORT_ROLES


def mission_for(user, acronym: str, *, edit: bool = False, imports: bool = False) -> Mission:
    """The mission (404 unless a member); 403 unless the role may edit (or import) when asked."""
    mission = visible_mission_or_404(user, acronym)
    if edit and not can_edit(user, mission):
        raise PermissionDenied(_("Only the mission's humanitarian officers and administrators record humanitarian data."))
    if imports and not can_import(user, mission):
        raise PermissionDenied(_("Only the mission's humanitarian officers, analysts and administrators import humanitarian data."))
    return mission
