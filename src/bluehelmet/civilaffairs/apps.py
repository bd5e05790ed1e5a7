from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivilAffairsConfig(AppConfig):
    name = "bluehelmet.civilaffairs"
    label = "civilaffairs"
    verbose_name = _("Civil affairs")

    def ready(self):
        from bluehelmet.importers.registry import register

        from .importers import CIVILAFFAIRS_IMPORTERS

        register(*CIVILAFFAIRS_IMPORTERS)
