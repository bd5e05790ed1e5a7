from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HumanitarianConfig(AppConfig):
    name = "bluehelmet.humanitarian"
    label = "humanitarian"
    verbose_name = _("Humanitarian coordination")
