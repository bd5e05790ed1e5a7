from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "bluehelmet.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.demo import AREA_RECORDS, DemoStep, register_demo_step
        from bluehelmet.core.indicator_sources import register_indicator_source
        from bluehelmet.core.navigation import MissionTab, register_tab
        from bluehelmet.importers.registry import register

        from .importers import AcledIncidentImporter, GedIncidentImporter

        register(GedIncidentImporter, AcledIncidentImporter)
        register_tab(MissionTab(order=10, label=_("Incidents"), url_name="incidents:index"))
        register_demo_step(DemoStep("incidents", AREA_RECORDS, "bluehelmet.incidents.demo.load"))
        register_indicator_source(
            "incidents.alert_response_share", "bluehelmet.incidents.indicators.alert_response_share"
        )
        register_indicator_source(
            "incidents.median_time_to_respond", "bluehelmet.incidents.indicators.median_time_to_respond"
        )
        from django.db.models.signals import post_save

        from bluehelmet.core.freshness import track_changes
        from bluehelmet.jobs import register_lost_work_sweep

        from . import lookups
        from .checks import resubmit_pending
        from .labels import relabel_on_save
        from .models import Alert, DuplicateProposal, Incident, ResponseTask

        # Alerts and tasks take the label of their incidents, whatever code path saved them.
        post_save.connect(relabel_on_save, sender=Incident, dispatch_uid="incidents-relabel-derived")
        # Alerts, tasks and proposals change status in place (no change time): their saves move
        # the mission's generation on, so the cached dashboard counts are computed again.
        track_changes(Alert)
        track_changes(ResponseTask)
        track_changes(DuplicateProposal, mission_of=lambda proposal: None)  # its mission is two joins away
        # Reference data caches follow their records (core.mission_cache).
        lookups.connect_receivers()
        # A report whose checks were lost with their process gets them (incidents.checks).
        register_lost_work_sweep(resubmit_pending)
        # Overdue response tasks are escalated by the same periodic sweep (incidents.escalation),
        # so the embedded mode (no Celery beat) escalates them too.
        from .escalation import submit_if_overdue

        register_lost_work_sweep(submit_if_overdue)
