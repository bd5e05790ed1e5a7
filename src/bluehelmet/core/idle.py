"""The idle timeout: a session ends after BLUEHELMET_SESSION_IDLE_MINUTES (SESSION_COOKIE_AGE)
without anything the user did.

What a page requests by itself does not count: the live incident feed polls every 3 seconds,
progress panels every second or two, the election dashboard every 10 seconds, and a screen left
open on them would otherwise stay logged in forever. Those requests are listed here by route
(and, for a page that polls itself, by the htmx element that polls); every other request of a
logged-in user is activity. Polls neither record activity nor save the session, so the stored
session's own expiry does not move either.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.urls import Resolver404, resolve

LAST_ACTIVITY = "bluehelmet_last_activity"
# Activity is recorded to the minute: a user clicking through pages saves the session (one
# UPDATE) at most once a minute instead of on every request. The timeout may so fall up to
# this much early, which nobody notices on a timeout counted in minutes.
ACTIVITY_RESOLUTION = 60

# Route name -> None when every request to it is a poll, or the id of the htmx element that
# polls a page which also serves the user's own requests (htmx sends it as HX-Trigger).
# tests/security/test_idle_timeout.py checks that every `hx-trigger="every ..."` is listed.
POLLING_ROUTES = {
    "incidents:feed": None,
    "earlywarning:run-status": None,
    "forces:plan-status": None,
    "humanitarian:import-job-status": None,
    "importers:job-status": None,
    "elections:dashboard": "live",
    "performance:report": "report-status",
}


def now() -> float:
    """The clock (tests replace it)."""
    return time.time()


def is_polling(request) -> bool:
    """Whether the request is one a page makes by itself (POLLING_ROUTES)."""
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return False
    if view_name not in POLLING_ROUTES:
        return False
    trigger = POLLING_ROUTES[view_name]
    return trigger is None or (
        request.headers.get("HX-Request") == "true" and request.headers.get("HX-Trigger") == trigger
    )


class IdleTimeoutMiddleware:
    """Log out a session idle for longer than SESSION_COOKIE_AGE seconds (the request then goes
    on as anonymous: a page redirects to the log-in page, the API answers 401/403); record the
    time of every request that is not a poll. Placed after the authentication middlewares and
    before LoginRequiredMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            moment = now()
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and moment - last > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif not is_polling(request) and (last is None or moment - last >= ACTIVITY_RESOLUTION):
                request.session[LAST_ACTIVITY] = moment
        return self.get_response(request)
