"""The one home for long jobs (imports now; forecasts and reports later).

With CELERY_BROKER_URL set (e.g. redis://127.0.0.1:6379/0) jobs go to Celery workers
(`celery -A bluehelmet worker`). Without it, `bluehelmet.jobs.submit` runs them in-process.
"""

import logging
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluehelmet.settings")

app = Celery("bluehelmet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_ready.connect
def recover_stale_jobs_at_start(**kwargs) -> None:
    """A worker (re)starts, perhaps after a crash: mark failed the jobs whose runner is gone
    for good (the broker redelivers the others, see bluehelmet/jobs.py)."""
    from bluehelmet.jobs import recover_stale_jobs

    try:
        recover_stale_jobs()
    except Exception:  # the database may be down too; the web processes sweep again later
        logging.getLogger(__name__).exception("recovering stale jobs failed")
