"""The 403 and 404 pages (urls.py `handler403`, `handler404`; used when DEBUG is off).

Both pages carry the site's frame and navigation and say why, in the user's language. Rules:
- a 404 never repeats the exception's text nor the address asked for: "no such mission" and
  "not your mission" get the same answer (core.gate), so an acronym cannot be probed;
- a 403 shows the gate's own message (core.gate.Access.require: "Your role in this mission does
  not allow you to …"), written for users and translated, and nothing else from the exception.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render


def permission_denied(request, exception=None):
    """403: the site's frame, and the refusal's reason when the gate gave one."""
    reason = ""
    if isinstance(exception, PermissionDenied) and exception.args and isinstance(exception.args[0], str):
        reason = exception.args[0]
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    """404: the site's frame and a reason that reveals nothing about what exists."""
    return render(request, "404.html", {}, status=404)
