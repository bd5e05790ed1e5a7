from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HumanitarianConfig(AppConfig):
    name = "bluehelmet.humanitarian"
    label = "humanitarian"
    verbose_name = _("Humanitarian coordination")

    def ready(self):
        from bluehelmet.importers.registry import register

        from .importers import HUMANITARIAN_IMPORTERS

        register(*HUMANITARIAN_IMPORTERS)
