"""Who sees what of DDR, on top of core.access's mission membership.

- DDR officers and administrators: participants' records, personal data included (every
  view or export logged), and the stage forms;
- analysts: aggregate figures only (funnel, weapons per combatant), no personal data;
- reporters and partners: nothing of DDR.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from bluehelmet.core.access import role_in
from bluehelmet.core.missions import visible_mission_or_404
from bluehelmet.core.models import Mission, Role

RECORD_ROLES = (Role.ADMINISTRATOR, Role.DDR_OFFICER)
AGGREGATE_ROLES = (Role.ADMINISTRATOR, Role.DDR_OFFICER, Role.ANALYST)


def can_see_records(user, mission: Mission) -> bool:
    return role_in(user, mission) in RECORD_ROLES


def can_see_aggregates(user, mission: Mission) -> bool:
    return role_in(user, mission) in AGGREGATE_ROLES


def mission_for(user, acronym: str, *, records: bool = False) -> Mission:
    """The mission (404 unless a member), 403 unless the role may see DDR aggregates, or,
    with `records`, participants' records."""
    mission = visible_mission_or_404(user, acronym)
    allowed = can_see_records if records else can_see_aggregates
    if not allowed(user, mission):
        raise PermissionDenied(_("Your role in this mission does not give access to DDR records."))
    return mission
