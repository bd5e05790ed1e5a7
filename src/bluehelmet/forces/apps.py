from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForcesConfig(AppConfig):
    name = "bluehelmet.forces"
    label = "forces"
    verbose_name = _("Forces")

    def ready(self):
        # What this app adds to the shared registries (docs/adr/0003-registries.md).
        from bluehelmet.core.demo import AREA_RECORDS, DemoStep, register_demo_step
        from bluehelmet.core.indicator_sources import register_indicator_source
        from bluehelmet.core.navigation import MissionTab, register_tab
        from bluehelmet.datasets.queries import geopko_deployments, geopko_sites
        from bluehelmet.earlywarning.providers import (
            CovariateSource,
            TroopPresence,
            register_covariate_source,
            register_troop_presence,
        )
        from bluehelmet.importers.registry import register
        from bluehelmet.jobs import register_job_kind

        from .forecast_sources import base_sites, patrol_points, posting_deployments
        from .importers import FORCES_IMPORTERS
        from .tasks import JOB_KIND

        register(*FORCES_IMPORTERS)
        register_job_kind(JOB_KIND)
        register_troop_presence(TroopPresence("geopko", geopko_deployments, geopko_sites))
        register_troop_presence(TroopPresence("forces", posting_deployments, base_sites, holds_months=0))
        register_covariate_source(CovariateSource("forces.patrols", "patrols_25km", points=patrol_points))
        register_tab(MissionTab(order=30, label=_("Forces"), url_name="forces:index"))
        register_demo_step(DemoStep("forces", AREA_RECORDS + 10, "bluehelmet.forces.demo.load"))
        register_indicator_source("forces.training_compliance", "bluehelmet.forces.indicators.training_compliance")
        # Patrols and forecast runs change status in place (no change time): their saves move the
        # mission's generation on, so the cached patrol coverage is computed again (core.freshness).
        from bluehelmet.core.freshness import track_changes
        from bluehelmet.earlywarning.models import ForecastRun

        from .models import Patrol

        track_changes(Patrol)
        track_changes(ForecastRun)
