"""The mission's offline basemap file (core/basemaps.py), served to its maps with HTTP range
requests: protomaps-leaflet's PMTiles reader asks for the header, then for each directory and
tile it needs, each a byte range of the one file, so no tile server is needed.

Administrators set the file on the mission's basemap page (or with `bluehelmet basemap`).

The byte ranges, ETag, Last-Modified and the 304 answers are WhiteNoise's (its StaticFile, the
same code that serves the static files, kept up by its project); this module adds the gate (only
the mission's members get its basemap), If-Range (RFC 9110 13.1.5: a range of a file changed
since is never mixed with an earlier copy: the whole file is sent instead) and the caching. The
URL carries the file's version (`?v=`, from {% map_attrs %}), so a replaced basemap is a new URL
and browsers may keep a copy for long."""

from email.utils import parsedate
from http import HTTPStatus

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from whitenoise.responders import StaticFile

from . import services
from .basemaps import BasemapError, mission_basemap, read_header
from .forms import BasemapForm
from .gate import mission_view

CONTENT_TYPE = "application/vnd.pmtiles"
# Private: the file is behind the log-in. A month: the URL changes with the file.
CACHE_CONTROL = "private, max-age=2592000"


def _range_still_valid(if_range: str, served: StaticFile) -> bool:
    """Whether an If-Range validator names the file as it is now: its strong ETag, or exactly
    its Last-Modified date (a weak ETag never matches)."""
    if if_range.startswith(('"', "W/")):
        return if_range == served.etag
    return served.last_modified is not None and parsedate(if_range) == served.last_modified


@require_safe
@mission_view()
def mission_basemap_file(request, access):
    """GET or HEAD the mission's PMTiles basemap: 200 for the whole file, 206 with Content-Range
    for one byte range, 416 for a range past its end, 304 when the browser's copy is current;
    404 when the mission has no basemap. Several ranges in one request get the whole file
    (allowed by RFC 9110 14.2; the PMTiles reader asks for one at a time)."""
    path = mission_basemap(access.mission)
    if path is None:
        raise Http404("This mission has no basemap.")
    served = StaticFile(
        str(path), [("Content-Type", CONTENT_TYPE), ("Cache-Control", CACHE_CONTROL), ("Accept-Ranges", "bytes")]
    )
    request_headers = request.META
    if_range = request_headers.get("HTTP_IF_RANGE")
    if "HTTP_RANGE" in request_headers and if_range and not _range_still_valid(if_range.strip(), served):
        request_headers = {key: value for key, value in request_headers.items() if key != "HTTP_RANGE"}
    answer = served.get_response(request.method, request_headers)
    if answer.file is not None:
        response: HttpResponse = FileResponse(answer.file, status=answer.status)
    else:
        response = HttpResponse(status=answer.status)
    for name, value in answer.headers:
        response[name] = value
    if answer.status == HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE:
        response["Accept-Ranges"] = "bytes"
        response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@mission_view("core.basemap")
def mission_basemap_settings(request, access):
    """The mission's basemap for its administrators: what it is, a new file (refused with the
    reason when it is not a vector PMTiles file), or none."""
    mission = access.mission
    form = BasemapForm(request.POST, request.FILES) if request.method == "POST" else BasemapForm()
    if request.method == "POST" and "remove" in request.POST:
        if services.remove_mission_basemap(request.user, mission):
            messages.success(request, _("The basemap is removed: the maps draw the shipped boundaries."))
        return redirect("mission-basemap-settings", mission.acronym)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_mission_basemap(request.user, mission, form.cleaned_data["file"])
        except BasemapError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request, _("Every map of %(mission)s now draws this basemap.") % {"mission": mission.acronym}
            )
            return redirect("mission-basemap-settings", mission.acronym)
    current = mission_basemap(mission)
    header = None
    if current is not None:
        try:
            header = read_header(current)
        except BasemapError:
            header = None
    return render(
        request,
        "core/basemap.html",
        {"mission": mission, "form": form, "current": current, "header": header},
        status=400 if form.errors else 200,
    )
