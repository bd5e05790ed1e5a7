"""REST endpoints for deployments and mission strength."""

from functools import partial

import django_filters
from django.utils.translation import gettext_lazy as _

from bluehelmet.core import access
from bluehelmet.core.api import MissionFilter, ScopedViewSet, month_filter
from bluehelmet.datasets.models import Deployment, MissionStrength

from .models import Base, Patrol, Unit
from .serializers import (
    BaseSerializer,
    DeploymentSerializer,
    MissionStrengthSerializer,
    PatrolSerializer,
    UnitSerializer,
)


class DeploymentFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    month_from = month_filter("gte", _("From month"))
    month_to = month_filter("lte", _("To month"))

    class Meta:
        model = Deployment
        fields = ["mission", "month_from", "month_to", "site"]


class DeploymentViewSet(ScopedViewSet):
    """Deployment sites of the user's missions by month (partners: public ones)."""

    queryset = Deployment.objects.select_related("mission", "site").prefetch_related("contributions__country")
    serializer_class = DeploymentSerializer
    scope = access.mission_scope
    filterset_class = DeploymentFilterSet
    ordering_fields = ["month", "troops", "site__name"]


class MissionStrengthFilterSet(django_filters.FilterSet):
    mission = MissionFilter()
    month_from = month_filter("gte", _("From month"))
    month_to = month_filter("lte", _("To month"))

    class Meta:
        model = MissionStrength
        fields = ["mission", "month_from", "month_to"]


class MissionStrengthViewSet(ScopedViewSet):
    """Authorised and deployed strength of the user's missions by month, with shortfalls."""

    queryset = MissionStrength.objects.select_related("mission")
    serializer_class = MissionStrengthSerializer
    # Strength figures have no sharing field: partners see those of their missions.
    scope = partial(access.mission_scope, sharing_field=None)
    filterset_class = MissionStrengthFilterSet
    ordering_fields = ["month"]


class UnitFilterSet(django_filters.FilterSet):
    mission = MissionFilter()

    class Meta:
        model = Unit
        fields = ["mission", "kind", "country"]


class UnitViewSet(ScopedViewSet):
    """Units of the user's missions with their postings (partners: public ones)."""

    queryset = Unit.objects.select_related("country").prefetch_related("postings__base__place")
    serializer_class = UnitSerializer
    scope = access.mission_scope
    filterset_class = UnitFilterSet
    ordering_fields = ["name", "actual_strength"]


class BaseFilterSet(django_filters.FilterSet):
    mission = MissionFilter()

    class Meta:
        model = Base
        fields = ["mission", "kind"]


class BaseViewSet(ScopedViewSet):
    """Bases of the user's missions (partners: public ones)."""

    queryset = Base.objects.select_related("place")
    serializer_class = BaseSerializer
    scope = access.mission_scope
    filterset_class = BaseFilterSet
    ordering_fields = ["place__name", "opened"]


class PatrolFilterSet(django_filters.FilterSet):
    mission = MissionFilter()

    class Meta:
        model = Patrol
        fields = ["mission", "unit", "kind", "status", "period"]


class PatrolViewSet(ScopedViewSet):
    """Patrols of the user's missions (partners: public ones)."""

    queryset = Patrol.objects.select_related("unit").prefetch_related("places")
    serializer_class = PatrolSerializer
    scope = access.mission_scope
    filterset_class = PatrolFilterSet
    ordering_fields = ["start"]


def register(router) -> None:
    router.register("deployments", DeploymentViewSet, basename="api-deployment")
    router.register("strengths", MissionStrengthViewSet, basename="api-strength")
    router.register("units", UnitViewSet, basename="api-unit")
    router.register("bases", BaseViewSet, basename="api-base")
    router.register("patrols", PatrolViewSet, basename="api-patrol")
