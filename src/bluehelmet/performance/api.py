"""REST endpoints of this area: read-only, scoped through core.access like every endpoint."""

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from bluehelmet.core import access
from bluehelmet.core.api import MissionFilter, ScopedViewSet

from .lessons import search_lessons
from .models import INDICATOR_MISSION, MEASUREMENT_MISSION, EffectEstimate, Indicator, Lesson, Measurement
from .serializers import EffectEstimateSerializer, IndicatorSerializer, LessonSerializer, MeasurementSerializer


def indicators_scope(user) -> Q:
    return access.mission_scope(user, mission_field=INDICATOR_MISSION)


def measurements_scope(user) -> Q:
    return access.mission_scope(user, mission_field=MEASUREMENT_MISSION, sharing_field="indicator__sharing")


class IndicatorFilterSet(django_filters.FilterSet):
    mission = MissionFilter(field_name=INDICATOR_MISSION)

    class Meta:
        model = Indicator
        fields = ["mission", "method", "frequency"]


class IndicatorViewSet(ScopedViewSet):
    queryset = Indicator.objects.select_related("output__outcome__objective__mission")
    serializer_class = IndicatorSerializer
    scope = indicators_scope
    filterset_class = IndicatorFilterSet
    ordering_fields = ["code", "name"]


class MeasurementFilterSet(django_filters.FilterSet):
    mission = MissionFilter(field_name=MEASUREMENT_MISSION)

    class Meta:
        model = Measurement
        fields = ["mission", "indicator", "source"]


class MeasurementViewSet(ScopedViewSet):
    queryset = Measurement.objects.select_related("indicator")
    serializer_class = MeasurementSerializer
    scope = measurements_scope
    filterset_class = MeasurementFilterSet
    ordering_fields = ["period"]


class LessonFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    q = django_filters.CharFilter(method="search", label="Full-text search")

    class Meta:
        model = Lesson
        fields = ["mission", "theme", "exercise", "date_from", "date_to", "q"]

    def search(self, queryset, name, value):
        return search_lessons(queryset, value)


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="Full-text search")])
)
class LessonViewSet(ScopedViewSet):
    queryset = Lesson.objects.select_related("mission")
    serializer_class = LessonSerializer
    scope = access.mission_scope
    filterset_class = LessonFilterSet
    ordering_fields = ["date", "title"]


class EffectEstimateFilterSet(django_filters.FilterSet):
    mission = MissionFilter()

    class Meta:
        model = EffectEstimate
        fields = ["mission", "kind"]


class EffectEstimateViewSet(ScopedViewSet):
    queryset = EffectEstimate.objects.select_related("mission").defer("figure_svg")
    serializer_class = EffectEstimateSerializer
    scope = access.mission_scope
    filterset_class = EffectEstimateFilterSet


def register(router) -> None:
    router.register("indicators", IndicatorViewSet, basename="api-indicator")
    router.register("measurements", MeasurementViewSet, basename="api-measurement")
    router.register("lessons", LessonViewSet, basename="api-lesson")
    router.register("effect-estimates", EffectEstimateViewSet, basename="api-effect-estimate")
