from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatasetsConfig(AppConfig):
    """Reference data: the published data sets about conflicts and UN presence that every
    area reads (conflict events and months, Geo-PKO deployments, site-years, mission strength)."""

    name = "bluehelmet.datasets"
    label = "datasets"
    verbose_name = _("Reference data")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.demo import REFERENCE_DATA, DemoStep, register_demo_step
        from bluehelmet.importers.registry import register

        from .importers import DATASET_IMPORTERS

        register(*DATASET_IMPORTERS)
        register_demo_step(DemoStep("datasets", REFERENCE_DATA, "bluehelmet.datasets.demo.REFERENCE_IMPORTS"))
