from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "bluehelmet.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from django.db.models.signals import post_save

        from .labels import relabel_on_save
        from .models import Incident

        # Alerts and tasks take the label of their incidents, whatever code path saved them.
        post_save.connect(relabel_on_save, sender=Incident, dispatch_uid="incidents-relabel-derived")
