"""REST endpoints of this area: needs, 3W activities, deliveries, access constraints (read
only, scoped like the pages: the user's missions, partners the public records) and the gap
table of one mission."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from bluehelmet.core import access
from bluehelmet.core.api import MissionFilter, ScopedViewSet
from bluehelmet.incidents.feed import incident_scope
from bluehelmet.incidents.models import Incident

from . import queries
from .models import AccessConstraint, Activity, Delivery, NeedsAssessment, Sector
from .serializers import (
    AccessConstraintSerializer,
    ActivitySerializer,
    DeliverySerializer,
    GapSerializer,
    NeedsAssessmentSerializer,
)


def filterset_for(model_class, extra=()):
    class FilterSet(django_filters.FilterSet):
        mission = MissionFilter()

        class Meta:
            model = model_class
            fields = ["mission", "place", *extra]

    FilterSet.__name__ = f"{model_class.__name__}FilterSet"
    return FilterSet


class NeedsAssessmentViewSet(ScopedViewSet):
    """Needs assessments of the user's missions: people in need and severity by place and sector."""

    queryset = NeedsAssessment.objects.select_related("mission", "place", "organization")
    serializer_class = NeedsAssessmentSerializer
    scope = access.mission_scope
    filterset_class = filterset_for(NeedsAssessment, ("sector", "severity"))
    ordering_fields = ["assessed_on", "people_in_need", "severity"]


class ActivityViewSet(ScopedViewSet):
    """Who does what where (3W): organisations' activities by sector, place, period and status."""

    queryset = Activity.objects.select_related("mission", "place", "organization")
    serializer_class = ActivitySerializer
    scope = access.mission_scope
    filterset_class = filterset_for(Activity, ("sector", "status", "organization"))
    ordering_fields = ["start", "end", "targeted", "reached"]


class DeliveryViewSet(ScopedViewSet):
    """Aid deliveries: what, how much, to where, when, by whom, escorted or not, outcome."""

    queryset = Delivery.objects.select_related("mission", "place", "organization")
    serializer_class = DeliverySerializer
    scope = access.mission_scope
    filterset_class = filterset_for(Delivery, ("sector", "outcome", "escorted"))
    ordering_fields = ["delivered_on", "quantity"]


class AccessConstraintViewSet(ScopedViewSet):
    """Access constraints (OCHA access monitoring framework types), with their incident report."""

    queryset = AccessConstraint.objects.select_related("mission", "place")
    serializer_class = AccessConstraintSerializer
    scope = access.mission_scope
    filterset_class = filterset_for(AccessConstraint, ("type", "impact"))
    ordering_fields = ["started_on", "people_affected"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        context["visible_incidents"] = (
            set(Incident.objects.filter(incident_scope(user)).values_list("pk", flat=True))
            if user.is_authenticated
            else set()
        )
        return context


class GapQuery(serializers.Serializer):
    mission = serializers.CharField()
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class GapViewSet(viewsets.ViewSet):
    """The gap table of one mission: need minus coverage by district and sector, largest first."""

    @extend_schema(
        parameters=[
            OpenApiParameter("mission", OpenApiTypes.STR, required=True, description=str(_("Mission acronym"))),
            OpenApiParameter("sector", OpenApiTypes.STR, enum=Sector.values),
            OpenApiParameter("start", OpenApiTypes.DATE),
            OpenApiParameter("end", OpenApiTypes.DATE),
        ],
        responses={200: GapSerializer(many=True)},
    )
    def list(self, request, format=None):
        query = GapQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        mission = access.missions_for(request.user).filter(acronym=params["mission"]).first()
        if mission is None:
            raise ValidationError({"mission": [_("Not one of your missions.")]})
        analysis = queries.gap_analysis(
            request.user, mission, sector=params.get("sector"), start=params.get("start"), end=params.get("end")
        )
        rows = []
        for gap in analysis.rows:
            data = gap.as_dict()
            area = analysis.areas.get(gap.area)
            data["area_name"] = area.name if area else ""
            rows.append(data)
        return Response(GapSerializer(rows, many=True).data)


def register(router) -> None:
    router.register("humanitarian-needs", NeedsAssessmentViewSet, basename="api-humanitarian-needs")
    router.register("humanitarian-activities", ActivityViewSet, basename="api-humanitarian-activities")
    router.register("humanitarian-deliveries", DeliveryViewSet, basename="api-humanitarian-deliveries")
    router.register("humanitarian-constraints", AccessConstraintViewSet, basename="api-humanitarian-constraints")
    router.register("humanitarian-gaps", GapViewSet, basename="api-humanitarian-gaps")
