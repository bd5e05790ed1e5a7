from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarlyWarningConfig(AppConfig):
    name = "bluehelmet.earlywarning"
    label = "earlywarning"
    verbose_name = _("Early warning")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.demo import AREA_RECORDS, DemoStep, register_demo_step
        from bluehelmet.core.navigation import MissionTab, register_tab
        from bluehelmet.jobs import register_job_kind

        from .tasks import JOB_KIND

        register_job_kind(JOB_KIND)
        register_tab(MissionTab(order=20, label=_("Early warning"), url_name="earlywarning:index"))
        register_demo_step(DemoStep("earlywarning", AREA_RECORDS + 20, "bluehelmet.earlywarning.demo.load"))
