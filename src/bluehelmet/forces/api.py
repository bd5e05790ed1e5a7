"""REST endpoints for deployments and mission strength."""

from functools import partial

import django_filters
from django.utils.translation import gettext_lazy as _

from bluehelmet.core import access
from bluehelmet.core.api import MissionFilter, ScopedViewSet, month_filter

from .models import Deployment, MissionStrength
from .serializers import DeploymentSerializer, MissionStrengthSerializer


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


def register(router) -> None:
    router.register("deployments", DeploymentViewSet, basename="api-deployment")
    router.register("strengths", MissionStrengthViewSet, basename="api-strength")
