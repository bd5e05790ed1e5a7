from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    name = "bluehelmet.overview"
    label = "overview"
    verbose_name = _("Mission overview")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.navigation import MissionTab, register_tab

        # The first tab: its address starts every other tab's, so it is current only on itself.
        register_tab(MissionTab(order=0, label=_("Overview"), url_name="mission-detail", exact=True))
