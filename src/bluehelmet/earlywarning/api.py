"""REST endpoints of early warning: forecast runs and their per-place forecasts (read-only;
runs are started from the risk page or `bluehelmet forecast run`)."""

from functools import partial

import django_filters
from rest_framework import serializers

from bluehelmet.core.access import mission_scope
from bluehelmet.core.api import MissionFilter, ScopedViewSet

from .models import ForecastRun, ForecastUnit, UnitForecast


class ForecastRunSerializer(serializers.ModelSerializer):
    mission = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    # "created_by" kept as the name in the API (JobRecord.actor in the model).
    created_by = serializers.SlugRelatedField(source="actor", slug_field="username", read_only=True)

    class Meta:
        model = ForecastRun
        fields = [
            "id",
            "mission",
            "status",
            "model_name",
            "target",
            "data_cutoff",
            "horizons",
            "metrics",
            "importance",
            "notes",
            "error",
            "sharing",
            "created_by",
            "created",
            "started",
            "finished",
        ]


class UnitForecastSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitForecast
        fields = ["horizon", "month", "point", "mean", "q05", "q25", "q50", "q75", "q95", "p_ge1", "p_ge25"]


class ForecastUnitSerializer(serializers.ModelSerializer):
    forecasts = UnitForecastSerializer(many=True, read_only=True)

    class Meta:
        model = ForecastUnit
        fields = [
            "id",
            "run",
            "level",
            "key",
            "label",
            "place",
            "priogrid_gid",
            "latitude",
            "longitude",
            "history",
            "drivers",
            "forecasts",
        ]


class ForecastRunFilterSet(django_filters.FilterSet):
    mission = MissionFilter()

    class Meta:
        model = ForecastRun
        fields = ["mission", "status"]


class ForecastRunViewSet(ScopedViewSet):
    """Forecast runs of the user's missions (partners: runs shared with partners)."""

    queryset = ForecastRun.objects.select_related("mission", "actor")
    serializer_class = ForecastRunSerializer
    scope = mission_scope
    filterset_class = ForecastRunFilterSet
    ordering_fields = ["created", "data_cutoff"]


class ForecastUnitViewSet(ScopedViewSet):
    """Each place a run forecasts, with its forecasts for every horizon."""

    queryset = ForecastUnit.objects.prefetch_related("forecasts")
    serializer_class = ForecastUnitSerializer
    scope = partial(mission_scope, mission_field="run__mission", sharing_field="run__sharing")
    filterset_fields = ["run", "level", "place"]
    ordering_fields = ["label"]


def register(router) -> None:
    router.register("forecast-runs", ForecastRunViewSet, basename="api-forecast-run")
    router.register("forecast-units", ForecastUnitViewSet, basename="api-forecast-unit")
