"""The mission overview: the home page, the data sources page and each mission's first tab.
Views only pick the data functions (overview.missions, core.missions, forces.timeline,
datasets.queries) and a template; every one of those takes the user, so
scoping is never left to the view."""

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from bluehelmet.core.gate import mission_view
from bluehelmet.core.missions import mission_areas
from bluehelmet.core.models import Place
from bluehelmet.core.months import parse_month
from bluehelmet.core.timerange import MonthRangeForm, axis_months, month_axis, range_errors
from bluehelmet.datasets.queries import (
    deployment_months,
    deployments_in_month,
    event_map_points,
    filtered_mission_events,
    missing_events,
)
from bluehelmet.forces.timeline import cached_mission_timeline, timeline_caption
from bluehelmet.incidents.export import events_csv_lines, events_geojson_chunks

from .missions import mission_summaries

EVENTS_PER_PAGE = 50
# The filters of the shared event FilterSet that the events table offers.
TABLE_FILTERS = ("date_from", "date_to", "type_of_violence", "place", "actor")
SERIES_LABELS = {
    "troops": _("UN troops"),
    "police": _("UN police"),
    "observers": _("UN military observers"),
    "civilians_killed": _("Civilians killed (one-sided violence)"),
    "battle_deaths": _("Battle deaths"),
    "ged_civilian_deaths": _("Civilian deaths (GED events)"),
    "ged_state_based_deaths": _("State-based conflict deaths (GED events)"),
}
# Words the map script shows, translated here so the script carries no language.
MAP_LABELS = {
    "deployments": _("UN deployments"),
    "events": _("Conflict events"),
    "unknownTroops": _("troop numbers not given"),
    "noTroops": _("no troop units on the map"),
    "troops": _("troops (standard unit sizes)"),
    "noMap": _("No deployment map on or before %(month)s."),
    "police": _("UN police"),
    "observers": _("military observers"),
    "headquarters": _("headquarters"),
    "eventsAt": _("events here"),
    "deaths": _("deaths (best estimate)"),
    "civilianDeaths": _("civilian deaths"),
    "lastEvent": _("latest"),
    "shownLocations": _("Showing the %(shown)s deadliest of %(total)s event locations."),
}


@require_GET
def home(request):
    return render(request, "overview/home.html", {"summaries": mission_summaries(request.user)})


@require_GET
def about_data(request):
    return render(request, "overview/about_data.html")


@require_GET
@mission_view()
def mission_detail(request, access):
    mission = access.mission
    timeline = cached_mission_timeline(request.user, access)
    place = ", ".join(mission.host_countries.values_list("name", flat=True)) or mission.acronym
    deployments = deployment_months(request.user, mission)
    # One month axis for the time control and the chart: every month the timeline or the
    # deployment maps cover, and the mission's period (to this month while it runs), where its
    # incident reports belong.
    chart_months = [parse_month(month) for month in timeline["months"]]
    months = month_axis(
        *(chart_months[:1] + chart_months[-1:]),
        *(m["month"] for m in deployments[:1] + deployments[-1:]),
        mission.start,
        mission.end or (timezone.localdate() if mission.start else None),
    )
    values = [month.strftime("%Y-%m") for month in months]
    # Open on the deployment map with the most troops (the fullest picture of the
    # deployment), with everything before it: the range ends where the map is.
    peak = max(deployments, key=lambda m: m["known_troops"] or 0, default=None)
    map_config = {
        "eventPointsUrl": reverse("mission-event-points", args=[mission.acronym]),
        # The script puts the chosen month in place of 0000-00.
        "deploymentsUrl": reverse("mission-deployments", args=[mission.acronym, "0000-00"]),
        "months": axis_months(months),
        "deploymentMonths": [m["month"].strftime("%Y-%m") for m in deployments],
        "from": 0,
        "to": values.index(peak["month"].strftime("%Y-%m")) if peak else max(len(values) - 1, 0),
        "labels": MAP_LABELS,
    }
    chart_config = {
        "months": values,
        "series": [
            {"key": key, "label": SERIES_LABELS[key], "data": _on_axis(timeline["months"], data, values)}
            for key, data in timeline["series"].items()
        ],
        "personnelAxis": _("UN personnel"),
        "deathsAxis": _("Deaths per month"),
    }
    context = {
        "mission": mission,
        "place": place,
        "caption": timeline_caption(timeline, place),
        "map_config": map_config,
        "chart_config": chart_config,
        "has_timeline": bool(timeline["months"]),
        **_events_table_context(request, access),
    }
    return render(request, "overview/mission_detail.html", context)


def _on_axis(months: list[str], data: list, axis: list[str]) -> list:
    """A timeline series moved onto the longer axis: None where the timeline has no month."""
    by_month = dict(zip(months, data))
    return [by_month.get(month) for month in axis]


@require_GET
@mission_view()
def mission_events_table(request, access):
    """The events table alone, for htmx to swap in when the filters change."""
    mission = access.mission
    context = _events_table_context(request, access)
    response = render(request, "overview/_events_table.html", {"mission": mission, **context})
    # Keep the address bar on the full page, so a reload or a shared link shows the same filters.
    page_url = reverse("mission-detail", args=[mission.acronym])
    response["HX-Push-Url"] = f"{page_url}?{request.GET.urlencode()}" if request.GET else page_url
    return response


@require_GET
@mission_view()
def mission_events_csv(request, access):
    return _events_download(request, access, events_csv_lines, "text/csv; charset=utf-8", "csv")


@require_GET
@mission_view()
def mission_events_geojson(request, access):
    return _events_download(request, access, events_geojson_chunks, "application/geo+json", "geojson")


def _events_download(request, access, write_chunks, content_type: str, extension: str):
    """The table's events, with its filters, streamed as a file."""
    mission = access.mission
    events = filtered_mission_events(request.user, mission, request.GET).qs
    response = StreamingHttpResponse(write_chunks(events), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{mission.acronym}-events.{extension}"'
    return response


@require_GET
@mission_view()
def mission_areas_geojson(request, access):
    """The mission's admin areas for its maps: each area's simplified outline (its full
    geometry only where no outline was made), with its name, level and P-code."""
    mission = access.mission
    areas = list(mission_areas(request.user, mission).values("pk", "name", "kind", "pcode", "outline"))
    unsimplified = [area["pk"] for area in areas if area["outline"] is None]
    full = dict(Place.objects.filter(pk__in=unsimplified).values_list("pk", "geometry")) if unsimplified else {}
    features = [
        {
            "type": "Feature",
            "id": area["pk"],  # what a click on an area selects (the incident analysis filters by it)
            "geometry": area["outline"] or full[area["pk"]],
            "properties": {"name": area["name"], "kind": area["kind"], "pcode": area["pcode"]},
        }
        for area in areas
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_GET
@mission_view()
def mission_event_points(request, access):
    """Events for the map, grouped by location, with the table's filters and the time
    control's months (`from`, `to`: YYYY-MM) applied."""
    mission = access.mission
    months = MonthRangeForm(request.GET)
    if not months.is_valid():
        return JsonResponse(range_errors(months), status=400)
    events = filtered_mission_events(request.user, mission, request.GET).qs
    first, last = months.date_bounds()
    if first is not None:
        events = events.filter(date_start__gte=first)
    if last is not None:
        events = events.filter(date_start__lte=last)
    return JsonResponse(event_map_points(events))


@require_GET
@mission_view()
def mission_deployments(request, access, month):
    mission = access.mission
    try:
        month = parse_month(month)
    except ValueError:
        raise Http404("Month must be YYYY-MM.")
    return JsonResponse(deployments_in_month(request.user, mission, month))


def _events_table_context(request, access) -> dict:
    mission = access.mission
    event_filter = filtered_mission_events(request.user, mission, request.GET)
    form = event_filter.form
    for name in ("date_from", "date_to"):
        form.fields[name].widget.input_type = "date"
    page = Paginator(event_filter.qs, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return {
        "filter_form": form,
        "filter_fields": [form[name] for name in TABLE_FILTERS],
        "page": page,
        "filter_query": filters.urlencode(),
        # An empty table with no filter set means no events at all: say which data is missing.
        "missing_events": (
            None
            if page.object_list or any(filters.get(name) for name in TABLE_FILTERS)
            else missing_events(request.user, access)
        ),
    }
