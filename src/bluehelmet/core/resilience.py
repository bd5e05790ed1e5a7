"""Keep answering sensibly when the database goes away, and tidy up jobs whose runner died.

A database restart or failover must not show people a 500 page or hang their request: every
request that meets a database connection error gets a 503 with Retry-After, which the
offline report queue (and any HTTP client) understands as "send it again shortly". A report
is keyed by its client id, so sending it again stores it once.

The error can be raised in a view (handled by process_exception) or in a middleware below
this one, e.g. loading the session or the user (Django turns those into a 500 response
before this middleware sees them: the got_request_exception signal marks the request, and
the 500 is replaced here). The session is saved after the view: a database lost by then
gives a 400 (SessionInterrupted), replaced here too when the request met a database error.
"""

import logging
import sys
import threading
import time

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
DATABASE_ERRORS = (OperationalError, InterfaceError)
STALE_JOB_SWEEP_SECONDS = 300
_MARK = "_bluehelmet_database_unavailable"


def database_unavailable_response(request) -> HttpResponse:
    """The 503 answer: JSON for the API, a small page (that needs no database) otherwise."""
    message = _("The database is not answering for a moment. Nothing was lost: try again in a few seconds.")
    if request.path_info.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse({"detail": message}, status=503)
    else:
        title = _("Service unavailable")
        response = HttpResponse(
            f'<!doctype html><html lang="{escape(getattr(request, "LANGUAGE_CODE", "en"))}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>",
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark_database_error(sender, request=None, **kwargs) -> None:
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark_database_error, dispatch_uid="bluehelmet-database-unavailable")


class DatabaseUnavailableMiddleware:
    """503 + Retry-After for database connection errors; also, now and then, recovers jobs
    left "running" by a runner that died (bluehelmet.jobs.recover_stale_jobs)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._next_sweep = 0.0  # at the first request: a process start may follow a crash
        self._sweep_lock = threading.Lock()

    def __call__(self, request):
        self._maybe_recover_stale_jobs()
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            return database_unavailable_response(request)
        if response.status_code == 400 and any(c.errors_occurred for c in connections.all(initialized_only=True)):
            # The session could not be saved after the view ran (SessionInterrupted): the
            # database went away mid-request. Ask for a retry rather than blame the request.
            return database_unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
            return database_unavailable_response(request)
        return None

    def _maybe_recover_stale_jobs(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep or not self._sweep_lock.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + STALE_JOB_SWEEP_SECONDS
            from bluehelmet.jobs import recover_stale_jobs

            recover_stale_jobs()
        except Exception:  # never let housekeeping fail a request (the database may be down)
            logger.exception("recovering stale jobs failed")
            self._next_sweep = now + RETRY_AFTER_SECONDS
        finally:
            self._sweep_lock.release()
