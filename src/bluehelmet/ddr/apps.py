from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DdrConfig(AppConfig):
    name = "bluehelmet.ddr"
    label = "ddr"
    verbose_name = _("Disarmament, demobilisation and reintegration")
