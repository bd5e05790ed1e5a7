"""The inbox page (what waits for the user in all their missions, one section per source of
core/inbox.py) and the menu's count, fetched after each page has loaded."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import inbox

PAGE_LIMIT = 10  # items per section; the section says how many more there are


@require_GET
@login_required
def inbox_page(request):
    sections = inbox.gather(request.user, PAGE_LIMIT)
    return render(
        request,
        "core/inbox.html",
        {"sections": sections, "total": sum(section.total for section in sections), "now": timezone.now()},
    )


@require_GET
@login_required
def inbox_count(request):
    """{"total": n} for the menu badge (static/js/inbox.js); at most a minute old."""
    response = JsonResponse({"total": inbox.cached_total(request.user)})
    response["Cache-Control"] = "private, no-store"
    return response
