from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "bluehelmet.performance"
    label = "performance"
    verbose_name = _("Performance and impact")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.demo import DERIVED_RECORDS, REFERENCE_DATA, DemoStep, register_demo_step
        from bluehelmet.core.navigation import MissionTab, register_tab
        from bluehelmet.jobs import register_job_kind

        from .tasks import JOB_KIND

        register_job_kind(JOB_KIND)
        register_tab(MissionTab(order=80, label=_("Results and impact"), url_name="performance:index"))
        # The 26 conflicts of the Hultman, Kathman & Shannon file, for the missions compared
        # (after incidents-data, whose Sierra Leone rows it holds again).
        register_demo_step(DemoStep("cases-data", REFERENCE_DATA + 1, "bluehelmet.performance.comparison.CASE_IMPORTS"))
        # Last: its indicators are computed from the other areas' records.
        register_demo_step(DemoStep("performance", DERIVED_RECORDS, "bluehelmet.performance.demo.load"))
