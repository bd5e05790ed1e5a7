"""Login lockout responses, the headers Django does not send itself, and the per-view content
security policy of the API docs page.

The policy itself is in settings.CONTENT_SECURITY_POLICY (django-csp); lockout counting is
django-axes' (settings.AXES_*)."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def cooloff_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    minutes = cooloff_minutes()
    return ngettext(
        "Too many failed log-ins for this user name from this address. Try again in %(minutes)d minute, "
        "or ask an administrator to unlock the account.",
        "Too many failed log-ins for this user name from this address. Try again in %(minutes)d minutes, "
        "or ask an administrator to unlock the account.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out log-in gets (AXES_LOCKOUT_CALLABLE): 429 with the reason, as JSON for
    the API and as the log-in page (user name kept) everywhere else."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_out_message": lockout_message(), "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)


class SecurityHeadersMiddleware:
    """Permissions-Policy (Django's SecurityMiddleware sends nosniff, Referrer-Policy and
    Cross-Origin-Opener-Policy; XFrameOptionsMiddleware X-Frame-Options)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def client_ip(request) -> str | None:
    """The visitor's address for the lockout count (AXES_CLIENT_IP_CALLABLE). Behind
    BLUEHELMET_TRUSTED_PROXIES reverse proxies, each appending to X-Forwarded-For, the address
    the outermost trusted proxy saw; entries further left are the client's own claims and are
    ignored. Without proxies, the connection's address."""
    proxies = settings.BLUEHELMET_TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    # With n proxies, the last n-1 entries were added by inner proxies; the one before is the client.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
