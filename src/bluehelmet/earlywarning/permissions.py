"""What the roles may do with forecasts, declared to the gate (core.gate): every member reads
the forecasts shared with them (earlywarning.queries.visible_runs); analysts and
administrators run new ones."""

from django.utils.translation import gettext_lazy as _

from bluehelmet.core import gate
from bluehelmet.core.access import IMPORT_ROLES

RUN = gate.declare("earlywarning.run", roles=IMPORT_ROLES, label=_("run forecasts"))
