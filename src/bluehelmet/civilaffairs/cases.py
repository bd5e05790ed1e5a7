"""What a civil affairs officer does, as plain functions the pages, the API and the demo
share: recording partners, engagements, mediation processes and agreements from their forms,
receiving community alerts (form or SMS gateway), triaging them, turning one into an
incident, moving a grievance along, assessing an agreement's provisions.

Every write of the area is here (the views write nothing; tests/architecture keeps it), each
function one action in one transaction."""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bluehelmet.core.audit import audit_detail, log_sensitive_access
from bluehelmet.core.models import Mission, Place
from bluehelmet.core.sensitivity import strictest
from bluehelmet.incidents import reports
from bluehelmet.incidents.models import Source

from .models import (
    AlertGateway,
    Commitment,
    CommunityAlert,
    Engagement,
    Grievance,
    GrievanceEvent,
    Implementation,
    MediationProcess,
    MediationSession,
    Partner,
    PartnerContact,
    PeaceAgreement,
    Provision,
    ProvisionStatus,
    hash_secret,
)

MAX_SMS_LENGTH = 2000
# A gateway's sending time is believed between these bounds: before 2000 is a phone whose
# clock was reset (SMSSync sends `sent_timestamp=1`), ahead of the receipt is a clock that runs
# fast. Outside them the alert takes its receipt time: it is still stored, never refused.
EARLIEST_SENT_AT = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
SENT_AT_CLOCK_SKEW = datetime.timedelta(minutes=10)
# Incidents made from alerts get a client id derived from the alert, so converting the
# same alert twice (a double click, two officers at once) stores one incident.
ALERT_INCIDENT_NAMESPACE = uuid.UUID("0b9a1c3e-5d0f-4b8e-9c61-6a1c2f0e7d11")
PRECISION_OF_KIND = {
    Place.Kind.COUNTRY: 6,
    Place.Kind.ADM1: 4,
    Place.Kind.ADM2: 3,
    Place.Kind.ADM3: 3,
    Place.Kind.SITE: 2,
    Place.Kind.BASE: 2,
}


class TriageError(Exception):
    """The alert is not in a state that allows this step."""


# --- Records kept from their forms ----------------------------------------------------------


@transaction.atomic
def save_record(user, mission: Mission, form) -> Partner | Engagement | MediationProcess | PeaceAgreement:
    """A partner, engagement, mediation process or agreement from its validated form, in the
    mission, with its many-to-many fields; a new record names its creator (where it has one)."""
    record = form.save(commit=False)
    adding = record._state.adding
    record.mission = mission
    if adding and hasattr(record, "created_by"):
        record.created_by = user
    record.save()
    form.save_m2m()
    return record


@transaction.atomic
def add_partner_contact(user, mission: Mission, partner: Partner, form) -> PartnerContact:
    """A contact person of the partner, from its validated form; adding personal data is logged."""
    contact = form.save(commit=False)
    contact.partner = partner
    contact.save()
    log_sensitive_access(
        user, partner, action="create", mission=mission, detail=audit_detail(gettext_noop("partner contact added"))
    )
    return contact


@transaction.atomic
def remove_partner_contact(user, mission: Mission, partner: Partner, contact: PartnerContact) -> None:
    """Delete a contact person of the partner; the removal is logged."""
    contact.delete()
    log_sensitive_access(
        user, partner, action="delete", mission=mission, detail=audit_detail(gettext_noop("partner contact removed"))
    )


@transaction.atomic
def save_commitment(engagement: Engagement, form) -> Commitment:
    """A commitment made at the engagement, new or edited, from its validated form."""
    commitment = form.save(commit=False)
    commitment.engagement = engagement
    commitment.save()
    return commitment


@transaction.atomic
def record_mediation_session(process: MediationProcess, form) -> MediationSession:
    session = form.save(commit=False)
    session.process = process
    session.save()
    return session


# --- SMS gateways ---------------------------------------------------------------------------


def new_gateway(mission: Mission, name: str) -> tuple[AlertGateway, str]:
    """A gateway and its secret (shown once: only its hash is stored)."""
    secret = secrets.token_urlsafe(32)
    gateway = AlertGateway.objects.create(mission=mission, name=name, secret_hash=hash_secret(secret))
    return gateway, secret


def switch_off_gateway(mission: Mission, pk: int | None) -> int:
    """Stop taking messages from the mission's gateway `pk`; how many were switched off
    (none for a gateway of another mission or no gateway)."""
    return AlertGateway.objects.filter(mission=mission, pk=pk).update(active=False)


def gateway_for_secret(secret: str | None) -> AlertGateway | None:
    if not secret or not isinstance(secret, str) or len(secret) > 200:
        return None
    return AlertGateway.objects.select_related("mission").filter(secret_hash=hash_secret(secret), active=True).first()


# The keys the common gateways use: SMSSync and FrontlineSMS (from, message, message_id,
# sent_timestamp), Twilio (From, Body, MessageSid), and a few generic ones.
SENDER_KEYS = ("from", "From", "sender", "phone", "msisdn")
TEXT_KEYS = ("message", "Body", "text", "body", "content")
ID_KEYS = ("message_id", "MessageSid", "SmsSid", "SmsMessageSid", "id", "messageId")
TIME_KEYS = ("sent_timestamp", "timestamp", "sent_at")


def _first(payload, keys) -> str:
    for key in keys:
        value = payload.get(key)
        if value not in (None, ""):
            text = value if isinstance(value, str) else str(value)
            return text.replace("\x00", "")  # a NUL byte no database column takes
    return ""


def _sent_at(value: str) -> datetime.datetime | None:
    """A gateway's timestamp: epoch seconds or milliseconds (SMSSync), or ISO 8601."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        try:
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)
    if number != number or number <= 0:
        return None
    if number > 1e11:  # milliseconds
        number /= 1000
    try:
        return datetime.datetime.fromtimestamp(number, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def plausible_sent_at(sent: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime | None:
    """The gateway's sending time if it can be true (from 2000 to a few minutes past the
    receipt), else None."""
    if sent is None or sent < EARLIEST_SENT_AT or sent > now + SENT_AT_CLOCK_SKEW:
        return None
    return sent


def parse_sms(payload) -> tuple[dict, dict]:
    """(fields, errors) read from a gateway's payload: sender, text, message id, sending time
    (`sent_at`: None when missing or implausible) and the time the alert is dated
    (`received_at`: the sending time, else now)."""
    if not hasattr(payload, "get"):
        return {}, {"non_field_errors": [_("Send the message as form fields or a JSON object.")]}
    fields = {
        "sender": _first(payload, SENDER_KEYS)[:100],
        "text": _first(payload, TEXT_KEYS).strip(),
        "external_id": _first(payload, ID_KEYS)[:100],
    }
    errors = {}
    if not fields["text"]:
        errors["message"] = [_("The message text is missing (message, Body or text).")]
    elif len(fields["text"]) > MAX_SMS_LENGTH:
        errors["message"] = [_("The message is longer than %(n)d characters.") % {"n": MAX_SMS_LENGTH}]
    now = timezone.now()
    fields["sent_at"] = plausible_sent_at(_sent_at(_first(payload, TIME_KEYS)), now)
    fields["received_at"] = fields["sent_at"] or now
    return fields, errors


def _same_message(gateway: AlertGateway, fields: dict) -> CommunityAlert | None:
    """The alert already stored for this message, if any (see receive_sms)."""
    if fields.get("external_id"):
        return CommunityAlert.objects.filter(gateway=gateway, external_id=fields["external_id"]).first()
    stored = CommunityAlert.objects.filter(gateway=gateway, external_id="", text=fields["text"])
    if fields.get("sent_at") is not None:
        stored = stored.filter(received_at=fields["sent_at"])
    else:
        stored = stored.filter(
            received_at__gte=timezone.now() - datetime.timedelta(hours=settings.BLUEHELMET_SMS_REPLAY_WINDOW_HOURS)
        )
    # The sender is encrypted at rest: compared here, not in the query.
    return next((alert for alert in stored.order_by("pk") if alert.sender == fields.get("sender", "")), None)


def receive_sms(gateway: AlertGateway, fields: dict) -> tuple[CommunityAlert, bool]:
    """Store a checked SMS as a new alert of the gateway's mission, once. Returns (alert, created).

    A message is the one already stored when the gateway gave the same message id; without an
    id, when the same sender sent the same text at the same sending time, or, without a
    believable sending time either, within the last BLUEHELMET_SMS_REPLAY_WINDOW_HOURS. So a
    gateway retrying, or anyone replaying a captured request, stores nothing new."""
    external_id = fields.get("external_id", "")
    try:
        with transaction.atomic():
            # One message of a gateway at a time (PostgreSQL): two copies sent at once are
            # still recognised as one.
            AlertGateway.objects.select_for_update().filter(pk=gateway.pk).first()
            existing = _same_message(gateway, fields)
            if existing is not None:
                return existing, False
            alert = CommunityAlert.objects.create(
                mission=gateway.mission,
                gateway=gateway,
                external_id=external_id,
                channel=CommunityAlert.Channel.SMS,
                received_at=fields["received_at"],
                text=fields["text"],
                sender=fields.get("sender", ""),
            )
            AlertGateway.objects.filter(pk=gateway.pk).update(last_used=timezone.now())
    except IntegrityError:
        # The same message id arriving twice at once: the other request stored it.
        existing = (
            CommunityAlert.objects.filter(gateway=gateway, external_id=external_id).first() if external_id else None
        )
        if existing is None:
            raise
        return existing, False
    return alert, True


# --- Alerts: submission and triage ----------------------------------------------------------


@transaction.atomic
def submit_alert(user, mission: Mission, form) -> CommunityAlert:
    alert = form.save(commit=False)
    alert.mission = mission
    alert.created_by = user
    if alert.received_at is None:
        alert.received_at = timezone.now()
    alert.save()
    return alert


def _triage(user, alert: CommunityAlert, status: str, note: str) -> CommunityAlert:
    with transaction.atomic():
        locked = CommunityAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.status not in CommunityAlert.OPEN:
            raise TriageError(
                _("This alert was already closed (%(status)s).") % {"status": locked.get_status_display()}
            )
        locked.status, locked.triaged_by, locked.triaged_at = status, user, timezone.now()
        if note:
            locked.triage_note = "\n".join(filter(None, [locked.triage_note, note]))
        locked.save(update_fields=["status", "triaged_by", "triaged_at", "triage_note"])
    return locked


def acknowledge_alert(user, alert: CommunityAlert, note: str = "") -> CommunityAlert:
    if alert.status != CommunityAlert.Status.NEW:
        raise TriageError(_("Only a new alert can be acknowledged."))
    return _triage(user, alert, CommunityAlert.Status.ACKNOWLEDGED, note)


def dismiss_alert(user, alert: CommunityAlert, note: str) -> CommunityAlert:
    return _triage(user, alert, CommunityAlert.Status.DISMISSED, note)


def _point(place: Place) -> tuple[float | None, float | None]:
    if place.latitude is not None and place.longitude is not None:
        return place.latitude, place.longitude
    if place.geometry:
        from shapely.geometry import shape

        point = shape(place.geometry).representative_point()
        return point.y, point.x
    return None, None


def incident_data(alert: CommunityAlert, cleaned: dict) -> dict:
    """The incident report the one-step form makes of an alert: the incident's fields and
    its one source (the community alert network; never the sender's identity, which stays
    in the alert)."""
    place = cleaned["place"]
    latitude, longitude = _point(place)
    return {
        "client_id": str(uuid.uuid5(ALERT_INCIDENT_NAMESPACE, f"community-alert:{alert.pk}")),
        "type": cleaned["type"].code,
        "occurred_at": cleaned["occurred_at"].isoformat(),
        "date_precision": cleaned["date_precision"],
        "latitude": "" if latitude is None else latitude,
        "longitude": "" if longitude is None else longitude,
        "location_precision": PRECISION_OF_KIND.get(place.kind, 3),
        "location_description": alert.location or place.name,
        "narrative": cleaned["narrative"],
        "sharing": cleaned["sharing"],
        # The alert's label or stricter (AlertIncidentForm), never the report form's default.
        "sensitivity": strictest([cleaned.get("sensitivity"), alert.sensitivity]),
        "source-kind": Source.Kind.COMMUNITY,
        "source-description": _("Community alert network, alert %(pk)s (%(channel)s)")
        % {"pk": alert.pk, "channel": alert.get_channel_display()},
        "source-reliability": cleaned["reliability"],
        "source-credibility": cleaned["credibility"],
    }


def alert_to_incident(user, alert: CommunityAlert, cleaned: dict) -> reports.Submission:
    """Turn an alert into an incident in one step, through the incidents area's own report
    submission (validation, zone flags, duplicates, alert rules, history), and link the two.
    A failed report changes nothing; the Submission carries its errors."""
    with transaction.atomic():
        locked = CommunityAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.status not in CommunityAlert.OPEN:
            raise TriageError(
                _("This alert was already closed (%(status)s).") % {"status": locked.get_status_display()}
            )
        submission = reports.submit_report(user, locked.mission, incident_data(locked, cleaned))
        if not submission.ok:
            return submission
        locked.incident = submission.incident
        locked.status, locked.triaged_by, locked.triaged_at = CommunityAlert.Status.INCIDENT, user, timezone.now()
        if locked.place_id is None:
            locked.place = cleaned["place"]
        locked.save(update_fields=["incident", "status", "triaged_by", "triaged_at", "place"])
    return submission


# --- Grievances -----------------------------------------------------------------------------

GRIEVANCE_NEXT = {
    Grievance.Status.RECEIVED: (
        Grievance.Status.ASSIGNED,
        Grievance.Status.INVESTIGATING,
        Grievance.Status.RESOLVED,
        Grievance.Status.REJECTED,
    ),
    Grievance.Status.ASSIGNED: (Grievance.Status.INVESTIGATING, Grievance.Status.RESOLVED, Grievance.Status.REJECTED),
    Grievance.Status.INVESTIGATING: (Grievance.Status.RESOLVED, Grievance.Status.REJECTED),
    Grievance.Status.RESOLVED: (),
    Grievance.Status.REJECTED: (),
}


def record_grievance(user, mission: Mission, form) -> Grievance:
    with transaction.atomic():
        grievance = form.save(commit=False)
        grievance.mission, grievance.created_by, grievance.status = mission, user, Grievance.Status.RECEIVED
        grievance.save()
        GrievanceEvent.objects.create(
            grievance=grievance,
            on=grievance.received_on,
            status=grievance.status,
            by=user,
            note=_("Grievance received."),
        )
    return grievance


def move_grievance(
    user, grievance: Grievance, status: str, on: datetime.date, note: str, assigned_to=None
) -> GrievanceEvent:
    """The next step of a grievance, appended to its history. Resolved and rejected are
    final; a step cannot be dated before the previous one."""
    with transaction.atomic():
        locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
        if status not in GRIEVANCE_NEXT[locked.status]:
            raise ValueError(
                _("A grievance that is %(old)s cannot become %(new)s.")
                % {"old": locked.get_status_display(), "new": Grievance.Status(status).label}
            )
        last = locked.history.order_by("-on", "-pk").first()
        if last is not None and on < last.on:
            raise ValueError(_("This step is dated before the previous one (%(day)s).") % {"day": last.on.isoformat()})
        if status == Grievance.Status.ASSIGNED and assigned_to is None:
            raise ValueError(_("Say to whom the grievance is assigned."))
        locked.status = status
        if assigned_to is not None:
            locked.assigned_to = assigned_to
        locked.closed_on = on if status in Grievance.CLOSED else None
        locked.save(update_fields=["status", "assigned_to", "closed_on"])
        return GrievanceEvent.objects.create(grievance=locked, on=on, status=status, note=note, by=user)


# --- Agreements -----------------------------------------------------------------------------


@transaction.atomic
def add_provision(agreement: PeaceAgreement, form) -> Provision:
    provision = form.save(commit=False)
    provision.agreement = agreement
    provision.save()
    return provision


@transaction.atomic
def edit_provision(form) -> Provision:
    """The provision's reference, wording, responsible party and deadline from its validated
    form (its status moves by assess_provision only)."""
    return form.save()


def assess_provision(
    user, provision: Provision, status: int, on: datetime.date, note: str = "", *, exercise: bool = False
) -> ProvisionStatus:
    """Append an assessment to the provision's history; the provision shows the latest one
    by date (an assessment back-dated before the latest one only joins the history)."""
    with transaction.atomic():
        locked = Provision.objects.select_for_update().get(pk=provision.pk)
        if on < locked.agreement.signed_on:
            raise ValueError(
                _("An assessment cannot be dated before the agreement was signed (%(day)s).")
                % {"day": locked.agreement.signed_on.isoformat()}
            )
        entry = ProvisionStatus.objects.create(
            provision=locked, on=on, status=Implementation(status), note=note, by=user, exercise=exercise
        )
        latest = locked.history.order_by("-on", "-pk").first()
        Provision.objects.filter(pk=locked.pk).update(status=latest.status, status_on=latest.on)
    provision.refresh_from_db()
    return entry
