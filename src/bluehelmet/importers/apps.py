from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportersConfig(AppConfig):
    name = "bluehelmet.importers"
    label = "importers"
    verbose_name = _("Importers")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.demo import REFERENCE_PLACES_AND_MISSIONS, DemoStep, register_demo_step
        from bluehelmet.jobs import register_job_kind

        from .boundaries import BoundaryImporter
        from .gazetteer import GazetteerImporter
        from .missions import MissionCountriesImporter, MissionListImporter
        from .registry import register
        from .tasks import JOB_KIND

        # The import kinds of the shared reference records; each app registers its own.
        register(MissionListImporter, MissionCountriesImporter, BoundaryImporter, GazetteerImporter)
        register_job_kind(JOB_KIND)
        register_demo_step(
            DemoStep("places-missions", REFERENCE_PLACES_AND_MISSIONS, "bluehelmet.importers.demo.PLACES_AND_MISSIONS")
        )
