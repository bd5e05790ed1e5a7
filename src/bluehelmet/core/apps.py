from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bluehelmet.core"
    label = "core"
    verbose_name = _("Core records")

    def ready(self):
        from django.conf import settings

        from . import comments, history, mission_cache, search, tokens  # noqa: F401 (comments: the mentions' inbox source)

        # The settings name these folders without making them (importing settings writes nothing).
        for folder in (settings.HOME, settings.STATIC_ROOT):
            Path(folder).mkdir(parents=True, exist_ok=True)
        from .demo import DEMO_PEOPLE, SEARCH_INDEX, DemoStep, load_people, register_demo_step

        # auditlog (listed before this app) has registered every model by now.
        history.protect_personal_fields()
        history.connect_receivers()
        register_demo_step(DemoStep("people", DEMO_PEOPLE, load_people))
        # Last: the search index over every area's records (bulk imports send no signals).
        register_demo_step(DemoStep("search", SEARCH_INDEX, "bluehelmet.core.search.demo_reindex"))
        tokens.connect_receivers()
        mission_cache.connect_receivers()
        # Each app's search.py registers its kinds; their saves and deletes keep the index.
        search.discover()
