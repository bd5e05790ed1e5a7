"""What the roles do in the humanitarian area, declared to the gate (core.gate), on top of
mission membership:

- humanitarian officers and administrators: record and edit needs, activities, deliveries
  and access constraints, and import 3W and needs files;
- analysts: read everything and import files (as they import every kind of data);
- other mission staff (reporters, DDR and civil affairs officers): read;
- partners: read the records marked public (mission_scope's sharing rule).
No personal data is kept here (organisations and places only), so nothing is logged.
"""

from django.utils.translation import gettext_lazy as _

from bluehelmet.core import gate
from bluehelmet.core.models import Role

EDIT_ROLES = (Role.ADMINISTRATOR, Role.HUMANITARIAN)
IMPORT_ROLES = (Role.ADMINISTRATOR, Role.ANALYST, Role.HUMANITARIAN)

EDIT = gate.declare("humanitarian.edit", roles=EDIT_ROLES, label=_("record humanitarian data"))
IMPORT = gate.declare("humanitarian.import", roles=IMPORT_ROLES, label=_("import humanitarian data"))
