"""DDR pages. Analysts see the aggregate page only; DDR officers and administrators also
the participants, whose personal data is logged on every view (core.audit)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bluehelmet.core.access import places_for
from bluehelmet.core.audit import audit_detail, log_sensitive_access, log_sensitive_export
from bluehelmet.core.gate import mission_view
from bluehelmet.core.models import Place

from . import cases, indicators
from .export import participants_csv_lines
from .forms import STAGE_FORMS, RegistrationForm
from .models import Participant

PER_PAGE = 50


def _registration_places(user, mission):
    return (
        places_for(user)
        .filter(country__in=mission.host_countries.all(), kind__in=(Place.Kind.ADM2, Place.Kind.ADM3, Place.Kind.SITE))
        .order_by("kind", "name")
    )


@require_GET
@mission_view("ddr.aggregates")
def index(request, access):
    mission = access.mission
    context = {
        "mission": mission,
        "records": access.can("ddr.records"),
        "funnel": indicators.funnel(mission),
        "by_faction": indicators.weapons_per_combatant(mission, "faction"),
        "by_place": indicators.weapons_per_combatant(mission, "place"),
    }
    return render(request, "ddr/index.html", context)


def _listed_participants(request, mission) -> tuple[list[Participant], str, str]:
    participants = Participant.objects.filter(mission=mission).select_related("faction", "place")
    stage = request.GET.get("stage", "")
    query = request.GET.get("q", "").strip()
    if query:
        participants = participants.filter(reference__icontains=query)
    return [p for p in participants if not stage or p.stage == stage], stage, query


@require_GET
@mission_view("ddr.records")
def participant_list(request, access):
    """References, category, faction, place and stage: no personal data on this page."""
    mission = access.mission
    rows, stage, query = _listed_participants(request, mission)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "ddr/participants.html",
        {
            "mission": mission,
            "page": page,
            "stage": stage,
            "q": query,
            "records": True,
            "stages": [*indicators.STAGES, "referred"],
        },
    )


@require_GET
@mission_view("ddr.records")
def participants_csv(request, access):
    """The listed participants with their personal data; each one exported is logged first."""
    mission = access.mission
    rows, _stage, _query = _listed_participants(request, mission)
    log_sensitive_export(
        request.user, rows, mission=mission, detail=audit_detail(gettext_noop("participants list (CSV)"))
    )
    response = StreamingHttpResponse(participants_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{mission.acronym}-ddr-participants.csv"'
    return response


@require_http_methods(["GET", "POST"])
@mission_view("ddr.records")
def register(request, access):
    mission = access.mission
    form = RegistrationForm(request.POST or None, mission=mission, places=_registration_places(request.user, mission))
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            participant = cases.register(request.user, mission, form.cleaned_data)
        except cases.DuplicateRegistration as found:
            duplicate = found.existing
            form.add_error(
                None,
                _("Already registered as %(reference)s (same name, date of birth and faction): not saved again.")
                % {"reference": duplicate.reference},
            )
        else:
            log_sensitive_access(
                request.user,
                participant,
                action="create",
                mission=mission,
                detail=audit_detail(gettext_noop("registration")),
            )
            messages.success(request, _("Registered as %(reference)s.") % {"reference": participant.reference})
            return redirect("ddr:participant", acronym=mission.acronym, pk=participant.pk)
    child_refused = getattr(form, "child_refused", False)
    return render(
        request,
        "ddr/register.html",
        {
            "mission": mission,
            "form": form,
            "duplicate": duplicate,
            "child_refused": child_refused,
            "records": True,
            "referral": cases.CHILD_PROTECTION_REFERRAL,
        },
        status=400 if request.method == "POST" else 200,
    )


def _participant(access, pk):
    participant = get_object_or_404(
        Participant.objects.select_related("faction", "place"), mission=access.mission, pk=pk
    )
    return access.mission, participant


@require_GET
@mission_view("ddr.records")
def participant(request, access, pk):
    mission, person = _participant(access, pk)
    log_sensitive_access(request.user, person, mission=mission, detail=audit_detail(gettext_noop("participant record")))
    step = cases.next_step(person)
    forms = {
        name: form_class(participant=person, prefix=name, instance=_instance(person, name))
        for name, form_class in STAGE_FORMS.items()
    }
    return render(request, "ddr/participant.html", _participant_context(mission, person, forms, step))


def _instance(person, stage):
    if stage == "demobilisation":
        return getattr(person, "demobilisation", None)
    if stage == "reintegration":
        return getattr(person, "reintegration", None)
    return None


def _participant_context(mission, person, forms, step):
    return {
        "mission": mission,
        "person": person,
        "forms": forms,
        "step": step,
        "records": True,
        "weapons": person.weapons.all(),
        "visits": person.visits.all(),
        "demobilisation": getattr(person, "demobilisation", None),
        "reintegration": getattr(person, "reintegration", None),
    }


@require_POST
@mission_view("ddr.records")
def record_stage(request, access, pk, stage):
    mission, person = _participant(access, pk)
    if stage not in STAGE_FORMS:
        raise Http404
    if person.is_child:
        raise PermissionDenied(_("Children are referred to child protection, not taken through the adult DDR stages."))
    form = STAGE_FORMS[stage](request.POST, participant=person, prefix=stage, instance=_instance(person, stage))
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if stage == "disarmament":
            cases.record_weapon(request.user, person, data)
        elif stage == "demobilisation":
            cases.record_demobilisation(person, data)
        elif stage == "reintegration":
            cases.record_reintegration(person, data)
        else:
            cases.record_visit(request.user, person, data)
        log_sensitive_access(
            request.user,
            person,
            action="update",
            mission=mission,
            detail=audit_detail(gettext_noop("%(stage)s recorded"), stage=stage),
        )
        messages.success(request, _("Saved."))
        return redirect(reverse("ddr:participant", args=[mission.acronym, person.pk]) + f"#{stage}")
    log_sensitive_access(
        request.user,
        person,
        mission=mission,
        detail=audit_detail(gettext_noop("participant record (%(stage)s form with errors)"), stage=stage),
    )
    forms = {
        name: (form if name == stage else form_class(participant=person, prefix=name, instance=_instance(person, name)))
        for name, form_class in STAGE_FORMS.items()
    }
    return render(request, "ddr/participant.html", _participant_context(mission, person, forms, stage), status=400)
