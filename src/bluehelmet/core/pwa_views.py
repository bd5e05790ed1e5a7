"""The installable app (a progressive web app): its web app manifest and its service worker.

The service worker (templates/sw.js, with static/js/offline/store.js) is served from the site's
root so that its scope covers every page; it keeps what the report form of a mission needs
(the page, its files, the mission's reference data: static/js/offline/) so the form opens with
no network, and sends the reports queued on the device when the network returns. Neither file
holds anything of a user: both are served to anyone."""

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from bluehelmet.version import __version__


@require_GET
@cache_control(no_cache=True)  # a new worker must reach the browsers at their next visit
def service_worker(request):
    response = render(
        request,
        "sw.js",
        {"store_script": static("js/offline/store.js"), "version": __version__},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def web_manifest(request):
    """What a phone shows and opens when the app is installed ("Add to home screen")."""
    manifest = {
        "name": _("Blue Helmet"),
        "short_name": _("Blue Helmet"),
        "description": _("Incident reports of the mission, also without a network."),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b3d6b",
        "icons": [
            {
                "src": static(f"img/app-icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for size in (192, 512)
            for purpose in ("any", "maskable")
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response
