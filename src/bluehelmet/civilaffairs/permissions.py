"""Who sees and does what in civil affairs, on top of core.access's mission membership.

- civil affairs officers and administrators: everything, personal data included (partners'
  contacts, alert senders, complainants; every view and export logged);
- analysts: read everything but personal data, triage alerts, import surveys;
- other staff (reporters, DDR and humanitarian officers): read, submit alerts;
- partners: read what is shared with them (public records, TLP:CLEAR/GREEN alerts) and
  submit community alerts, nothing else.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from bluehelmet.core.access import STAFF_ROLES, role_in
from bluehelmet.core.missions import visible_mission_or_404
from bluehelmet.core.models import Mission, Role

WORK_ROLES = (Role.ADMINISTRATOR, Role.CIVIL_AFFAIRS)
PERSONAL_DATA_ROLES = (Role.ADMINISTRATOR, Role.CIVIL_AFFAIRS)
TRIAGE_ROLES = (Role.ADMINISTRATOR, Role.CIVIL_AFFAIRS, Role.ANALYST)
SURVEY_ROLES = (Role.ADMINISTRATOR, Role.CIVIL_AFFAIRS, Role.ANALYST)
ALERT_ROLES = (*STAFF_ROLES, Role.PARTNER)


def capabilities(user, mission: Mission) -> dict:
    """Everything a page needs to know, in one role lookup."""
    role = role_in(user, mission)
    return {
        "role": role,
        "work": role in WORK_ROLES,
        "personal": role in PERSONAL_DATA_ROLES,
        "triage": role in TRIAGE_ROLES,
        "surveys": role in SURVEY_ROLES,
        "staff": role in STAFF_ROLES,
        "alert": role in ALERT_ROLES,
    }


def mission_for(user, acronym: str, need: str | None = None) -> tuple[Mission, dict]:
    """The mission (404 unless a member) and the user's capabilities; 403 unless the user
    has capability `need`."""
    mission = visible_mission_or_404(user, acronym)
    can = capabilities(user, mission)
    if need and not can[need]:
        raise PermissionDenied(_("Your role in this mission does not allow this in civil affairs."))
    return mission, can
