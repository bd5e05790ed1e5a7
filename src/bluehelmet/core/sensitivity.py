"""Sensitivity labels for reports, in the style of the Traffic Light Protocol (FIRST TLP 2.0).

A label says who may see a record (and export it) within its mission:

- TLP:CLEAR  anyone with access to the mission, partners included;
- TLP:GREEN  the mission's members, partners included (the community it was shared with);
- TLP:AMBER  the mission's staff, not partners;
- TLP:RED    named recipients only: the mission's analysts and administrators, and the
             person who recorded it.

Use `sensitivity_scope` in every queryset that lists labelled records, on top of
core.access.mission_scope.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Membership, Role


class Sensitivity(models.TextChoices):
    CLEAR = "clear", _("TLP:CLEAR (public)")
    GREEN = "green", _("TLP:GREEN (mission and partners)")
    AMBER = "amber", _("TLP:AMBER (mission staff only)")
    RED = "red", _("TLP:RED (analysts, administrators and the author)")


# Which labels each role sees in its mission.
VISIBLE_TO = {
    Role.ADMINISTRATOR: {Sensitivity.CLEAR, Sensitivity.GREEN, Sensitivity.AMBER, Sensitivity.RED},
    Role.ANALYST: {Sensitivity.CLEAR, Sensitivity.GREEN, Sensitivity.AMBER, Sensitivity.RED},
    Role.REPORTER: {Sensitivity.CLEAR, Sensitivity.GREEN, Sensitivity.AMBER},
    Role.DDR_OFFICER: {Sensitivity.CLEAR, Sensitivity.GREEN, Sensitivity.AMBER},
    Role.CIVIL_AFFAIRS: {Sensitivity.CLEAR, Sensitivity.GREEN, Sensitivity.AMBER},
    Role.HUMANITARIAN: {Sensitivity.CLEAR, Sensitivity.GREEN, Sensitivity.AMBER},
    Role.PARTNER: {Sensitivity.CLEAR, Sensitivity.GREEN},
}


def sensitivity_scope(
    user, *, mission_field: str = "mission", label_field: str = "sensitivity", author_field: str | None = "created_by"
) -> Q:
    """A filter keeping the labelled records the user may see, in every mission at once: a
    record is visible when the user's role in its mission admits its label, or (RED) when the
    user recorded it."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    allowed = Q(pk__in=[])
    for role, labels in VISIBLE_TO.items():
        missions = Membership.objects.filter(user=user, role=role).values("mission")
        allowed |= Q(**{f"{mission_field}__in": missions, f"{label_field}__in": [str(label) for label in labels]})
    if author_field:
        allowed |= Q(**{author_field: user})
    return allowed


# From the least to the most restricted: a record derived from others takes the highest rank.
RANK = {str(Sensitivity.CLEAR): 0, str(Sensitivity.GREEN): 1, str(Sensitivity.AMBER): 2, str(Sensitivity.RED): 3}


def strictest(labels, default: str = Sensitivity.AMBER) -> str:
    """The most restricted of the labels (the label a derived record inherits), `default`
    when there are none."""
    labels = [str(label) for label in labels if label]
    return max(labels, key=RANK.__getitem__) if labels else str(default)


def at_least(label: str) -> list[str]:
    """The labels as restricted as `label` or more, least restricted first."""
    return [value for value in Sensitivity.values if RANK[value] >= RANK[str(label)]]
