"""Recording humanitarian data: what the forms do beyond saving a row (a blocked delivery
records its access constraint; a constraint is started from an incident report)."""

from django.db import transaction
from django.utils.translation import gettext as _

from bluehelmet.incidents.feed import mission_incidents

from .models import AccessConstraint, Delivery

ACCESS_DENIAL_TYPE = "humanitarian-access-denial"  # the incidents taxonomy's code


def linkable_incidents(user, mission):
    """Incident reports a constraint may be linked to: the user's visible, unmerged ones,
    access denials first."""
    from django.db.models import Case, IntegerField, Value, When

    return (
        mission_incidents(user, mission)
        .select_related("type", "place")
        .annotate(
            denial=Case(
                When(type__code=ACCESS_DENIAL_TYPE, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("denial", "-occurred_at")
    )


def unrecorded_access_denials(user, mission):
    """Incident reports of denied humanitarian access that no access constraint records yet."""
    return linkable_incidents(user, mission).filter(type__code=ACCESS_DENIAL_TYPE, access_constraints__isnull=True)


def constraint_from_incident(incident) -> dict:
    """Initial values of an access constraint describing this incident report."""
    place = incident.place
    return {
        "incident": incident.pk,
        "type": AccessConstraint.Type.MOVEMENT
        if incident.type.code == ACCESS_DENIAL_TYPE
        else AccessConstraint.Type.VIOLENCE,
        "place": place.pk if place is not None else None,
        "started_on": incident.occurred_at.date(),
        "ended_on": incident.occurred_at.date(),
        "description": incident.narrative[:2000],
        "sharing": incident.sharing,
    }


@transaction.atomic
def save_record(form, user):
    """Save a form's record, remembering who created it."""
    record = form.save(commit=False)
    if record.pk is None:
        record.created_by = user if user.is_authenticated else None
    record.save()
    return record


@transaction.atomic
def save_delivery(form, user) -> Delivery:
    """Save a delivery; when the form asks, record the access constraint that blocked it
    (restriction of movement at its place and date) and link the two."""
    delivery = save_record(form, user)
    if form.cleaned_data.get("record_constraint") and delivery.access_constraint_id is None:
        constraint = AccessConstraint.objects.create(
            mission=delivery.mission,
            type=AccessConstraint.Type.MOVEMENT,
            place=delivery.place,
            started_on=delivery.delivered_on,
            ended_on=delivery.delivered_on,
            impact=AccessConstraint.Impact.SUSPENDED
            if delivery.outcome == Delivery.Outcome.BLOCKED
            else AccessConstraint.Impact.REDUCED,
            description=_("Delivery of %(quantity)s %(unit)s of %(item)s by %(org)s to %(place)s: %(outcome)s.")
            % {
                "quantity": delivery.quantity,
                "unit": delivery.unit,
                "item": delivery.item,
                "org": delivery.organization,
                "place": delivery.destination or delivery.place,
                "outcome": delivery.get_outcome_display().lower(),
            },
            sharing=delivery.sharing,
            exercise=delivery.exercise,
            created_by=delivery.created_by,
        )
        delivery.access_constraint = constraint
        delivery.save(update_fields=["access_constraint"])
    return delivery
