"""The one home for long jobs (imports now; forecasts and reports later).

With CELERY_BROKER_URL set (e.g. redis://127.0.0.1:6379/0) jobs go to Celery workers
(`celery -A bluehelmet worker`). Without it, `bluehelmet.jobs.submit` runs them in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluehelmet.settings")

app = Celery("bluehelmet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
