"""Civil affairs pages. Views pick the records (queries), the business step (cases, which
holds every write) and a template; who may do what is declared in permissions and checked by
the gate (core.gate). Personal data (contacts, alert senders, complainants) shows only to the
roles that need it, and each view or export is logged."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluehelmet.analytics.civilaffairs import LEVELS, implementation_by_month, perception_table
from bluehelmet.core.audit import audit_detail, log_sensitive_access
from bluehelmet.core.exports import csv_lines
from bluehelmet.core.gate import mission_view
from bluehelmet.core.models import Role
from bluehelmet.core.params import positive_id
from bluehelmet.importers.models import ImportJob
from bluehelmet.importers.uploads import start_import_job

from . import cases, queries, tables
from .coverage import weeks_coverage
from .forms import (
    AgreementForm,
    AlertForm,
    AlertIncidentForm,
    AssessmentForm,
    CommitmentForm,
    ContactForm,
    CoverageForm,
    DismissForm,
    EngagementForm,
    GatewayForm,
    GrievanceForm,
    GrievanceStepForm,
    MediationForm,
    PartnerForm,
    ProvisionForm,
    SessionForm,
    SurveyImportForm,
    TriageNoteForm,
)
from .importers import PerceptionSurveyImporter
from .models import (
    AlertGateway,
    Commitment,
    CommunityAlert,
    Engagement,
    Grievance,
    Implementation,
    MediationProcess,
    Partner,
    PartnerContact,
    PeaceAgreement,
    SurveyResponse,
)

PER_PAGE = 50


def _page(request, template, access, context=None, status=200):
    return render(
        request,
        f"civilaffairs/{template}",
        {"mission": access.mission, "access": access, **(context or {})},
        status=status,
    )


def _csv(lines, mission, name):
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{mission.acronym}-{name}.csv"'
    return response


@require_GET
@mission_view()
def index(request, access):
    mission = access.mission
    today = timezone.localdate()
    alerts = queries.alerts(request.user, mission)
    provisions = queries.provisions(request.user, mission)
    context = {
        "counts": {
            "partners": queries.partners(request.user, mission).count(),
            "engagements": queries.engagements(request.user, mission).count(),
            "alerts_open": alerts.filter(status__in=CommunityAlert.OPEN).count(),
            "grievances_open": queries.grievances(request.user, mission).exclude(status__in=Grievance.CLOSED).count(),
            "mediations": queries.mediations(request.user, mission)
            .filter(status=MediationProcess.Status.ONGOING)
            .count(),
            "agreements": queries.agreements(request.user, mission).count(),
        },
        "open_alerts": alerts.filter(status__in=CommunityAlert.OPEN)[:10],
        "overdue": list(provisions.exclude(status=Implementation.FULL).filter(deadline__lt=today))[:10],
        "today": today,
    }
    return _page(request, "index.html", access, context)


# --- lists and CSV exports ------------------------------------------------------------------


def _table(name):
    table = tables.TABLES.get(name)
    if table is None:
        raise Http404
    return table


@require_GET
@mission_view()
def record_list(request, access, table):
    mission = access.mission
    table = _table(table)
    rows = tables.filtered(table, request.user, mission, request.GET)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "table": table,
        "page": page,
        "cells": list(tables.rows_as_cells(table, page.object_list)),
        "status": request.GET.get("status", ""),
    }
    return _page(request, "list.html", access, context)


@require_GET
@mission_view()
def record_export(request, access, table):
    mission = access.mission
    table = _table(table)
    return _csv(
        tables.table_csv(table, tables.filtered(table, request.user, mission, request.GET)), mission, table.name
    )


# --- create and edit, one view for every simple record --------------------------------------

EDITABLE = {
    "partner": (Partner, PartnerForm, queries.partners, _("local partner")),
    "engagement": (Engagement, EngagementForm, queries.engagements, _("community engagement")),
    "mediation": (MediationProcess, MediationForm, queries.mediations, _("mediation process")),
    "agreement": (PeaceAgreement, AgreementForm, queries.agreements, _("agreement")),
}


@require_http_methods(["GET", "POST"])
@mission_view("civilaffairs.work")
def edit(request, access, kind, pk=None):
    if kind not in EDITABLE:
        raise Http404
    mission = access.mission
    model, form_class, rows, label = EDITABLE[kind]
    instance = get_object_or_404(rows(request.user, mission), pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance, mission=mission, user=request.user)
    if request.method == "POST" and form.is_valid():
        record = cases.save_record(request.user, mission, form)
        messages.success(request, _("Saved."))
        return redirect(f"civilaffairs:{kind}", acronym=mission.acronym, pk=record.pk)
    title = (_("Edit %(what)s") if instance else _("New %(what)s")) % {"what": label}
    return _page(
        request,
        "form.html",
        access,
        {"form": form, "title": title, "form_id": f"{kind}-form"},
        status=400 if form.errors else 200,
    )


# --- partners -------------------------------------------------------------------------------


def _partner(request, access, pk):
    return get_object_or_404(queries.partners(request.user, access.mission), pk=pk)


def _partner_engagements(user, mission, partner):
    """The partner's latest engagements the user may see (a partner: the shared ones only)."""
    return queries.engagements(user, mission).filter(pk__in=partner.engagements.values("pk")).order_by("-held_on")[:20]


@require_GET
@mission_view()
def partner(request, access, pk):
    mission, record = access.mission, _partner(request, access, pk)
    contacts = []
    if access.can("civilaffairs.personal"):
        contacts = list(record.contacts.all())
        if contacts:
            log_sensitive_access(
                request.user,
                record,
                mission=mission,
                detail=audit_detail(gettext_noop("partner contacts (%(count)s)"), count=len(contacts)),
            )
    context = {
        "partner": record,
        "contacts": contacts,
        "contact_form": ContactForm(),
        "engagements": _partner_engagements(request.user, mission, record),
        "alerts": queries.alerts(request.user, mission).filter(partner=record)[:20],
    }
    return _page(request, "partner.html", access, context)


@require_POST
@mission_view("civilaffairs.personal")
def contact_new(request, access, pk):
    mission, record = access.mission, _partner(request, access, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        cases.add_partner_contact(request.user, mission, record, form)
        messages.success(request, _("Contact added."))
        return redirect(reverse("civilaffairs:partner", args=[mission.acronym, record.pk]) + "#contacts")
    contacts = list(record.contacts.all())
    log_sensitive_access(
        request.user,
        record,
        mission=mission,
        detail=audit_detail(gettext_noop("partner contacts (%(count)s, form with errors)"), count=len(contacts)),
    )
    context = {
        "partner": record,
        "contacts": contacts,
        "contact_form": form,
        "engagements": _partner_engagements(request.user, mission, record),
        "alerts": [],
    }
    return _page(request, "partner.html", access, context, status=400)


@require_POST
@mission_view("civilaffairs.personal")
def contact_delete(request, access, pk, contact):
    mission, record = access.mission, _partner(request, access, pk)
    item = get_object_or_404(PartnerContact, partner=record, pk=contact)
    cases.remove_partner_contact(request.user, mission, record, item)
    messages.success(request, _("Contact removed."))
    return redirect(reverse("civilaffairs:partner", args=[mission.acronym, record.pk]) + "#contacts")


@require_GET
@mission_view("civilaffairs.personal")
def contacts_export(request, access):
    """Every contact of the partners the user sees: civil affairs officers and administrators
    only, the export logged before it is built."""
    mission = access.mission
    contacts = (
        PartnerContact.objects.filter(partner__in=queries.partners(request.user, mission))
        .select_related("partner__place")
        .order_by("partner__name", "pk")
    )
    log_sensitive_access(
        request.user,
        mission,
        action="export",
        mission=mission,
        detail=audit_detail(gettext_noop("partner contacts CSV (%(count)s contacts)"), count=contacts.count()),
    )
    records = (
        [c.partner.name, c.partner.get_kind_display(), c.partner.place.name, c.full_name, c.position, c.phone, c.email]
        for c in contacts.iterator(chunk_size=500)
    )
    return _csv(
        csv_lines(["partner", "kind", "place", "full_name", "position", "phone", "email"], records),
        mission,
        "partner-contacts",
    )


# --- engagements ----------------------------------------------------------------------------


def _engagement(request, access, pk):
    return get_object_or_404(queries.engagements(request.user, access.mission), pk=pk)


def _engagement_context(record, commitment_form=None, failed=None, failed_form=None):
    commitments = list(record.commitments.all())
    for item in commitments:
        item.edit_form = CommitmentForm(instance=item, prefix=f"c{item.pk}")
    return {
        "engagement": record,
        "commitments": commitments,
        "commitment_form": commitment_form or CommitmentForm(),
        "failed": failed,
        "failed_form": failed_form,
    }


@require_GET
@mission_view()
def engagement(request, access, pk):
    record = _engagement(request, access, pk)
    return _page(request, "engagement.html", access, _engagement_context(record))


@require_POST
@mission_view("civilaffairs.work")
def commitment_save(request, access, pk, commitment=None):
    mission, record = access.mission, _engagement(request, access, pk)
    instance = get_object_or_404(Commitment, engagement=record, pk=commitment) if commitment else None
    form = CommitmentForm(request.POST, instance=instance, prefix=f"c{commitment}" if commitment else None)
    if form.is_valid():
        cases.save_commitment(record, form)
        messages.success(request, _("Commitment saved."))
        return redirect(reverse("civilaffairs:engagement", args=[mission.acronym, record.pk]) + "#commitments")
    context = _engagement_context(record, None if instance else form, instance, form if instance else None)
    return _page(request, "engagement.html", access, context, status=400)


@require_GET
@mission_view("civilaffairs.staff")
def coverage(request, access):
    mission = access.mission
    form = CoverageForm(request.GET or None)
    weeks, day = 8, None
    if form.is_bound and form.is_valid():
        weeks, day = form.cleaned_data["weeks"], form.cleaned_data["on"]
    if day is None:
        # The latest engagement's day: a mission's records may be historical (UNAMSIL).
        last = Engagement.objects.filter(mission=mission).order_by("-held_on").values_list("held_on", flat=True).first()
        day = min(last, timezone.localdate()) if last else timezone.localdate()
    result = weeks_coverage(mission, day, weeks, user=request.user)  # counts from what the viewer may see
    engaged, missed = result.split()
    features = [
        {
            "type": "Feature",
            "geometry": place.map_geometry,
            "properties": {"name": place.name, "risk": result.risk[place.pk], "engaged": place in engaged},
        }
        for place in engaged + missed
        if place.geometry
    ]
    points = [
        {"name": p.name, "lat": p.latitude, "lon": p.longitude, "engaged": p in engaged}
        for p in engaged + missed
        if not p.geometry and p.latitude is not None
    ]
    context = {
        "form": form,
        "weeks": weeks,
        "day": day,
        "coverage": result,
        "engaged": engaged,
        "missed": missed,
        "share": result.share,
        "map_data": {
            "features": features,
            "points": points,
            "labels": {"engaged": _("engaged"), "missed": _("no engagement"), "risk": _("risk")},
        },
    }
    return _page(request, "coverage.html", access, context)


# --- alerts ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@mission_view("civilaffairs.alert")
def alert_new(request, access):
    mission = access.mission
    partner_user = access.role == Role.PARTNER
    form = AlertForm(request.POST or None, mission=mission, user=request.user, partner_user=partner_user)
    if request.method == "POST" and form.is_valid():
        alert = cases.submit_alert(request.user, mission, form)
        messages.success(request, _("Alert received. Thank you: the mission will follow up."))
        return redirect("civilaffairs:alert", acronym=mission.acronym, pk=alert.pk)
    return _page(
        request,
        "form.html",
        access,
        {
            "form": form,
            "title": _("Report a community alert"),
            "form_id": "alert-form",
            "intro": _("Say what is happening, where and when. Anyone in danger: call the nearest UN post."),
        },
        status=400 if form.errors else 200,
    )


def _alert(request, access, pk):
    return get_object_or_404(queries.alerts(request.user, access.mission), pk=pk)


def _alert_page(request, access, alert, status=200, **forms):
    mission = access.mission
    sender = None
    if access.can("civilaffairs.personal") and alert.sender:
        log_sensitive_access(
            request.user, alert, mission=mission, detail=audit_detail(gettext_noop("community alert sender"))
        )
        sender = alert.sender
    context = {
        "alert": alert,
        "sender": sender,
        "note_form": forms.get("note_form") or TriageNoteForm(),
        "dismiss_form": forms.get("dismiss_form") or DismissForm(),
        "incident_form": forms.get("incident_form") or AlertIncidentForm(alert=alert, user=request.user),
        "incident_errors": forms.get("incident_errors"),
    }
    return _page(request, "alert.html", access, context, status=status)


@require_GET
@mission_view()
def alert(request, access, pk):
    record = _alert(request, access, pk)
    return _alert_page(request, access, record)


@require_POST
@mission_view("civilaffairs.triage")
def alert_triage(request, access, pk, action):
    mission, record = access.mission, _alert(request, access, pk)
    try:
        if action == "acknowledge":
            form = TriageNoteForm(request.POST)
            if not form.is_valid():
                return _alert_page(request, access, record, 400, note_form=form)
            cases.acknowledge_alert(request.user, record, form.cleaned_data["note"])
            messages.success(request, _("Alert acknowledged."))
        elif action == "dismiss":
            form = DismissForm(request.POST)
            if not form.is_valid():
                return _alert_page(request, access, record, 400, dismiss_form=form)
            cases.dismiss_alert(request.user, record, form.cleaned_data["note"])
            messages.success(request, _("Alert dismissed."))
        elif action == "incident":
            form = AlertIncidentForm(request.POST, alert=record, user=request.user)
            if not form.is_valid():
                return _alert_page(request, access, record, 400, incident_form=form)
            submission = cases.alert_to_incident(request.user, record, form.cleaned_data)
            if not submission.ok:
                return _alert_page(request, access, record, 400, incident_form=form, incident_errors=submission.errors)
            messages.success(request, _("Incident %(pk)s created from the alert.") % {"pk": submission.incident.pk})
        else:
            raise Http404
    except cases.TriageError as refused:
        messages.error(request, str(refused))
    return redirect("civilaffairs:alert", acronym=mission.acronym, pk=record.pk)


# --- grievances -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@mission_view("civilaffairs.work")
def grievance_new(request, access):
    mission = access.mission
    form = GrievanceForm(request.POST or None, mission=mission, user=request.user)
    if request.method == "POST" and form.is_valid():
        grievance = cases.record_grievance(request.user, mission, form)
        if grievance.complainant:
            log_sensitive_access(
                request.user,
                grievance,
                action="create",
                mission=mission,
                detail=audit_detail(gettext_noop("grievance complainant")),
            )
        messages.success(request, _("Grievance recorded."))
        return redirect("civilaffairs:grievance", acronym=mission.acronym, pk=grievance.pk)
    return _page(
        request,
        "form.html",
        access,
        {"form": form, "title": _("Record a grievance"), "form_id": "grievance-form"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@mission_view()
def grievance(request, access, pk):
    mission = access.mission
    record = get_object_or_404(queries.grievances(request.user, mission), pk=pk)
    form = GrievanceStepForm(request.POST or None, grievance=record)
    status = 200
    if request.method == "POST":
        access.require("civilaffairs.work")
        if form.is_valid():
            data = form.cleaned_data
            try:
                cases.move_grievance(
                    request.user, record, data["status"], data["on"], data["note"], data["assigned_to"]
                )
            except ValueError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("civilaffairs:grievance", args=[mission.acronym, record.pk]) + "#history")
        status = 400
    complainant = None
    if access.can("civilaffairs.personal") and record.complainant:
        log_sensitive_access(
            request.user, record, mission=mission, detail=audit_detail(gettext_noop("grievance complainant"))
        )
        complainant = record.complainant
    context = {
        "grievance": record,
        "complainant": complainant,
        "history": record.history.select_related("by"),
        "form": form,
        "closed": record.status in Grievance.CLOSED,
    }
    return _page(request, "grievance.html", access, context, status=status)


# --- mediation ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@mission_view()
def mediation(request, access, pk):
    mission = access.mission
    record = get_object_or_404(queries.mediations(request.user, mission), pk=pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        access.require("civilaffairs.work")
        if form.is_valid():
            cases.record_mediation_session(record, form)
            messages.success(request, _("Session recorded."))
            return redirect(reverse("civilaffairs:mediation", args=[mission.acronym, record.pk]) + "#sessions")
    context = {
        "process": record,
        "sessions": record.sessions.all(),
        "form": form,
        "agreements": record.agreements.all(),
    }
    return _page(request, "mediation.html", access, context, status=400 if form.errors else 200)


# --- agreements -----------------------------------------------------------------------------


def _dashboard(agreement, provisions, today):
    histories = [[(h.on, h.status) for h in p.history.all()] for p in provisions]
    last_days = [day for history in histories for day, _level in history]
    last = max([agreement.signed_on, *last_days])
    series = implementation_by_month(histories, agreement.signed_on, last)
    labels = dict(Implementation.choices)
    return {
        "months": [row["month"].strftime("%Y-%m") for row in series],
        "series": [
            {
                "level": level,
                "label": str(labels[level]),
                "shares": [
                    round(100 * row["shares"][level], 1) if row["shares"][level] is not None else None for row in series
                ],
            }
            for level in LEVELS
        ],
    }


@require_http_methods(["GET", "POST"])
@mission_view()
def agreement(request, access, pk):
    mission = access.mission
    record = get_object_or_404(queries.agreements(request.user, mission), pk=pk)
    form = ProvisionForm(request.POST or None)
    if request.method == "POST":
        access.require("civilaffairs.work")
        if form.is_valid():
            cases.add_provision(record, form)
            messages.success(request, _("Provision added."))
            return redirect(reverse("civilaffairs:agreement", args=[mission.acronym, record.pk]) + "#provisions")
    today = timezone.localdate()
    provisions = list(record.provisions.prefetch_related("history"))
    for p in provisions:
        p.overdue = p.overdue_on(today)
    context = {
        "agreement": record,
        "provisions": provisions,
        "form": form,
        "today": today,
        "dashboard": _dashboard(record, provisions, today),
        "exercise_assessments": any(h.exercise for p in provisions for h in p.history.all()),
    }
    return _page(request, "agreement.html", access, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@mission_view()
def provision(request, access, pk):
    mission = access.mission
    record = get_object_or_404(queries.provisions(request.user, mission), pk=pk)
    form = AssessmentForm(request.POST or None, initial={"status": record.status})
    edit_form = ProvisionForm(instance=record)
    if request.method == "POST":
        access.require("civilaffairs.work")
        if "reference" in request.POST:
            edit_form = ProvisionForm(request.POST, instance=record)
            if edit_form.is_valid():
                cases.edit_provision(edit_form)
                messages.success(request, _("Saved."))
                return redirect("civilaffairs:provision", acronym=mission.acronym, pk=record.pk)
            form = AssessmentForm(initial={"status": record.status})
        elif form.is_valid():
            data = form.cleaned_data
            try:
                cases.assess_provision(
                    request.user, record, data["status"], data["on"], data["note"], exercise=data["exercise"]
                )
            except ValueError as refused:
                form.add_error("on", str(refused))
            else:
                messages.success(request, _("Implementation status updated."))
                return redirect("civilaffairs:provision", acronym=mission.acronym, pk=record.pk)
    context = {
        "provision": record,
        "history": record.history.select_related("by").order_by("-on", "-pk"),
        "form": form,
        "edit_form": edit_form,
        "overdue": record.overdue_on(timezone.localdate()),
    }
    return _page(request, "provision.html", access, context, status=400 if form.errors or edit_form.errors else 200)


# --- perception surveys ---------------------------------------------------------------------


def _perception(user, mission, params):
    period = params.get("period") if params.get("period") in ("month", "quarter", "year") else "quarter"
    surveys = queries.surveys(user, mission)
    responses = SurveyResponse.objects.filter(survey__in=surveys).select_related("place")
    survey_id = params.get("survey", "")
    if (survey_pk := positive_id(survey_id)) is not None:
        responses = responses.filter(survey_id=survey_pk)
    rows = ((r.place.name, r.answered_on, r.trust, r.security) for r in responses.iterator(chunk_size=2000))
    return surveys, period, survey_id, perception_table(rows, period)


def _percent(value):
    return None if value is None else round(100 * value, 1)


@require_http_methods(["GET", "POST"])
@mission_view("civilaffairs.staff")
def surveys(request, access):
    mission = access.mission
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        access.require("civilaffairs.surveys")
        if form.is_valid():
            data = form.cleaned_data
            options = {
                "mission": mission.acronym,
                "imported_by": request.user.pk,
                "survey": data["survey"],
                **{name: data[name] for name in ("place_column", "date_column", "trust_column", "security_column")},
            }
            job = start_import_job(request.user, PerceptionSurveyImporter.kind, data["file"], options)
            return redirect("importers:job", job.pk)
    survey_list, period, survey_id, table = _perception(request.user, mission, request.GET)
    chart = {
        "labels": [f"{row['place']} {row['period']:%Y-%m}" for row in table],
        "trust": [_percent(row["trust"].share) for row in table],
        "security": [_percent(row["security"].share) for row in table],
        "trust_low": [_percent(row["trust"].low) for row in table],
        "trust_high": [_percent(row["trust"].high) for row in table],
        "security_low": [_percent(row["security"].low) for row in table],
        "security_high": [_percent(row["security"].high) for row in table],
        "words": {"trust": _("Trust in the mission (%)"), "security": _("Feel safe (%)")},
    }
    jobs = ImportJob.objects.filter(kind=PerceptionSurveyImporter.kind, summary__options__mission=mission.acronym)
    if not access.can("civilaffairs.survey_jobs"):
        jobs = jobs.filter(actor=request.user)
    context = {
        "form": form,
        "surveys": survey_list,
        "period": period,
        "survey_id": survey_id,
        "table": table,
        "chart": chart,
        "jobs": jobs.order_by("-pk")[:10],
    }
    return _page(request, "surveys.html", access, context, status=400 if form.errors else 200)


@require_GET
@mission_view("civilaffairs.staff")
def perception_export(request, access):
    mission = access.mission
    _surveys, _period, _id, table = _perception(request.user, mission, request.GET)
    header = [
        "place",
        "period_start",
        "respondents",
        "trust_answers",
        "trust_yes",
        "trust_share",
        "trust_low",
        "trust_high",
        "security_answers",
        "security_yes",
        "security_share",
        "security_low",
        "security_high",
    ]
    records = (
        [
            row["place"],
            row["period"].isoformat(),
            row["respondents"],
            *[
                value
                for key in ("trust", "security")
                for value in (
                    row[key].n,
                    row[key].yes,
                    _round(row[key].share),
                    _round(row[key].low),
                    _round(row[key].high),
                )
            ],
        ]
        for row in table
    )
    return _csv(csv_lines(header, records), mission, "perception")


def _round(value):
    return "" if value is None else round(value, 4)


# --- SMS gateways ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@mission_view("civilaffairs.gateways")
def gateways(request, access):
    mission = access.mission
    form = GatewayForm(request.POST or None)
    secret = None
    if request.method == "POST":
        if "deactivate" in request.POST:
            cases.switch_off_gateway(mission, positive_id(request.POST.get("deactivate")))
            messages.success(request, _("Gateway switched off."))
            return redirect("civilaffairs:gateways", acronym=mission.acronym)
        if form.is_valid():
            _gateway, secret = cases.new_gateway(mission, form.cleaned_data["name"])
            form = GatewayForm()
    context = {
        "form": form,
        "secret": secret,
        "gateways": AlertGateway.objects.filter(mission=mission),
        "endpoint": request.build_absolute_uri(reverse("api-civilaffairs-sms-list")),
    }
    return _page(request, "gateways.html", access, context, status=400 if form.errors else 200)
