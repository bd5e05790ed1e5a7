"""Pages of the incident area. Views get the mission and the user's capabilities from the
gate (core.gate; capabilities declared in incidents.permissions), call the plain functions
of reports, verification, alerts, response and ceasefires, and render."""

import datetime
import mimetypes
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET, require_http_methods, require_POST

from bluehelmet.core.audit import audit_detail, log_sensitive_access
from bluehelmet.core.basemaps import basemap_file_url
from bluehelmet.core.counting import count_all
from bluehelmet.core.exports import csv_lines
from bluehelmet.core.freshness import cached_aggregate
from bluehelmet.core.gate import mission_view
from bluehelmet.core.params import positive_id
from bluehelmet.core.sensitivity import strictest
from bluehelmet.core.timerange import MonthRangeForm, axis_months, month_axis, range_errors
from bluehelmet.importers.uploads import start_import_job

from . import (
    alerts,
    analysis,
    ceasefires,
    export,
    feed,
    history,
    labels,
    notifiers,
    reports,
    response,
    taxonomy,
    verification,
)
from .forms import (
    AcknowledgeForm,
    AgreementForm,
    AlertRuleForm,
    AttachmentForm,
    EditReasonForm,
    IncidentImportForm,
    IncidentReportForm,
    IncidentTypeForm,
    MergeForm,
    ReasonForm,
    SourceForm,
    SourceGradeForm,
    StatusForm,
    TaskForm,
    TaskUpdateForm,
    ZoneForm,
    breakdown_formset,
    casualty_grid_initial,
    formset_checked,
    new_client_id,
    source_formset,
)
from .indicators import alert_response_share, median_time_to_respond
from .models import (
    Alert,
    AlertRule,
    DuplicateProposal,
    Incident,
    IncidentType,
    MonitoredZone,
    ResponseTask,
    Source,
    Subscription,
)

INCIDENTS_PER_PAGE = 50
POLL_SECONDS = 3
MAP_LABELS = {
    "incidents": gettext_lazy("Incidents"),
    "heat": gettext_lazy("Heat (incidents weighted by casualties)"),
    "zones": gettext_lazy("Monitored zones"),
    "killed": gettext_lazy("killed"),
    "injured": gettext_lazy("injured"),
    "inZone": gettext_lazy("inside a monitored zone"),
    "open": gettext_lazy("Open"),
    "pickPoint": gettext_lazy("Click the map to set the place."),
}


def _page(request, template, access, context=None, status=200):
    mission = access.mission
    context = {"mission": mission, "access": access, "sms_configured": notifiers.sms_configured(), **(context or {})}
    if request.user.is_authenticated and "unread_alerts" not in context:
        context["unread_alerts"] = alerts.unread_notifications(request.user, mission).count()
    return render(request, f"incidents/{template}", context, status=status)


def _visible_incident(request, mission, pk) -> Incident:
    return get_object_or_404(feed.visible_incidents(request.user, mission), pk=pk)


def _filter_query(request) -> str:
    params = request.GET.copy()
    for name in ("since", "page", "shown"):
        params.pop(name, None)
    return params.urlencode()


# --- the live picture -----------------------------------------------------------------------


@require_GET
@mission_view()
def index(request, access):
    mission = access.mission
    incident_filter = feed.filtered_incidents(request.user, mission, request.GET)
    incidents, cursor = feed.changes_since(incident_filter.qs, None)
    query = _filter_query(request)
    # The time control's months: the mission's period and every incident the user may see,
    # to this month (the picture is live: a report filed now lands in it, even in an exercise
    # of a mission long ended); all of them at first.
    first, last = feed.incident_span(feed.mission_incidents(request.user, mission))
    months = month_axis(first, last, mission.start, mission.end, timezone.localdate())
    map_config = {
        "incidentsUrl": reverse("incidents:map-data", args=[mission.acronym]) + (f"?{query}" if query else ""),
        "zonesUrl": reverse("incidents:zones-geojson", args=[mission.acronym]),
        "labels": MAP_LABELS,
        "months": axis_months(months),
        "from": 0,
        "to": max(len(months) - 1, 0),
    }
    context = {
        "filter_form": incident_filter.form,
        "incidents": incidents,
        "cursor": cursor,
        "filter_query": query,
        "poll_seconds": POLL_SECONDS,
        "map_config": map_config,
        "counts": _dashboard_counts(request, access, incident_filter.qs),
    }
    # The unread notices are counted with the rest (one query for all the badges).
    context["unread_alerts"] = context["counts"].pop("unread")
    return _page(request, "index.html", access, context)


def _dashboard_counts(request, access, matching) -> dict[str, int]:
    """The dashboard's badges (what the user may not act on counts 0). The counts over the
    mission's records come from the cache while none of those records changed (per audience
    and filters: core.freshness); the user's own unread notices are counted live, in the
    same query as the change stamp."""
    user, mission = request.user, access.mission

    def count_badges() -> dict[str, int]:
        querysets = {"total": matching}
        if access.can("incidents.report"):
            querysets["open_alerts"] = labels.visible_alerts(user, mission).filter(status=Alert.Status.OPEN)
            querysets["open_tasks"] = labels.visible_tasks(user, mission).filter(status__in=ResponseTask.OPEN_STATUSES)
        if access.can("incidents.analyse"):
            querysets["proposals"] = verification.open_proposals(mission)
        return {"open_alerts": 0, "open_tasks": 0, "proposals": 0, **count_all(mission, **querysets)}

    counts, live = cached_aggregate(
        "dashboard-counts",
        user,
        access,
        labels.dashboard_sources(mission),
        count_badges,
        variant=sorted(request.GET.lists()),
        counts={"unread": alerts.unread_notifications(user, mission)},
    )
    return {**counts, **live}


@require_GET
@mission_view()
@cache_control(private=True, no_cache=True)  # kept by the browser, asked again each time
@condition(etag_func=feed.picture_etag)
def live_feed(request, access):
    """What htmx polls: the incidents changed since the cursor that match the filters, the
    ones the page is to drop (they no longer match), and a poller with the next cursor."""
    mission = access.mission
    incident_filter = feed.filtered_incidents(request.user, mission, request.GET)
    since = feed.parse_cursor(request.GET.get("since")) or timezone.now()
    incidents, cursor = feed.changes_since(incident_filter.qs, since)
    gone = feed.no_longer_matching(
        incident_filter.qs,
        feed.visible_incidents(request.user, mission),
        since,
        feed.parse_ids(request.GET.get("shown")),
    )
    context = {
        "incidents": incidents,
        "cursor": cursor,
        "gone": gone,
        "filter_query": _filter_query(request),
        "poll_seconds": POLL_SECONDS,
        "unread_alerts": None,  # the update has no alerts badge: not counted
    }
    return _page(request, "_feed_update.html", access, context)


@require_GET
@mission_view()
@cache_control(private=True, no_cache=True)  # kept by the browser, asked again each time
@condition(etag_func=feed.picture_etag)
def map_data(request, access):
    """The incidents of the map (its filters, and the time control's months `from`/`to`)."""
    mission = access.mission
    months = MonthRangeForm(request.GET)
    if not months.is_valid():
        return JsonResponse(range_errors(months), status=400)
    incidents = feed.within_days(feed.filtered_incidents(request.user, mission, request.GET).qs, *months.date_bounds())
    return JsonResponse(feed.incident_map(incidents, mission.acronym))


@require_GET
@mission_view()
def zones_geojson(request, access):
    mission = access.mission
    zones = MonitoredZone.objects.filter(
        agreement__in=ceasefires.visible_agreements(request.user, mission)
    ).select_related("agreement")
    features = [
        {
            "type": "Feature",
            "id": z.pk,
            "geometry": z.geometry,
            "properties": {"name": z.name, "kind": z.get_kind_display(), "agreement": z.agreement.name},
        }
        for z in zones
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_GET
@mission_view()
def incident_list(request, access):
    mission = access.mission
    incident_filter = feed.filtered_incidents(request.user, mission, request.GET)
    page = Paginator(
        feed.with_related(incident_filter.qs.order_by("-occurred_at", "-id")), INCIDENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return _page(
        request,
        "list.html",
        access,
        {"filter_form": incident_filter.form, "page": page, "filter_query": _filter_query(request)},
    )


# --- reporting ------------------------------------------------------------------------------


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


@require_http_methods(["GET", "POST"])
@mission_view("incidents.report")
def report(request, access):
    """The report form. Its script (static/js/offline/report.js) keeps each report on the
    device first, then posts it asking for JSON (with its photos, `photos`), and sends it again
    when the network failed; without the script it is a plain form."""
    mission = access.mission
    if request.method == "POST":
        outcome = reports.submit_report(request.user, mission, request.POST, photos=request.FILES.getlist("photos"))
        if outcome.ok:
            url = reverse("incidents:detail", args=[mission.acronym, outcome.incident.pk])
            if outcome.created:
                messages.success(request, _("Report #%(id)s filed.") % {"id": outcome.incident.pk})
            else:
                messages.info(
                    request,
                    _("This report was already received (#%(id)s): it is stored once.") % {"id": outcome.incident.pk},
                )
            if _wants_json(request):
                return JsonResponse(
                    {"id": outcome.incident.pk, "url": url, "created": outcome.created},
                    status=201 if outcome.created else 200,
                )
            return redirect(url)
        if _wants_json(request):
            return JsonResponse({"errors": outcome.errors}, status=400)
        form, breakdown = outcome.forms.get("report"), outcome.forms.get("breakdown")
        source_form = (outcome.forms.get("sources") or [None])[0]
        if form is None:  # refused before the forms were checked: a client id of another mission
            form, breakdown, source_form = (
                IncidentReportForm(request.POST, mission=mission),
                breakdown_formset(request.POST),
                SourceForm(request.POST, prefix="source"),
            )
            form.is_valid()  # fills the form's own errors beside the refusal shown below
            for message in outcome.errors.get("client_id", []):
                form.add_error(None, message)
        status = 400
    else:
        form = IncidentReportForm(
            mission=mission,
            initial={"client_id": new_client_id(), "occurred_at": timezone.now().strftime("%Y-%m-%dT%H:%M")},
        )
        source_form = SourceForm(prefix="source")
        breakdown = breakdown_formset()
        status = 200
    context = {
        "form": form,
        "source_form": source_form,
        "breakdown": breakdown,
        "map_config": _pick_map_config(mission),
        "queue_config": _queue_config(request, mission),
    }
    return _page(request, "report.html", access, context, status)


def _queue_config(request, mission) -> dict:
    """What the report page's script (static/js/offline/report.js) needs to keep reports on
    the device, send them later and keep the page usable offline."""
    report_url = reverse("incidents:report", args=[mission.acronym])
    return {
        "mission": mission.acronym,
        "user": request.user.pk,
        # The queue of earlier versions, moved into IndexedDB once.
        "legacyStorageKey": f"bluehelmet:report-queue:{mission.acronym}:{request.user.pk}",
        "batchUrl": reverse("api-incident-batch"),
        "offlineUrl": reverse("incidents:offline", args=[mission.acronym]),
        "mineUrl": reverse("incidents:offline-mine", args=[mission.acronym]),
        "loginUrl": f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': report_url})}",
        "serviceWorkerUrl": reverse("service-worker"),
        # When the page was written: its form's time "now" moves on from there (a kept copy).
        "renderedAt": int(timezone.now().timestamp() * 1000),
        "labels": {
            "queued": gettext_lazy("Queued on this device (%(n)s)"),
            "waiting": gettext_lazy("waiting for the connection"),
            "sending": gettext_lazy("sending…"),
            "sent": gettext_lazy("sent"),
            "alreadyStored": gettext_lazy("sent (it had already arrived)"),
            "refused": gettext_lazy("refused by the server: correct it"),
            "correct": gettext_lazy("Correct"),
            "discard": gettext_lazy("Discard"),
            "keptOffline": gettext_lazy(
                "No connection: the report is kept on this device and will be sent when the connection returns."
            ),
            "allSent": gettext_lazy("Every queued report has been sent."),
            "summary": gettext_lazy("%(n)s waiting"),
            "lastTry": gettext_lazy("last try %(time)s"),
            "nextIn": gettext_lazy("next in %(s)s s"),
            "logIn": gettext_lazy("Your session has ended: log in again and the waiting reports will be sent."),
            "logInLink": gettext_lazy("Log in"),
            "correcting": gettext_lazy(
                "Correct the report below and file it again: it keeps its id, so it is stored once."
            ),
            "photos": gettext_lazy("%(n)s photo(s)"),
            "offlineReady": gettext_lazy("Available offline: reference data version %(version)s, saved %(time)s."),
            "offlineFailed": gettext_lazy("This page could not be saved for offline use."),
            "recentTitle": gettext_lazy("Your recent reports"),
            "recentNone": gettext_lazy("No report of yours yet."),
            "recentSaved": gettext_lazy("as of %(time)s"),
        },
    }


@require_GET
@mission_view("incidents.report")
def offline_manifest(request, access):
    """What the service worker (templates/sw.js) keeps so the report form opens without a
    network: the page, the mission's reference data (admin areas, gazetteer, place labels,
    water, ceasefire zones, the basemap file when the mission has one) and, refreshed at every
    visit, the user's recent reports. `version` changes with the reference data (the mission's
    lookups_version, core/mission_cache.py) and with the basemap file: the copy is fetched anew."""
    mission = access.mission
    acronym = mission.acronym
    basemap = basemap_file_url(mission)
    urls = [
        reverse("incidents:report", args=[acronym]),
        reverse("mission-areas", args=[acronym]),
        reverse("mission-place-labels", args=[acronym]),
        reverse("mission-water", args=[acronym]),
        reverse("mission-gazetteer", args=[acronym]),
        reverse("incidents:zones-geojson", args=[acronym]),
    ]
    if basemap is not None:
        urls.append(basemap[0])
    version = f"{mission.lookups_version}.{basemap[0].rsplit('=', 1)[-1] if basemap else 0}"
    return JsonResponse(
        {
            "mission": acronym,
            "version": version,
            "report_url": urls[0],
            "urls": urls,
            "fresh": [reverse("incidents:offline-mine", args=[acronym])],
        }
    )


RECENT_REPORTS = 20


@require_GET
@mission_view("incidents.report")
def offline_mine(request, access):
    """The user's latest reports of the mission (as the gate shows them), for the report page,
    also offline (the service worker keeps the last answer)."""
    mission = access.mission
    rows = (
        feed.visible_incidents(request.user, mission)
        .filter(reported_by=request.user)
        .select_related("type", "place")
        .only("pk", "occurred_at", "status", "location_description", "type__name", "place__name")
        .order_by("-pk")[:RECENT_REPORTS]
    )
    reports_ = [
        {
            "id": incident.pk,
            "url": reverse("incidents:detail", args=[mission.acronym, incident.pk]),
            "type": incident.type.name,
            "occurred_at": timezone.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M"),
            "status": incident.get_status_display(),
            "place": incident.place.name if incident.place else incident.location_description,
        }
        for incident in rows
    ]
    return JsonResponse({"reports": reports_, "at": timezone.now().isoformat()})


def _pick_map_config(mission):
    return {"zonesUrl": reverse("incidents:zones-geojson", args=[mission.acronym]), "labels": MAP_LABELS}


@require_http_methods(["GET", "POST"])
@mission_view("incidents.report")
def edit(request, access, pk):
    """Edit an incident: its fields, casualties (grid and breakdown by sex and age) and
    sources (identities only for those who may see them); every change goes to the history."""
    mission = access.mission
    incident = _visible_incident(request, mission, pk)
    if not (
        access.can("incidents.analyse")
        or (incident.reported_by_id == request.user.pk and incident.status == Incident.Status.REPORTED)
    ):
        raise PermissionDenied
    if incident.is_merged:
        raise Http404
    data = request.POST if request.method == "POST" else None
    if data is None:
        breakdown = breakdown_formset(initial=casualty_grid_initial(incident)[1])
    else:
        breakdown = breakdown_formset(data)
    rows = breakdown.rows() if breakdown.is_bound and breakdown.is_valid() else []
    form = IncidentReportForm(data, instance=incident, mission=mission, breakdown=rows)
    sources = source_formset(incident, data, identities=access.can("incidents.identities"))
    reason_form = EditReasonForm(data)
    if data is not None and all(
        [form.is_valid(), formset_checked(breakdown), formset_checked(sources), reason_form.is_valid()]
    ):
        reports.edit_incident(
            incident, request.user, form, reason_form.cleaned_data["edit_reason"], sources if sources.is_bound else None
        )
        messages.success(request, _("Changes saved."))
        return redirect("incidents:detail", mission.acronym, incident.pk)
    if access.can("incidents.identities"):
        for source in incident.sources.exclude(identity=""):
            log_sensitive_access(
                request.user,
                source,
                mission=mission,
                detail=audit_detail(
                    gettext_noop("identity of a source of incident %(incident)s (edit page)"), incident=incident.pk
                ),
            )
    context = {
        "incident": incident,
        "form": form,
        "breakdown": breakdown,
        "sources": sources,
        "reason_form": reason_form,
        "map_config": _pick_map_config(mission),
    }
    return _page(request, "edit.html", access, context, 400 if data is not None else 200)


# --- one incident ---------------------------------------------------------------------------


@require_GET
@mission_view()
def detail(request, access, pk):
    mission = access.mission
    incident = _visible_incident(request, mission, pk)
    if incident.is_merged:
        messages.info(
            request,
            _("Report #%(id)s was merged into #%(target)s.") % {"id": incident.pk, "target": incident.merged_into_id},
        )
        if feed.mission_incidents(request.user, mission).filter(pk=incident.merged_into_id).exists():
            return redirect("incidents:detail", mission.acronym, incident.merged_into_id)
    context = {
        "incident": incident,
        "casualties": incident.casualties.all(),
        "history": history.described(history.incident_history(incident, user=request.user))
        if access.can("incidents.report")
        else [],
        "sources": labels.visible_sources(request.user, incident).select_related("first_incident")
        if access.can("incidents.sources")
        else [],
        "attachments": labels.visible_attachments(request.user, incident) if access.can("incidents.sources") else [],
        "alerts": incident.alerts.filter(labels.alert_scope(request.user)) if access.can("incidents.report") else [],
        "tasks": incident.tasks.filter(labels.task_scope(request.user)).select_related("assignee", "team")
        if access.can("incidents.report")
        else [],
        "merged_reports": incident.merged_reports.all(),
        "proposals": verification.proposals_for(incident) if access.can("incidents.analyse") else [],
        "next_statuses": [(s, Incident.Status(s).label) for s in verification.next_statuses(incident)]
        if access.can("incidents.analyse")
        else [],
        "status_form": StatusForm(),
        "source_form": SourceForm(),
        "may_regrade": access.can("incidents.sources") and _may_edit(access, incident, request.user),
        "merge_form": MergeForm(),
        "reason_form": ReasonForm(),
        "task_form": TaskForm(
            mission=mission,
            label=incident.sensitivity,
            initial={"due_at": (timezone.now() + datetime.timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M")},
        ),
        "attachment_form": AttachmentForm(),
        "detail_map": _detail_map(incident),
    }
    return _page(request, "detail.html", access, context)


def _detail_map(incident: Incident) -> dict:
    """What the incident's own map draws: its point and the admin area it lies in."""
    area = incident.place
    return {
        "lat": incident.latitude,
        "lon": incident.longitude,
        "title": f"#{incident.pk} {incident.type.name}",
        "area": {"name": area.name, "kind": area.kind, "pcode": area.pcode, "geometry": area.map_geometry}
        if area is not None and area.map_geometry
        else None,
    }


@require_POST
@mission_view("incidents.analyse")
def change_status(request, access, pk):
    mission = access.mission
    incident = _visible_incident(request, mission, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            verification.change_status(incident, request.user, form.cleaned_data["status"], form.cleaned_data["reason"])
            messages.success(request, _("Status set to %(status)s.") % {"status": incident.get_status_display()})
        except verification.WorkflowError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Choose a status and say why."))
    return redirect("incidents:detail", mission.acronym, incident.pk)


@require_POST
@mission_view("incidents.report")
def add_source(request, access, pk):
    mission = access.mission
    incident = _visible_incident(request, mission, pk)
    form = SourceForm(request.POST)
    if form.is_valid():
        reports.add_source(incident, request.user, form)
        messages.success(request, _("Source added."))
    else:
        messages.error(
            request,
            _("The source was not added: %(errors)s")
            % {"errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in reports.messages(form.errors).items())},
        )
    return redirect("incidents:detail", mission.acronym, incident.pk)


def _may_edit(access, incident: Incident, user) -> bool:
    """Who may edit an incident and its sources: analysts, and the reporter while it is new."""
    return not incident.is_merged and (
        access.can("incidents.analyse")
        or (incident.reported_by_id == user.pk and incident.status == Incident.Status.REPORTED)
    )


@require_POST
@mission_view("incidents.report")
def regrade_source(request, access, pk, source_pk):
    """Grade a source anew, with a reason: the same rule as editing the incident's sources."""
    mission = access.mission
    incident = _visible_incident(request, mission, pk)
    if not (access.can("incidents.sources") and _may_edit(access, incident, request.user)):
        raise PermissionDenied
    source = get_object_or_404(labels.visible_sources(request.user, incident), pk=source_pk)
    form = SourceGradeForm(request.POST, prefix=f"grade{source.pk}")
    if form.is_valid():
        reports.regrade_source(
            source,
            request.user,
            form.cleaned_data["reliability"],
            form.cleaned_data["credibility"],
            form.cleaned_data["reason"],
        )
        messages.success(request, _("Source re-graded."))
    else:
        messages.error(
            request,
            _("The source was not re-graded: %(errors)s")
            % {"errors": "; ".join(f"{k}: {' '.join(v)}" for k, v in reports.messages(form.errors).items())},
        )
    return redirect("incidents:detail", mission.acronym, incident.pk)


@require_GET
@mission_view("incidents.identities")
def source_identity(request, access, pk, source_pk):
    """A source's identity, shown on request and logged."""
    mission = access.mission
    incident = _visible_incident(request, mission, pk)
    source = get_object_or_404(Source, pk=source_pk, incident=incident)
    log_sensitive_access(
        request.user,
        source,
        mission=mission,
        detail=audit_detail(gettext_noop("identity of a source of incident %(incident)s"), incident=incident.pk),
    )
    return _page(request, "_source_identity.html", access, {"source": source})


@require_POST
@mission_view("incidents.report")
def add_attachment(request, access, pk):
    mission = access.mission
    incident = _visible_incident(request, mission, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        reports.add_attachment(incident, request.user, form.cleaned_data["file"])
        messages.success(request, _("Attachment added."))
    else:
        messages.error(request, " ".join(form.errors.get("file", [])) or _("No file."))
    return redirect("incidents:detail", mission.acronym, incident.pk)


@require_GET
@mission_view("incidents.sources")
def attachment(request, access, pk, attachment_pk):
    mission = access.mission
    incident = _visible_incident(request, mission, pk)
    item = get_object_or_404(labels.visible_attachments(request.user, incident), pk=attachment_pk)
    content_type = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
    # Always a download: an uploaded HTML or SVG file must not run in the site's origin.
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name, content_type=content_type)


@require_POST
@mission_view("incidents.analyse")
def merge(request, access, pk):
    mission = access.mission
    keep = _visible_incident(request, mission, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the report number and say why."))
        return redirect("incidents:detail", mission.acronym, keep.pk)
    duplicate = get_object_or_404(Incident, pk=form.cleaned_data["duplicate"], mission=mission)
    try:
        verification.merge(keep, duplicate, request.user, form.cleaned_data["reason"])
        messages.success(request, _("Report #%(dup)s merged into #%(keep)s.") % {"dup": duplicate.pk, "keep": keep.pk})
    except verification.WorkflowError as exc:
        messages.error(request, str(exc))
    return redirect("incidents:detail", mission.acronym, keep.pk)


@require_POST
@mission_view("incidents.analyse")
def reject_duplicate(request, access, pk):
    mission = access.mission
    proposal = get_object_or_404(DuplicateProposal, pk=pk, first__mission=mission)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            verification.reject(proposal, request.user, form.cleaned_data["reason"])
            messages.success(request, _("Marked as different incidents."))
        except verification.WorkflowError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Say why."))
    return redirect(
        request.POST.get("next")
        if request.POST.get("next", "").startswith("/missions/")
        else reverse("incidents:duplicates", args=[mission.acronym])
    )


@require_GET
@mission_view("incidents.analyse")
def duplicates(request, access):
    mission = access.mission
    return _page(
        request,
        "duplicates.html",
        access,
        {"proposals": verification.open_proposals(mission)[:200], "reason_form": ReasonForm()},
    )


# --- alerts ---------------------------------------------------------------------------------


@require_GET
@mission_view("incidents.report")
def alert_list(request, access):
    mission = access.mission
    status = request.GET.get("status", "")
    items = labels.visible_alerts(request.user, mission).select_related("rule", "incident", "place", "acknowledged_by")
    if status in Alert.Status.values:
        items = items.filter(status=status)
    page = Paginator(items, INCIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    notifications = list(alerts.unread_notifications(request.user, mission)[:20])
    return _page(
        request,
        "alerts.html",
        access,
        {"page": page, "status": status, "statuses": Alert.Status.choices, "notifications": notifications},
    )


def _visible_alert(request, mission, pk) -> Alert:
    return get_object_or_404(
        labels.visible_alerts(request.user, mission).select_related("rule", "incident", "place"), pk=pk
    )


@require_GET
@mission_view("incidents.report")
def alert_detail(request, access, pk):
    """The alert, its incidents, tasks and history. Reading it changes nothing: the notice is
    marked read by the page's button (mark_alert_read, a POST)."""
    mission = access.mission
    alert = _visible_alert(request, mission, pk)
    entries = history.described(
        labels.visible_history(request.user, alert.history.select_related("user", "task").order_by("at", "id"))
    )
    task_entries = history.described(
        labels.visible_history(
            request.user, history.IncidentHistory.objects.filter(task__alert=alert, alert__isnull=True)
        )
    )
    context = {
        "alert": alert,
        "history": sorted(entries + task_entries, key=lambda row: (row[0].at, row[0].pk)),
        "incidents": feed.visible_incidents(request.user, mission)
        .filter(pk__in=alert.incidents.values("pk"))
        .select_related("type"),
        "tasks": alert.tasks.filter(labels.task_scope(request.user)).select_related("assignee", "team"),
        "unread": alerts.unread_notifications(request.user, mission).filter(alert=alert).exists(),
        "ack_form": AcknowledgeForm(),
        "reason_form": ReasonForm(),
        "task_form": TaskForm(
            mission=mission,
            label=alert.sensitivity,
            initial={
                "title": alert.title[:300],
                "due_at": (timezone.now() + datetime.timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M"),
            },
        ),
    }
    return _page(request, "alert.html", access, context)


@require_POST
@mission_view("incidents.report")
def mark_alert_read(request, access, pk):
    alert = _visible_alert(request, access.mission, pk)
    alerts.mark_read(alert, request.user)
    return redirect("incidents:alert", access.mission.acronym, alert.pk)


@require_POST
@mission_view("incidents.analyse")
def acknowledge_alert(request, access, pk):
    mission = access.mission
    alert = _visible_alert(request, mission, pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("incidents:alert", mission.acronym, alert.pk)
    try:
        alerts.acknowledge(alert, request.user, form.cleaned_data["note"])
        messages.success(request, _("Alert acknowledged."))
    except alerts.AlertStateError as exc:
        messages.error(request, str(exc))
    return redirect("incidents:alert", mission.acronym, alert.pk)


@require_POST
@mission_view("incidents.analyse")
def close_alert(request, access, pk):
    mission = access.mission
    alert = _visible_alert(request, mission, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            alerts.close_alert(alert, request.user, form.cleaned_data["reason"])
            messages.success(request, _("Alert closed."))
        except alerts.AlertStateError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Say why."))
    return redirect("incidents:alert", mission.acronym, alert.pk)


@require_http_methods(["GET", "POST"])
@mission_view("incidents.analyse")
def rules(request, access):
    mission = access.mission
    form = AlertRuleForm(request.POST or None, mission=mission)
    if request.method == "POST" and form.is_valid():
        rule = alerts.create_rule(request.user, mission, form)
        messages.success(request, _("Rule “%(name)s” created; you are subscribed to it.") % {"name": rule.name})
        return redirect("incidents:rules", mission.acronym)
    items = AlertRule.objects.filter(mission=mission).prefetch_related("incident_types", "subscriptions")
    subscribed = set(
        Subscription.objects.filter(user=request.user, rule__mission=mission).values_list("rule_id", flat=True)
    )
    return _page(
        request,
        "rules.html",
        access,
        {"form": form, "rules": items, "subscribed": subscribed},
        400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@mission_view("incidents.analyse")
def rule_edit(request, access, pk):
    mission = access.mission
    rule = get_object_or_404(AlertRule, pk=pk, mission=mission)
    form = AlertRuleForm(request.POST or None, instance=rule, mission=mission)
    if request.method == "POST" and form.is_valid():
        alerts.save_rule(form)
        messages.success(request, _("Rule saved."))
        return redirect("incidents:rules", mission.acronym)
    return _page(request, "rule.html", access, {"form": form, "rule": rule}, 400 if form.errors else 200)


@require_POST
@mission_view("incidents.report")
def subscribe(request, access, pk):
    mission = access.mission
    rule = get_object_or_404(AlertRule, pk=pk, mission=mission)
    if request.POST.get("action") == "unsubscribe":
        alerts.unsubscribe(request.user, rule)
    else:
        alerts.subscribe(
            request.user,
            rule,
            by_email=bool(request.POST.get("by_email")),
            by_sms=bool(request.POST.get("by_sms")),
            phone=request.POST.get("phone", "").strip()[:30],
        )
    return redirect(
        reverse("incidents:rules", args=[mission.acronym])
        if access.can("incidents.analyse")
        else reverse("incidents:alerts", args=[mission.acronym])
    )


# --- rapid response -------------------------------------------------------------------------


@require_GET
@mission_view("incidents.report")
def task_list(request, access):
    mission = access.mission
    today = timezone.now().date()
    start = today - datetime.timedelta(days=90)
    share = alert_response_share(mission, start, today)
    median = median_time_to_respond(mission, start, today)
    context = {
        "tasks": response.open_tasks_by_urgency(mission).filter(labels.task_scope(request.user)),
        "closed": labels.visible_tasks(request.user, mission)
        .exclude(status__in=ResponseTask.OPEN_STATUSES)
        .order_by("-closed_at")[:20],
        "now": timezone.now(),
        "indicator_start": start,
        "indicator_end": today,
        "share": None if share is None else round(100 * share),
        "median": median,
    }
    return _page(request, "tasks.html", access, context)


@require_http_methods(["GET", "POST"])
@mission_view("incidents.analyse")
def task_new(request, access):
    mission = access.mission
    source = request.POST if request.method == "POST" else request.GET
    alert_pk, incident_pk = positive_id(source.get("alert")), positive_id(source.get("incident"))
    alert = labels.visible_alerts(request.user, mission).filter(pk=alert_pk).first() if alert_pk else None
    incident = feed.mission_incidents(request.user, mission).filter(pk=incident_pk).first() if incident_pk else None
    label = strictest([record.sensitivity for record in (alert, incident) if record is not None])
    form = TaskForm(request.POST or None, mission=mission, label=label)
    if request.method == "POST" and form.is_valid():
        task = response.create_task(request.user, mission, alert=alert, incident=incident, **form.cleaned_data)
        messages.success(request, _("Task created."))
        return redirect("incidents:task", mission.acronym, task.pk)
    return _page(
        request,
        "task_new.html",
        access,
        {"form": form, "alert": alert, "incident": incident},
        400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@mission_view("incidents.report")
def task_detail(request, access, pk):
    mission = access.mission
    task = get_object_or_404(
        labels.visible_tasks(request.user, mission).select_related("alert", "incident", "assignee", "team"), pk=pk
    )
    form = TaskUpdateForm(request.POST or None, initial={"status": task.status, "outcome": task.outcome})
    if request.method == "POST":
        access.require("incidents.analyse")
        if form.is_valid():
            try:
                response.update_task(
                    task, request.user, status=form.cleaned_data["status"], outcome=form.cleaned_data["outcome"]
                )
                messages.success(request, _("Task updated."))
                return redirect("incidents:task", mission.acronym, task.pk)
            except response.TaskStateError as exc:
                form.add_error(None, str(exc))
    entries = history.described(task.history.select_related("user").order_by("at", "id"))
    return _page(
        request,
        "task.html",
        access,
        {"task": task, "form": form, "history": entries, "closed": task.status in response.CLOSED_STATUSES},
        400 if form.errors else 200,
    )


# --- ceasefires -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@mission_view()
def agreement_list(request, access):
    mission = access.mission
    form = AgreementForm(request.POST or None)
    if request.method == "POST":
        access.require("incidents.analyse")
        if form.is_valid():
            agreement = ceasefires.create_agreement(mission, form)
            return redirect("incidents:ceasefire", mission.acronym, agreement.pk)
    items = ceasefires.visible_agreements(request.user, mission).prefetch_related("parties", "zones")
    return _page(request, "ceasefires.html", access, {"agreements": items, "form": form}, 400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@mission_view()
def agreement_detail(request, access, pk):
    mission = access.mission
    agreement = get_object_or_404(ceasefires.visible_agreements(request.user, mission), pk=pk)
    zone_form = ZoneForm(request.POST or None, request.FILES or None, mission=mission)
    if request.method == "POST":
        access.require("incidents.analyse")
        if zone_form.is_valid():
            ceasefires.add_zone(agreement, zone_form.cleaned_data)
            messages.success(request, _("Zone added."))
            return redirect("incidents:ceasefire", mission.acronym, agreement.pk)
    violations = ceasefires.violations(agreement).filter(feed.incident_scope(request.user))
    compliance = ceasefires.compliance(agreement, violations)
    chart = {
        "weeks": [w.isoformat() for w in compliance["weeks"]],
        "parties": compliance["parties"],
        "verifiedLabel": _("verified"),
        "allegedLabel": _("alleged"),
        "axis": _("Violations per week"),
    }
    map_config = {
        **_pick_map_config(mission),
        "violationsUrl": reverse("incidents:map-data", args=[mission.acronym]) + f"?agreement={agreement.pk}",
    }
    context = {
        "agreement": agreement,
        "zones": agreement.zones.all(),
        "violations": feed.with_related(violations)[:200],
        "totals": compliance["totals"],
        "chart": chart,
        "map_config": map_config,
        "zone_form": zone_form,
    }
    return _page(request, "ceasefire.html", access, context, 400 if zone_form.errors else 200)


# --- taxonomy, exports, imports --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@mission_view("incidents.analyse")
def types(request, access):
    mission = access.mission
    instance = None
    if request.method == "POST" and (type_pk := positive_id(request.POST.get("pk"))):
        instance = get_object_or_404(IncidentType, pk=type_pk, mission=mission)
    form = IncidentTypeForm(request.POST or None, instance=instance, mission=mission)
    if request.method == "POST" and form.is_valid():
        taxonomy.save_type(mission, form)
        messages.success(request, _("Type saved."))
        return redirect("incidents:types", mission.acronym)
    items = IncidentType.objects.filter(mission=mission)
    return _page(request, "types.html", access, {"types": items, "form": form}, 400 if form.errors else 200)


EXPORTS = {
    "csv": (export.incidents_csv_lines, "text/csv; charset=utf-8", "incidents.csv"),
    "geojson": (export.incidents_geojson_chunks, "application/geo+json", "incidents.geojson"),
    "ged.csv": (export.incidents_ged_csv_lines, "text/csv; charset=utf-8", "incidents-ged.csv"),
}


@require_GET
@mission_view()
def export_incidents(request, access, format):
    mission = access.mission
    if format not in EXPORTS:
        raise Http404
    lines, content_type, name = EXPORTS[format]
    incidents = feed.with_related(
        feed.filtered_incidents(request.user, mission, request.GET).qs.order_by("-occurred_at", "-id")
    )
    response_ = StreamingHttpResponse(lines(incidents), content_type=content_type)
    response_["Content-Disposition"] = f'attachment; filename="{mission.acronym}-{name}"'
    return response_


@require_http_methods(["GET", "POST"])
@mission_view("incidents.analyse")
def import_incidents(request, access):
    mission = access.mission
    form = IncidentImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_import_job(
            request.user,
            form.cleaned_data["kind"],
            form.cleaned_data["file"],
            {"mission": mission.acronym, "imported_by": request.user.pk},
        )
        return redirect("importers:job", job.pk)
    return _page(request, "import.html", access, {"form": form}, 400 if form.errors else 200)


# --- analysis -------------------------------------------------------------------------------

ANALYSIS_LABELS = {
    "incidents": gettext_lazy("Incidents"),
    "killed": gettext_lazy("killed"),
    "injured": gettext_lazy("injured"),
    "abducted": gettext_lazy("abducted"),
    "any": gettext_lazy("Any"),
    "clear": gettext_lazy("Clear this filter"),
    "noData": gettext_lazy("No incident matches these filters."),
    "failed": gettext_lazy("The figures could not be updated; try again."),
    "top": gettext_lazy("The %(shown)s largest of %(total)s"),
}


@require_GET
@mission_view()
def analysis_page(request, access):
    """Counts and casualties by type, perpetrator, area and month, with the year before; the
    tables are drawn here (the page works without its script), incidents/analysis.js redraws
    charts, tables and map from analysis.json when a filter changes."""
    mission = access.mission
    form = analysis.AnalysisFilterForm(request.GET)
    # A bad filter in the address: the page opens on its defaults, with the error shown.
    result = analysis.analyse(request.user, mission, form if form.is_valid() else _empty_analysis_form())
    chosen = result.selection
    data_months = [datetime.date.fromisoformat(row["key"] + "-01") for row in result.by_month]
    axis = axis_months(month_axis(chosen.first, chosen.last, *data_months))
    values = [month["value"] for month in axis]
    config = {
        "dataUrl": reverse("incidents:analysis-data", args=[mission.acronym]),
        "csvUrl": reverse("incidents:analysis-csv", args=[mission.acronym]),
        "pageUrl": reverse("incidents:analysis", args=[mission.acronym]),
        "months": axis,
        "from": values.index(chosen.first.strftime("%Y-%m")),
        "to": values.index(chosen.last.strftime("%Y-%m")),
        "labels": ANALYSIS_LABELS,
        "analysis": result.as_json(),
        "rowsUrl": analysis.rows_export_url(mission, chosen),
    }
    comparison = result.comparison
    context = {
        "comparison_rows": [
            {
                "measure": measure,
                "label": label,
                "current": comparison["current"][measure],
                "previous": comparison["previous"][measure],
                **comparison["change"][measure],
            }
            for measure, label in ANALYSIS_MEASURES.items()
        ],
        "tables": _analysis_tables(result, chosen),
        "filter_form": form,
        "result": result,
        "chosen": chosen,
        "months_in_range": result.months_in_range(),
        "config": config,
        "query": _query(chosen.params()),
        "saved_views": list(analysis.saved_views(request.user, mission)),
        "save_form": analysis.SavedViewForm(),
        "unread_alerts": None,  # not counted on this page: its query budget goes to the figures
    }
    return _page(request, "analysis.html", access, context, 200 if form.is_valid() else 400)


ANALYSIS_MEASURES = {
    "count": gettext_lazy("Incidents"),
    "killed": gettext_lazy("Killed"),
    "injured": gettext_lazy("Injured"),
    "abducted": gettext_lazy("Abducted"),
}
ANALYSIS_TITLES = {
    "type": gettext_lazy("By type"),
    "perpetrator": gettext_lazy("By perpetrator"),
    "place": gettext_lazy("By admin area"),
}


def _analysis_tables(result, chosen) -> list[dict]:
    """The breakdowns as the no-script page draws them: each row's label a link that chooses
    it as a filter (or, when chosen, clears it)."""
    params = chosen.params()
    tables = []
    for name, rows in result.breakdowns():
        if name == "month":
            continue
        linked = []
        for row in rows:
            selected = row["key"] is not None and str(row["key"]) == params.get(name)
            chosen_params = {key: value for key, value in params.items() if key != name}
            if not selected and row["key"] is not None:
                chosen_params[name] = str(row["key"])
            linked.append(
                {**row, "selected": selected, "query": _query(chosen_params), "linkable": row["key"] is not None}
            )
        tables.append({"name": name, "title": ANALYSIS_TITLES[name], "rows": linked})
    return tables


def _empty_analysis_form():
    """The filters of a page opened with none: always valid (every filter is optional)."""
    form = analysis.AnalysisFilterForm({})
    if not form.is_valid():
        raise AssertionError(form.errors)
    return form


def _query(params: dict) -> str:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(params)
    return query.urlencode()


@require_GET
@mission_view()
def analysis_data(request, access):
    """The figures of the analysis page for its filters, as JSON; 400 with the field errors
    of a bad filter."""
    form = analysis.AnalysisFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse(_form_errors(form), status=400)
    result = analysis.analyse(request.user, access.mission, form)
    return JsonResponse({**result.as_json(), "rows_url": analysis.rows_export_url(access.mission, result.selection)})


def _form_errors(form) -> dict:
    return {"errors": {name: list(errors) for name, errors in form.errors.items()}}


@require_GET
@mission_view()
def analysis_csv(request, access):
    """The view's figures as CSV: the totals of its months and of the year before, and each
    breakdown (the rows behind them: the incidents export, analysis.rows_export_url)."""
    form = analysis.AnalysisFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse(_form_errors(form), status=400)
    result = analysis.analyse(request.user, access.mission, form)
    chosen = result.selection
    lines = csv_lines(analysis.AGGREGATE_HEADER, analysis.aggregate_rows(result))
    response_ = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = f"{access.mission.acronym}-incident-analysis-{chosen.first:%Y-%m}-{chosen.last:%Y-%m}.csv"
    response_["Content-Disposition"] = f'attachment; filename="{name}"'
    return response_


@require_POST
@mission_view()
def analysis_save(request, access):
    """Save the page's filters under a name; field errors as JSON (400) for the script, or
    the page again with them."""
    outcome = analysis.save_view(request.user, access, request.POST)
    if outcome.view is not None:
        url = reverse("incidents:analysis-view", args=[access.mission.acronym, outcome.view.pk])
        if _wants_json(request):
            return JsonResponse({"id": outcome.view.pk, "name": outcome.view.name, "url": url}, status=201)
        messages.success(request, _("View “%(name)s” saved.") % {"name": outcome.view.name})
        return redirect(url)
    if _wants_json(request):
        return JsonResponse({"errors": outcome.errors}, status=400)
    messages.error(
        request,
        _("The view was not saved: %(errors)s")
        % {"errors": "; ".join(f"{name}: {' '.join(errors)}" for name, errors in outcome.errors.items())},
    )
    return redirect(
        reverse("incidents:analysis", args=[access.mission.acronym])
        + "?"
        + _query({k: v for k, v in request.POST.items() if k in ("from", "to", *analysis.RECORD_FILTERS) and v})
    )


@require_GET
@mission_view()
def analysis_view(request, access, pk):
    """Open a saved view: the page on its filters. 404 unless it is the user's own or shared
    with the user's mission."""
    view = get_object_or_404(analysis.saved_views(request.user, access.mission), pk=pk)
    params = {**view.params, "view": str(view.pk)}
    return redirect(reverse("incidents:analysis", args=[access.mission.acronym]) + "?" + _query(params))


@require_POST
@mission_view()
def analysis_view_delete(request, access, pk):
    view = get_object_or_404(analysis.saved_views(request.user, access.mission).filter(owner=request.user), pk=pk)
    analysis.delete_view(request.user, view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect("incidents:analysis", access.mission.acronym)
