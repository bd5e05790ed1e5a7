"""What the roles may do with incidents in a mission, declared to the gate (core.gate):

- reporters, analysts and administrators (and the other staff roles) report incidents and
  see source gradings, alerts and response tasks;
- analysts and administrators verify, merge, run alerts, rules, tasks, ceasefires and the
  taxonomy, and are the only ones to see source identities;
- partners read the incidents marked shared, without sources or attachments.
"""

from django.utils.translation import gettext_lazy as _

from bluehelmet.core import gate
from bluehelmet.core.access import STAFF_ROLES
from bluehelmet.core.models import Role

ANALYST_ROLES = (Role.ADMINISTRATOR, Role.ANALYST)

REPORT = gate.declare("incidents.report", roles=STAFF_ROLES, label=_("report incidents and follow alerts and tasks"))
ANALYSE = gate.declare(
    "incidents.analyse", roles=ANALYST_ROLES, label=_("verify incidents and run alerts, rules and ceasefires")
)
SOURCES = gate.declare("incidents.sources", roles=STAFF_ROLES, label=_("see the gradings of incident sources"))
IDENTITIES = gate.declare(
    "incidents.identities", roles=ANALYST_ROLES, label=_("see who the sources of an incident are")
)
