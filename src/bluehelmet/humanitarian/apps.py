from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HumanitarianConfig(AppConfig):
    name = "bluehelmet.humanitarian"
    label = "humanitarian"
    verbose_name = _("Humanitarian coordination")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.demo import AREA_RECORDS, DemoStep, register_demo_step
        from bluehelmet.core.navigation import MissionTab, register_tab
        from bluehelmet.importers.registry import register

        from .importers import HUMANITARIAN_IMPORTERS

        register(*HUMANITARIAN_IMPORTERS)
        register_tab(MissionTab(order=70, label=_("Humanitarian"), url_name="humanitarian:index"))
        register_demo_step(DemoStep("humanitarian", AREA_RECORDS + 60, "bluehelmet.humanitarian.demo.load"))
