"""Several counts in one SQL statement: a page's badges (open alerts, open tasks, ...) would
otherwise cost one query each."""

from django.db.models import IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Mission


class SubqueryCount(Subquery):
    """(SELECT COUNT(*) FROM (the queryset's rows)): the rows as the queryset has them,
    DISTINCT and all, counted."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def count_all(mission: Mission, **querysets: QuerySet) -> dict[str, int]:
    """{name: queryset.count()} for every named queryset, in one query (anchored on the
    mission's row, which the page has already read)."""
    if not querysets:
        return {}
    counts = {name: Coalesce(SubqueryCount(qs.order_by().values("pk")), 0) for name, qs in querysets.items()}
    return Mission.objects.filter(pk=mission.pk).values(**counts).get()
