"""What the roles may do in civil affairs, declared to the gate (core.gate), on top of mission
membership:

- civil affairs officers and administrators: everything, personal data included (partners'
  contacts, alert senders, complainants; every view and export logged);
- analysts: read everything but personal data, triage alerts, import surveys;
- other staff (reporters, DDR and humanitarian officers): read, submit alerts;
- partners: read what is shared with them (public records, TLP:CLEAR/GREEN alerts) and
  submit community alerts, nothing else;
- administrators alone manage SMS gateways and see every survey import of the mission.
"""

from django.utils.translation import gettext_lazy as _

from bluehelmet.core import gate
from bluehelmet.core.access import STAFF_ROLES
from bluehelmet.core.models import Role

WORK_ROLES = (Role.ADMINISTRATOR, Role.CIVIL_AFFAIRS)
PERSONAL_DATA_ROLES = (Role.ADMINISTRATOR, Role.CIVIL_AFFAIRS)
TRIAGE_ROLES = (Role.ADMINISTRATOR, Role.CIVIL_AFFAIRS, Role.ANALYST)
SURVEY_ROLES = (Role.ADMINISTRATOR, Role.CIVIL_AFFAIRS, Role.ANALYST)
ALERT_ROLES = (*STAFF_ROLES, Role.PARTNER)

WORK = gate.declare(
    "civilaffairs.work",
    roles=WORK_ROLES,
    label=_("record civil affairs work (partners, engagements, grievances, agreements)"),
)
PERSONAL = gate.declare(
    "civilaffairs.personal",
    roles=PERSONAL_DATA_ROLES,
    label=_("see personal data in civil affairs (contacts, alert senders, complainants)"),
)
TRIAGE = gate.declare("civilaffairs.triage", roles=TRIAGE_ROLES, label=_("triage community alerts"))
SURVEYS = gate.declare("civilaffairs.surveys", roles=SURVEY_ROLES, label=_("import perception surveys"))
STAFF = gate.declare(
    "civilaffairs.staff", roles=STAFF_ROLES, label=_("see the mission's staff-only civil affairs pages")
)
ALERT = gate.declare("civilaffairs.alert", roles=ALERT_ROLES, label=_("report community alerts"))
GATEWAYS = gate.declare("civilaffairs.gateways", roles=(Role.ADMINISTRATOR,), label=_("manage SMS gateways"))
SURVEY_JOBS = gate.declare(
    "civilaffairs.survey_jobs",
    roles=(Role.ADMINISTRATOR,),
    label=_("see every perception survey import of the mission"),
)
