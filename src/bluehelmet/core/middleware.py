"""Login for every page (the API answers 401/403 itself, through DRF), and query strings
and request bodies no view can use."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

# The installable app's manifest and service worker hold nothing of a user; the browser asks
# for them on the log-in page too, and drops a worker whose script answers with a redirect.
OPEN_PATHS = ("/accounts/login/", "/static/", "/i18n/", "/favicon.ico", "/sw.js", "/manifest.webmanifest")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.user.is_authenticated or path.startswith(OPEN_PATHS) or path.startswith("/api/"):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class RejectNulBytesMiddleware:
    """A NUL byte in a query parameter is never meaningful, and PostgreSQL refuses it in any
    text comparison (a 500 from every filter that forwards it). Refused here, once for all
    pages and endpoints, with a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return HttpResponseBadRequest(
                _("Query parameters must not contain NUL characters."), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


def declared_length(request) -> int:
    """The body length the request announces (Content-Length); 0 when absent or malformed,
    as Django reads it (a WSGI server hands no more than that to the application)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """A request body longer than DATA_UPLOAD_MAX_MEMORY_SIZE is refused with a 413 before
    anything reads it. Django applies that limit only when it parses form fields itself; the
    API's JSON parser streams the body past it. Multipart uploads are left to Django, which
    streams their files to disk and counts only their other fields against the limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.content_type != "multipart/form-data" and declared_length(request) > limit:
            return HttpResponse(
                _("The request body is larger than %(n)d bytes.") % {"n": limit},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
