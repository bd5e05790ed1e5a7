from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForcesConfig(AppConfig):
    name = "bluehelmet.forces"
    label = "forces"
    verbose_name = _("Forces")

    def ready(self):
        from bluehelmet.importers.registry import register

        from .importers import FORCES_IMPORTERS
        from .importers.geopko import GeoPkoImporter
        from .importers.geopko_years import ContributorsImporter, FrontmapImporter, TroopTypesImporter
        from .importers.strength import StrengthImporter

        register(GeoPkoImporter, FrontmapImporter, TroopTypesImporter, ContributorsImporter, StrengthImporter, *FORCES_IMPORTERS)
