from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bluehelmet.core"
    label = "core"
    verbose_name = _("Core records")

    def ready(self):
        # auditlog (listed before this app) has registered every model by now.
        from . import history, tokens

        history.protect_personal_fields()
        history.connect_receivers()
        tokens.connect_receivers()
