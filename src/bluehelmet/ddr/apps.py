from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DdrConfig(AppConfig):
    name = "bluehelmet.ddr"
    label = "ddr"
    verbose_name = _("Disarmament, demobilisation and reintegration")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.demo import AREA_RECORDS, DemoStep, register_demo_step
        from bluehelmet.core.indicator_sources import register_indicator_source
        from bluehelmet.core.navigation import MissionTab, register_tab

        # Shown only where it leads somewhere: aggregates at least.
        register_tab(MissionTab(order=50, label=_("DDR"), url_name="ddr:index", capability="ddr.aggregates"))
        register_demo_step(DemoStep("ddr", AREA_RECORDS + 40, "bluehelmet.ddr.demo.load"))
        register_indicator_source("ddr.reintegration_rate", "bluehelmet.ddr.indicators.reintegration_rate")
