"""What civil affairs puts in a user's inbox (core/inbox.py): the grievances assigned to them
and still being handled. (Peace agreement provisions and the other civil affairs records have
no approval step: nothing else waits for someone in particular.)"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.inbox import InboxItem, gated, queryset_source, register

from .models import Grievance

IN_HAND = (Grievance.Status.ASSIGNED, Grievance.Status.INVESTIGATING)


def _assigned(user, accesses):
    scope = gated(accesses, "civilaffairs.work")
    if scope is None:
        return None
    return (
        Grievance.objects.filter(scope, assigned_to=user, status__in=IN_HAND)
        .select_related("mission", "place")
        .order_by("received_on", "pk")
    )


def _item(grievance: Grievance) -> InboxItem:
    mission = grievance.mission
    # Received on a day: the inbox dates it at the start of that day.
    received = timezone.make_aware(datetime.datetime.combine(grievance.received_on, datetime.time.min))
    return InboxItem(
        mission_acronym=mission.acronym,
        title=str(grievance),
        url=reverse("civilaffairs:grievance", args=[mission.acronym, grievance.pk]),
        when=received,
        what=f"{grievance.get_status_display()} · {grievance.get_against_display()} · {grievance.place.name}",
        sensitivity=grievance.sensitivity,
    )


register(queryset_source("civilaffairs.grievances", _("Grievances assigned to me"), _assigned, _item))
