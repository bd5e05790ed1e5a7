"""What the roles may do in the performance area, declared to the gate (core.gate):
- every member reads the framework, estimates and lessons (partners: shared records only);
- administrators and analysts edit the framework, enter values, recompute, write assessments;
- staff (every role but partner) record lessons and request reports;
- reports hold the mission's staff-only data, so partners neither request nor read them."""

from django.utils.translation import gettext_lazy as _

from bluehelmet.core import gate
from bluehelmet.core.access import STAFF_ROLES
from bluehelmet.core.models import Role

MANAGER_ROLES = (Role.ADMINISTRATOR, Role.ANALYST)

MANAGE = gate.declare("performance.manage", roles=MANAGER_ROLES, label=_("edit the results framework and its values"))
STAFF = gate.declare("performance.staff", roles=STAFF_ROLES, label=_("record lessons and request performance reports"))
