"""Filing a report, from the report page, the API or a batch of reports queued in the field.

A report carries a client-generated id (UUID): a report sent twice after a dropped connection
is stored once, and the second sending gets the stored report back. Everything a report
writes (incident, casualties, sources, zone flags, duplicate proposals, alerts, history) is
written in one transaction or not at all.
"""

import copy
import uuid
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bluehelmet.analytics.geo import priogrid_gid
from bluehelmet.core.history import audit_in_bulk
from bluehelmet.core.models import Mission

from . import alerts, ceasefires, checks, history
from .forms import (
    AttachmentForm,
    BaseSourceFormSet,
    CasualtyForm,
    IncidentReportForm,
    SourceForm,
    breakdown_formset,
    casualty_totals,
    formset_checked,
)
from .models import Attachment, Casualty, Incident, Source

MAX_BATCH = 500


@dataclass
class Submission:
    incident: Incident | None = None
    created: bool = False
    errors: dict = field(default_factory=dict)
    # The checked forms (report, source, breakdown), for the report page to show its errors.
    forms: dict = field(default_factory=dict)
    # What a new report wrote besides itself ({"casualties": [...], "sources": [...], ...}),
    # for an answer that shows it without reading it back (`as_written`).
    written: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.incident is not None


def stored_report(mission: Mission, client_id) -> Submission | None:
    """The report already stored under this client id: Submission(incident) when it is this
    mission's, a client_id error when another mission holds it, None when new."""
    try:
        key = uuid.UUID(str(client_id))
    except (TypeError, ValueError, AttributeError):
        return None
    existing = Incident.objects.filter(client_id=key).first()
    if existing is None:
        return None
    if existing.mission_id != mission.pk:
        return Submission(errors={"client_id": [_("This id is already used by another report.")]})
    return Submission(existing, created=False)


def messages(errors) -> dict[str, list[str]]:
    """A form's errors as {field: [message, ...]}, the shape the API answers with."""
    return {name: [error["message"] for error in items] for name, items in errors.get_json_data().items()}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def submit_report(
    user,
    mission: Mission,
    data,
    *,
    sources: list | None = None,
    casualties: list | None = None,
    photos: list | None = None,
) -> Submission:
    """Check and store one report. `data` holds the report's fields (form data or a dict
    from JSON); `sources` and `casualties` are lists of dicts (the API's nested lists); the
    report page passes its one source as `source-` prefixed fields of `data`, and its
    casualty rows by sex and age as the `casualty-` formset, instead. Casualty rows of a kind
    and group whose total is given (the grid's `killed_civilian`, ...) break that total down.
    `photos` (uploaded files, from a report queued on a device) are attached in the same
    transaction: a report sent again is stored once, with its photos once."""
    if sources is None:
        source_forms = [SourceForm(data, prefix="source")]
    else:
        source_forms = [SourceForm(item if isinstance(item, dict) else {}) for item in sources]
    errors = {}
    if casualties is None:
        breakdown = breakdown_formset(data)
        rows = breakdown.rows() if breakdown.is_valid() else []
        if not formset_checked(breakdown):
            errors["casualties"] = [messages(e) for e in breakdown.errors] + [
                str(e) for e in breakdown.non_form_errors()
            ]
    else:
        breakdown = None
        casualty_forms = [CasualtyForm(item if isinstance(item, dict) else {}) for item in _list(casualties)]
        nested = [{} if f.is_valid() else messages(f.errors) for f in casualty_forms]
        rows = [f.cleaned_data for f in casualty_forms if f.is_valid()]
        if any(nested):
            errors["casualties"] = nested
    form = IncidentReportForm(data, mission=mission, breakdown=rows)
    valid = form.is_valid()
    errors.update(messages(form.errors))
    if not source_forms:
        errors["sources"] = [_("Give at least one source.")]
    photo_errors = [message for upload in photos or [] for message in attachment_errors(upload)]
    if photo_errors:
        errors["photos"] = photo_errors
    nested = [{} if f.is_valid() else messages(f.errors) for f in source_forms]
    if any(nested):
        errors["sources"] = nested
    if not valid or errors:
        # A report sent again is answered with the stored one, even if it would no longer pass.
        stored = stored_report(mission, data.get("client_id"))
        if stored is not None:
            return stored
        return Submission(errors=errors, forms={"report": form, "sources": source_forms, "breakdown": breakdown})
    try:
        with transaction.atomic():
            incident = _create(user, mission, form, [f.cleaned_data for f in source_forms], form.casualty_rows())
            for upload in photos or []:
                add_attachment(incident, user, upload)
    except IntegrityError:
        # A report sent again (a dropped connection), or the same id sent twice at once: the
        # client id is unique, so the first stored wins and this one is answered with it. Not
        # looked up beforehand: a new report, the usual case, then costs no query for it.
        stored = stored_report(mission, form.cleaned_data.get("client_id"))
        if stored is None:
            raise
        return stored
    checks.schedule(incident.pk)
    # The rows stay off the incident itself: a caller changing them later (a merge) must not
    # read a stale copy.
    written = incident.__dict__.pop("_prefetched_objects_cache", {})
    return Submission(incident, created=True, written={name: list(rows) for name, rows in written.items()})


def as_written(outcome: Submission) -> Incident:
    """A copy of a new report holding the rows it wrote as its prefetched relations."""
    incident = copy.copy(outcome.incident)
    incident.__dict__.pop("_prefetched_objects_cache", None)
    _remember(incident, **outcome.written)
    return incident


def _create(user, mission: Mission, form: IncidentReportForm, sources: list[dict], casualties: list[dict]) -> Incident:
    """Store a checked report in a fixed number of statements, whatever its number of
    casualty rows and sources: the incident (its casualty totals and zone flag computed
    beforehand), then each kind of row in one INSERT, its history entry, and the change
    history of all of them in one INSERT (core.history.audit_in_bulk). The duplicate check and
    the alert rules run after the commit (incidents.checks)."""
    data = form.cleaned_data
    incident = form.save(commit=False)
    incident.mission = mission
    incident.client_id = data.get("client_id") or uuid.uuid4()
    incident.latitude, incident.longitude = data["latitude"], data["longitude"]
    incident.place = data.get("place")
    incident.location_precision = data["location_precision"]
    incident.priogrid_gid = priogrid_gid(incident.latitude, incident.longitude)
    incident.reported_by = user if user.is_authenticated else None
    for kind, total in casualty_totals(casualties).items():
        setattr(incident, kind, total)
    zones = ceasefires.zones_containing(mission, incident.latitude, incident.longitude, incident.occurred_at.date())
    incident.in_zone = bool(zones)
    if zones and incident.agreement_id is None:
        incident.agreement = zones[0].agreement
    incident.checks_pending = True
    perpetrators, targets = list(data.get("perpetrators") or []), list(data.get("targets") or [])
    with audit_in_bulk() as audit:
        incident.save()
        # Nothing points at a row just inserted: its change history need not ask (auditlog
        # reads every one-to-one relation, e.g. an election's link to it).
        for relation in Incident._meta.related_objects:
            if relation.one_to_one:
                relation.set_cached_value(incident, None)
        rows = Casualty.objects.bulk_create([Casualty(incident=incident, **row) for row in casualties])
        stored_sources = Source.objects.bulk_create(
            [
                Source(incident=incident, first_incident=incident, added_by=incident.reported_by, **fields)
                for fields in sources
            ]
        )
        for name, related in (("perpetrators", perpetrators), ("targets", targets), ("zones", zones)):
            _link(incident, name, related)
            audit.linked(incident, name, related)
        _remember(incident, casualties=rows, sources=stored_sources)
        entry = history.record(user, "reported", incident=incident, after=history.snapshot(incident))
        audit.created(incident, *stored_sources, entry)
    return incident


def _link(incident: Incident, name: str, related: list) -> None:
    """Add `related` to a new incident's many-to-many field `name`: one INSERT, no lookup
    of existing links (a new incident has none). Remembered on the incident, as a prefetch."""
    if related:
        field = Incident._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create([through(**{source: incident, target: other}) for other in related])
    _remember(incident, **{name: related})


def _remember(incident: Incident, **related) -> None:
    """Put what was just written into the incident's prefetch cache, so its history snapshot
    and its API answer read it without asking the database again."""
    cache = incident.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, objects in related.items():
        rows = getattr(incident, name).all()  # lazy: no query
        rows._result_cache, rows._prefetch_done = list(objects), True
        cache[name] = rows


def submit_batch(user, mission: Mission, reports: list) -> list[dict]:
    """Many reports at once (queued on a device while offline): each stored or refused on its
    own, answered in order with its client id, outcome and errors."""
    results = []
    for item in reports:
        if not isinstance(item, dict):
            results.append(
                {
                    "client_id": None,
                    "status": "invalid",
                    "errors": {"non_field_errors": [_("A report must be an object.")]},
                }
            )
            continue
        outcome = submit_report(
            user, mission, item, sources=_list(item.get("sources")), casualties=_list(item.get("casualties"))
        )
        result = {"client_id": item.get("client_id")}
        if outcome.ok:
            result.update(
                status="created" if outcome.created else "duplicate",
                id=outcome.incident.pk,
                client_id=str(outcome.incident.client_id),
            )
        else:
            result.update(status="invalid", errors=outcome.errors)
        results.append(result)
    return results


def add_source(incident: Incident, user, form: SourceForm) -> Source:
    with transaction.atomic():
        source = form.save(commit=False)
        source.incident, source.first_incident, source.added_by = incident, incident, user
        source.save()
        history.record(
            user,
            "source added",
            incident=incident,
            after={"source": source.pk, "kind": source.kind, "grading": source.grading},
        )
        Incident.objects.filter(pk=incident.pk).update(updated_at=source.added_at)
    return source


def regrade_source(source: Source, user, reliability: str, credibility: int, reason: str) -> Source:
    """Grade a source anew (the old grading stays in the history, with who, when and why)."""
    with transaction.atomic():
        old = source.grading
        source.reliability, source.credibility = reliability, credibility
        source.save(update_fields=["reliability", "credibility"])
        if source.grading != old:
            history.record(
                user,
                "source regraded",
                incident=source.incident,
                before={"grading": old},
                after={"source": source.pk, "grading": source.grading},
                reason=reason,
            )
            Incident.objects.filter(pk=source.incident_id).update(updated_at=timezone.now())
    return source


def _store_casualties(incident: Incident, rows: list[dict]) -> None:
    """Replace the incident's casualty rows and its totals."""
    incident.casualties.all().delete()
    Casualty.objects.bulk_create([Casualty(incident=incident, **row) for row in rows])
    totals = casualty_totals(rows)
    for kind, total in totals.items():
        setattr(incident, kind, total)
    Incident.objects.filter(pk=incident.pk).update(**totals)


HIDDEN = "***"


def _source_label(source: Source) -> str:
    return " ".join(filter(None, [source.get_kind_display(), source.grading, source.description]))


def _save_sources(incident: Incident, user, sources: BaseSourceFormSet) -> tuple[dict, dict]:
    """Save the edited and new sources; the changes of the edited ones as (before, after),
    an identity only as changed, never its text (the history is shown to reporters)."""
    before, after = {}, {}
    for source_form in sources.forms:
        if not source_form.has_changed():
            continue
        if source_form.instance.pk is None:
            add_source(incident, user, source_form)
            continue
        key = f"source {source_form.instance.pk}"
        old = Source.objects.get(pk=source_form.instance.pk)
        source = source_form.save()
        if _source_label(old) != _source_label(source):
            before[key], after[key] = _source_label(old), _source_label(source)
        if old.identity != source.identity:
            before[f"{key} identity"], after[f"{key} identity"] = HIDDEN, f"{HIDDEN} (changed)"
    return before, after


def edit_incident(
    incident: Incident, user, form: IncidentReportForm, reason: str, sources: BaseSourceFormSet | None = None
) -> Incident:
    """Save an edit made through the edit page (the incident's fields, casualties and
    sources), with before/after in the history."""
    before = history.snapshot(Incident.objects.get(pk=incident.pk))
    with transaction.atomic():
        data = form.cleaned_data
        incident = form.save(commit=False)
        incident.latitude, incident.longitude = data["latitude"], data["longitude"]
        incident.place, incident.location_precision = data.get("place"), data["location_precision"]
        incident.priogrid_gid = priogrid_gid(incident.latitude, incident.longitude)
        incident.save()
        form.save_m2m()
        if form.casualties_given():
            _store_casualties(incident, form.casualty_rows())
        source_before, source_after = _save_sources(incident, user, sources) if sources is not None else ({}, {})
        ceasefires.flag_zones(incident)
        old, new = history.changed(before, history.snapshot(incident))
        history.record(
            user,
            "edited",
            incident=incident,
            before={**old, **source_before},
            after={**new, **source_after},
            reason=reason,
        )
        alerts.evaluate_incident(incident)
    return incident


def attachment_errors(upload) -> list[str]:
    """Why a file cannot be attached (too large, empty), as messages; none when it can."""
    form = AttachmentForm(files={"file": upload})
    return [] if form.is_valid() else [str(message) for message in form.errors.get("file", [])]


def add_attachment(incident: Incident, user, upload) -> Attachment:
    with transaction.atomic():
        item = Attachment(
            incident=incident,
            first_incident=incident,
            name=upload.name[:200],
            content_type=(upload.content_type or "")[:100],
            size=upload.size,
            uploaded_by=user,
        )
        item.file.save(upload.name, upload, save=False)
        item.save()
        history.record(
            user,
            "attachment added",
            incident=incident,
            after={"attachment": item.pk, "name": item.name, "bytes": item.size},
        )
    return item
