from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivilAffairsConfig(AppConfig):
    name = "bluehelmet.civilaffairs"
    label = "civilaffairs"
    verbose_name = _("Civil affairs")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.demo import AREA_RECORDS, DemoStep, register_demo_step
        from bluehelmet.core.indicator_sources import register_indicator_source
        from bluehelmet.core.navigation import MissionTab, register_tab
        from bluehelmet.earlywarning.providers import CovariateSource, register_covariate_source
        from bluehelmet.importers.registry import register

        from .forecast_sources import alert_points
        from .importers import CIVILAFFAIRS_IMPORTERS

        register(*CIVILAFFAIRS_IMPORTERS)
        register_covariate_source(CovariateSource("civilaffairs.alerts", "community_alerts_25km", points=alert_points))
        register_tab(MissionTab(order=60, label=_("Civil affairs"), url_name="civilaffairs:index"))
        register_demo_step(DemoStep("civilaffairs", AREA_RECORDS + 50, "bluehelmet.civilaffairs.demo.load"))
        register_indicator_source(
            "civilaffairs.engagement_coverage", "bluehelmet.civilaffairs.indicators.engagement_coverage"
        )
