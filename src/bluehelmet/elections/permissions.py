"""What the roles may do with elections, declared to the gate (core.gate):

- staff (every role but partner) read the rounds, their dashboards and results, and file
  observer reports and incidents;
- analysts and administrators compute risk, plan security, import results, record
  trainings and configure checklists;
- partners see the list of shared elections only.
"""

from django.utils.translation import gettext_lazy as _

from bluehelmet.core import gate
from bluehelmet.core.access import IMPORT_ROLES, STAFF_ROLES

STAFF = gate.declare("elections.staff", roles=STAFF_ROLES, label=_("follow election rounds"))
MANAGE = gate.declare(
    "elections.manage", roles=IMPORT_ROLES, label=_("plan elections' security and import their results")
)
