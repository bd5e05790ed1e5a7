"""What the roles see of DDR, declared to the gate (core.gate), on top of mission membership:

- DDR officers and administrators: participants' records, personal data included (every
  view or export logged), and the stage forms;
- analysts: aggregate figures only (funnel, weapons per combatant), no personal data;
- reporters and partners: nothing of DDR.
"""

from django.utils.translation import gettext_lazy as _

from bluehelmet.core import gate
from bluehelmet.core.models import Role

RECORD_ROLES = (Role.ADMINISTRATOR, Role.DDR_OFFICER)
AGGREGATE_ROLES = (Role.ADMINISTRATOR, Role.DDR_OFFICER, Role.ANALYST)

RECORDS = gate.declare("ddr.records", roles=RECORD_ROLES, label=_("see DDR participants' records"))
AGGREGATES = gate.declare("ddr.aggregates", roles=AGGREGATE_ROLES, label=_("see DDR figures"))
