"""What the roles may do in the forces area, declared to the gate (core.gate):

- every member sees the units and bases (partners: what is public);
- staff (every role but partner) see training, the allocation plan, patrols, equipment and
  recognition, and record patrols and equipment;
- analysts and administrators import forces data, run allocation plans, enter risk by hand
  and propose awards;
- administrators alone decide on awards and see every forces import of the mission.
"""

from django.utils.translation import gettext_lazy as _

from bluehelmet.core import gate
from bluehelmet.core.access import IMPORT_ROLES, STAFF_ROLES
from bluehelmet.core.models import Role

STAFF = gate.declare(
    "forces.staff",
    roles=STAFF_ROLES,
    label=_("see the force's staff pages (training, plans, patrols, equipment, recognition)"),
)
MANAGE = gate.declare("forces.manage", roles=IMPORT_ROLES, label=_("import forces data, run plans and propose awards"))
DECIDE_AWARDS = gate.declare("forces.decide_awards", roles=(Role.ADMINISTRATOR,), label=_("decide on awards"))
IMPORT_JOBS = gate.declare(
    "forces.import_jobs", roles=(Role.ADMINISTRATOR,), label=_("see every forces import of the mission")
)
