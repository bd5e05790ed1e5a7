"""Community engagements can be discussed (core.comments) by the mission's staff
(`civilaffairs.staff`: partners read shared engagements, not the staff's discussion of them),
on the engagements each may see (civilaffairs.queries). An engagement has no TLP label: its
discussion is staff-only, so it is shown as TLP:AMBER. Comments are in the audit trail, as
every record of the app (core.history)."""

from django.urls import reverse

from bluehelmet.core.comments import Commentable, register
from bluehelmet.core.sensitivity import Sensitivity

from . import queries

register(
    Commentable(
        model="civilaffairs.engagement",
        read="civilaffairs.staff",
        write="civilaffairs.staff",
        visible=queries.engagements,
        url=lambda acronym, engagement: reverse("civilaffairs:engagement", args=[acronym, engagement.pk]),
        label=lambda engagement: str(Sensitivity.AMBER),
        title=lambda engagement: engagement.title,
    )
)
