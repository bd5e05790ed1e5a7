from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bluehelmet.core"
    label = "core"
    verbose_name = _("Core records")

    def ready(self):
        from . import history, tokens
        from .demo import DEMO_PEOPLE, DemoStep, load_people, register_demo_step

        # auditlog (listed before this app) has registered every model by now.
        history.protect_personal_fields()
        history.connect_receivers()
        register_demo_step(DemoStep("people", DEMO_PEOPLE, load_people))
        tokens.connect_receivers()
