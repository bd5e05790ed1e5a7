from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "bluehelmet.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.demo import AREA_RECORDS, DemoStep, register_demo_step
        from bluehelmet.core.navigation import MissionTab, register_tab
        from bluehelmet.earlywarning.providers import CovariateSource, register_covariate_source

        from .forecast_sources import polling_days

        register_covariate_source(CovariateSource("elections.polling_days", "months_to_election", dates=polling_days))
        register_tab(MissionTab(order=40, label=_("Elections"), url_name="elections:index"))
        register_demo_step(DemoStep("elections", AREA_RECORDS + 30, "bluehelmet.elections.demo.load"))
