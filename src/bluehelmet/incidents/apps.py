from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "bluehelmet.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from bluehelmet.importers.registry import register

        from .importers import AcledIncidentImporter, GedIncidentImporter
        from .importers.conflict_months import ConflictMonthImporter
        from .importers.ged import GedImporter

        register(GedImporter, ConflictMonthImporter, GedIncidentImporter, AcledIncidentImporter)
