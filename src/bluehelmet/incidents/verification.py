"""The verification workflow: reported -> under verification -> verified / unconfirmed /
false, with a reason for every step; proposing likely duplicates and merging or rejecting them."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bluehelmet.analytics.incidents.proximity import Report, bounding_box, neighbours
from bluehelmet.core.models import Mission
from bluehelmet.core.sensitivity import strictest

from . import history
from .models import DuplicateProposal, Incident

S = Incident.Status
TRANSITIONS = {
    S.REPORTED: (S.UNDER_VERIFICATION, S.VERIFIED, S.UNCONFIRMED, S.FALSE),
    S.UNDER_VERIFICATION: (S.VERIFIED, S.UNCONFIRMED, S.FALSE),
    S.VERIFIED: (S.UNDER_VERIFICATION,),
    S.UNCONFIRMED: (S.UNDER_VERIFICATION, S.VERIFIED, S.FALSE),
    S.FALSE: (S.UNDER_VERIFICATION,),
}
# Reports this close in place and time, of the same type, are proposed as one incident.
DUPLICATE_RADIUS_KM = 10.0
DUPLICATE_WINDOW_HOURS = 48.0


class WorkflowError(ValueError):
    pass


def next_statuses(incident: Incident) -> tuple[str, ...]:
    return () if incident.is_merged else TRANSITIONS[incident.status]


def change_status(incident: Incident, user, status: str, reason: str) -> Incident:
    if status not in next_statuses(incident):
        raise WorkflowError(
            _("An incident that is %(now)s cannot become %(next)s.")
            % {"now": incident.get_status_display(), "next": S(status).label if status in S.values else status}
        )
    if not reason.strip():
        raise WorkflowError(_("Say why."))
    with transaction.atomic():
        before = {"status": incident.status}
        incident.status = status
        incident.save(update_fields=["status", "updated_at"])
        history.record(user, "status", incident=incident, before=before, after={"status": status}, reason=reason)
    return incident


def propose_duplicates(incident: Incident) -> list[DuplicateProposal]:
    """Record as proposals the other live reports of the same type within
    DUPLICATE_RADIUS_KM and DUPLICATE_WINDOW_HOURS, unless the pair was already proposed."""
    window = timedelta(hours=DUPLICATE_WINDOW_HOURS)
    min_lat, max_lat, min_lon, max_lon = bounding_box(incident.latitude, incident.longitude, DUPLICATE_RADIUS_KM)
    candidates = (
        Incident.objects.filter(
            mission_id=incident.mission_id,
            type_id=incident.type_id,
            merged_into__isnull=True,
            latitude__range=(min_lat, max_lat),
            longitude__range=(min_lon, max_lon),
            occurred_at__range=(incident.occurred_at - window, incident.occurred_at + window),
        )
        .exclude(pk=incident.pk)
        .only("id", "latitude", "longitude", "occurred_at")
    )
    me = Report(incident.pk, incident.latitude, incident.longitude, incident.occurred_at)
    others = [Report(c.pk, c.latitude, c.longitude, c.occurred_at) for c in candidates]
    proposals = []
    for near in neighbours(me, others, DUPLICATE_RADIUS_KM, DUPLICATE_WINDOW_HOURS):
        first, second = sorted((incident.pk, near.id))
        proposal, created = DuplicateProposal.objects.get_or_create(
            first_id=first,
            second_id=second,
            defaults={"distance_km": round(near.distance_km, 2), "hours_apart": round(near.hours_apart, 2)},
        )
        if created:
            proposals.append(proposal)
    return proposals


def open_proposals(mission: Mission) -> QuerySet[DuplicateProposal]:
    return (
        DuplicateProposal.objects.filter(
            status=DuplicateProposal.Status.PROPOSED,
            first__mission=mission,
            first__merged_into__isnull=True,
            second__merged_into__isnull=True,
        )
        .select_related("first", "second", "first__type", "second__type")
        .order_by("-created_at")
    )


def proposals_for(incident: Incident) -> QuerySet[DuplicateProposal]:
    return open_proposals(incident.mission).filter(Q(first=incident) | Q(second=incident))


def merge(
    keep: Incident, duplicate: Incident, user, reason: str, proposal: DuplicateProposal | None = None
) -> Incident:
    """Fold `duplicate` into `keep`: its sources, attachments and actors move over (every
    source is kept), it stays on record as merged, and both histories say so."""
    if keep.pk == duplicate.pk or keep.mission_id != duplicate.mission_id:
        raise WorkflowError(_("Only two different reports of the same mission can be merged."))
    if keep.is_merged or duplicate.is_merged:
        raise WorkflowError(_("One of these reports is already merged."))
    if not reason.strip():
        raise WorkflowError(_("Say why."))
    with transaction.atomic():
        moved_sources = _move_sources(duplicate, keep)
        for attachment in duplicate.attachments.all():
            attachment.first_incident_id = attachment.first_incident_id or duplicate.pk
            attachment.incident = keep
            attachment.save(update_fields=["incident", "first_incident"])
        keep.perpetrators.add(*duplicate.perpetrators.all())
        keep.targets.add(*duplicate.targets.all())
        duplicate.merged_into = keep
        duplicate.save(update_fields=["merged_into", "updated_at"])
        # The kept report now tells what the duplicate said: it takes the stricter label (and
        # its alerts and tasks theirs, see incidents.labels).
        label = strictest([keep.sensitivity, duplicate.sensitivity])
        relabelled = {"sensitivity": label} if label != keep.sensitivity else {}
        before = {"sensitivity": keep.sensitivity} if relabelled else {}
        keep.sensitivity = label
        keep.save(update_fields=["sensitivity", "updated_at"])
        history.record(
            user,
            "merged",
            incident=keep,
            before=before,
            after={"merged": duplicate.pk, "sources moved": moved_sources, **relabelled},
            reason=reason,
        )
        history.record(
            user,
            "merged into",
            incident=duplicate,
            before={"merged_into": None},
            after={"merged_into": keep.pk},
            reason=reason,
        )
        first, second = sorted((keep.pk, duplicate.pk))
        proposal = proposal or DuplicateProposal.objects.filter(first_id=first, second_id=second).first()
        if proposal is not None:
            _decide(proposal, DuplicateProposal.Status.MERGED, user)
    return keep


def _move_sources(duplicate: Incident, keep: Incident) -> int:
    """Move the duplicate's sources to the kept report, each remembering the report it came
    with; saved one by one so each move is in the change history (django-auditlog)."""
    moved = 0
    for source in duplicate.sources.all():
        source.first_incident_id = source.first_incident_id or duplicate.pk
        source.incident = keep
        source.save(update_fields=["incident", "first_incident"])
        moved += 1
    return moved


def reject(proposal: DuplicateProposal, user, reason: str) -> DuplicateProposal:
    if proposal.status != DuplicateProposal.Status.PROPOSED:
        raise WorkflowError(_("This proposal was already decided."))
    if not reason.strip():
        raise WorkflowError(_("Say why."))
    with transaction.atomic():
        _decide(proposal, DuplicateProposal.Status.REJECTED, user)
        for incident, other in ((proposal.first, proposal.second), (proposal.second, proposal.first)):
            history.record(
                user, "duplicate rejected", incident=incident, after={"not a duplicate of": other.pk}, reason=reason
            )
    return proposal


def _decide(proposal: DuplicateProposal, status: str, user) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = status, user, timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
