"""REST endpoints of this area: DDR aggregates (the funnel, weapons per combatant) for the
roles that may see them. Participants' records are not in the API: they are read on the
DDR pages, where each view is logged."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from bluehelmet.core import gate

from . import indicators


class DdrSummaryViewSet(viewsets.ViewSet):
    """One summary per mission whose DDR aggregates the user may see."""

    @extend_schema(responses={200: dict})
    def list(self, request, format=None):
        summaries = []
        for mission in gate.missions_with(request.user, "ddr.aggregates").order_by("acronym"):
            summaries.append(
                {
                    "mission": mission.acronym,
                    "funnel": indicators.funnel(mission),
                    "weapons_by_faction": indicators.weapons_per_combatant(mission, "faction"),
                    "weapons_by_place": indicators.weapons_per_combatant(mission, "place"),
                }
            )
        return Response({"results": summaries})


def register(router) -> None:
    router.register("ddr-summary", DdrSummaryViewSet, basename="api-ddr-summary")
