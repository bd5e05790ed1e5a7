from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivilAffairsConfig(AppConfig):
    name = "bluehelmet.civilaffairs"
    label = "civilaffairs"
    verbose_name = _("Civil affairs")
