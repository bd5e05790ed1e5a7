"""Run a long job without making the page wait for it.

With CELERY_BROKER_URL set, jobs go to Celery workers. Otherwise they run in this process:
on a daemon thread (the page returns at once), or right away when BLUEHELMET_JOBS_SYNC is
set (tests).
"""

import threading

from django.conf import settings
from django.db import connections


def submit(task, *args) -> None:
    if settings.CELERY_BROKER_URL:
        task.delay(*args)
    elif settings.BLUEHELMET_JOBS_SYNC:
        task.apply(args=args)
    else:
        threading.Thread(target=_run_in_thread, args=(task, args), daemon=True, name=f"job-{task.name}").start()


def _run_in_thread(task, args) -> None:
    try:
        task.apply(args=args)
    finally:
        # The thread opened its own database connections; nobody else will close them.
        connections.close_all()
