"""The REST API: one router, each app registers its viewsets in its own api.py."""

from rest_framework.routers import DefaultRouter

from bluehelmet.civilaffairs.api import register as register_civilaffairs
from bluehelmet.core.api import register as register_core
from bluehelmet.ddr.api import register as register_ddr
from bluehelmet.earlywarning.api import register as register_earlywarning
from bluehelmet.elections.api import register as register_elections
from bluehelmet.forces.api import register as register_forces
from bluehelmet.humanitarian.api import register as register_humanitarian
from bluehelmet.incidents.api import register as register_incidents
from bluehelmet.performance.api import register as register_performance

router = DefaultRouter()
for register in (
    register_core,
    register_incidents,
    register_forces,
    register_earlywarning,
    register_performance,
    register_elections,
    register_ddr,
    register_civilaffairs,
    register_humanitarian,
):
    register(router)
