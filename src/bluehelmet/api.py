"""The REST API: one router, each app registers its viewsets in its own api.py."""

from rest_framework.routers import DefaultRouter

from bluehelmet.core.api import register as register_core
from bluehelmet.forces.api import register as register_forces
from bluehelmet.incidents.api import register as register_incidents

router = DefaultRouter()
for register in (register_core, register_incidents, register_forces):
    register(router)
