from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "bluehelmet.importers"
    label = "importers"
    verbose_name = _("Importers")

    def ready(self):
        # The import kinds of the shared reference records; each app registers its own.
        from .boundaries import BoundaryImporter
        from .missions import MissionCountriesImporter, MissionListImporter
        from .registry import register

        register(MissionListImporter, MissionCountriesImporter, BoundaryImporter)
