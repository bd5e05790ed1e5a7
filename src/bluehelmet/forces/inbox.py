"""What the forces area puts in a user's inbox (core/inbox.py): the awards awaiting a decision,
for those who decide them (forces.decide_awards). The item names the award and its unit, not
the person: personal data is read on the recognition page, where the access is logged."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.inbox import InboxItem, gated, queryset_source, register

from .models import Award

AWAITING_DECISION = (Award.Status.PROPOSED, Award.Status.ENDORSED)


def _awaiting(user, accesses):
    scope = gated(accesses, "forces.decide_awards", mission_field="person__mission", label_field=None)
    if scope is None:
        return None
    return (
        Award.objects.filter(scope, status__in=AWAITING_DECISION)
        .select_related("person__mission", "person__unit")
        .order_by("proposed_at", "pk")
    )


def _item(award: Award) -> InboxItem:
    mission = award.person.mission
    unit = award.person.unit.name if award.person.unit_id else ""
    return InboxItem(
        mission_acronym=mission.acronym,
        title=f"{award.get_kind_display()} #{award.pk}",
        url=reverse("forces:recognition", args=[mission.acronym]) + "#awards",
        when=award.proposed_at,
        what=" · ".join(part for part in (str(award.get_status_display()), unit) if part),
    )


register(queryset_source("forces.awards", _("Awards awaiting my decision"), _awaiting, _item))
