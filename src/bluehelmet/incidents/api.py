"""REST endpoints for conflict events (also as GeoJSON) and conflict months; incidents (read,
and filed one by one or in batches), alerts, response tasks and ceasefire agreements."""

from functools import partial

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from bluehelmet.core import access, gate
from bluehelmet.core.access import mission_scope
from bluehelmet.core.api import MissionFilter, ScopedViewSet, month_filter
from bluehelmet.datasets.filters import ConflictEventFilter
from bluehelmet.datasets.models import ConflictEvent, ConflictMonth

from .feed import incident_scope
from .filters import IncidentFilter
from .labels import alert_scope, task_scope
from .models import Agreement, Alert, Incident, ResponseTask
from .reports import MAX_BATCH, as_written, submit_batch, submit_report
from .serializers import (
    AgreementSerializer,
    AlertSerializer,
    BatchInput,
    BatchOutput,
    ConflictEventSerializer,
    ConflictMonthSerializer,
    EventFeatureCollectionSerializer,
    EventFeatureSerializer,
    IncidentSerializer,
    ReportInput,
    ResponseTaskSerializer,
)


class EventFilterSet(ConflictEventFilter):
    mission = MissionFilter(country_field="country")

    class Meta(ConflictEventFilter.Meta):
        fields = [*ConflictEventFilter.Meta.fields, "mission"]


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson` (or the .geojson suffix): a page of events as a FeatureCollection,
    one event as a Feature. Errors keep their plain JSON shape."""

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code < 400:
            if isinstance(data, dict) and "results" in data:
                data = {
                    "type": "FeatureCollection",
                    # Pagination links ride along as foreign members, which GeoJSON allows.
                    **{key: data[key] for key in ("count", "next", "previous")},
                    "features": [self.feature(event) for event in data["results"]],
                }
            else:
                data = self.feature(data)
        return super().render(data, accepted_media_type, renderer_context)

    @staticmethod
    def feature(event: dict) -> dict:
        properties = {key: value for key, value in event.items() if key not in ("latitude", "longitude")}
        return {
            "type": "Feature",
            "id": event["id"],
            "geometry": {"type": "Point", "coordinates": [event["longitude"], event["latitude"]]},
            "properties": properties,
        }


@extend_schema_view(
    list=extend_schema(
        responses={
            (200, "application/json"): ConflictEventSerializer(many=True),
            (200, GeoJSONRenderer.media_type): EventFeatureCollectionSerializer,
        }
    ),
    retrieve=extend_schema(
        responses={
            (200, "application/json"): ConflictEventSerializer,
            (200, GeoJSONRenderer.media_type): EventFeatureSerializer,
        }
    ),
)
class ConflictEventViewSet(ScopedViewSet):
    """Conflict events in the host countries of the user's missions (partners: public ones)."""

    queryset = ConflictEvent.objects.all()
    serializer_class = ConflictEventSerializer
    scope = access.country_scope
    filterset_class = EventFilterSet
    ordering_fields = ["date_start", "date_end", "best", "ged_id"]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, GeoJSONRenderer]


class ConflictMonthFilterSet(django_filters.FilterSet):
    month_from = month_filter("gte", _("From month"))
    month_to = month_filter("lte", _("To month"))
    mission = MissionFilter(country_field="country")

    class Meta:
        model = ConflictMonth
        fields = ["country", "conflict_id", "month_from", "month_to", "mission"]


class ConflictMonthViewSet(ScopedViewSet):
    """Conflict-month series of the host countries of the user's missions."""

    queryset = ConflictMonth.objects.all()
    serializer_class = ConflictMonthSerializer
    # Conflict months have no sharing field: partners see those of their countries.
    scope = partial(access.country_scope, sharing_field=None)
    filterset_class = ConflictMonthFilterSet
    ordering_fields = ["month", "osv_all", "battle_deaths_lag"]


# --- Incidents, alerts, response tasks, ceasefires ---------------------------------------------


class ReportWriters(BasePermission):
    """Reading as everywhere; filing reports (POST) for logged-in users, the mission role
    being checked per report."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or view.action in ("create", "batch")


class IncidentFilterSet(IncidentFilter):
    mission = MissionFilter()

    class Meta(IncidentFilter.Meta):
        fields = [*IncidentFilter.Meta.fields, "mission"]


@extend_schema_view(
    create=extend_schema(
        request=ReportInput,
        responses={201: IncidentSerializer, 200: IncidentSerializer},
        description="File one report. A report whose client_id is already stored is answered 200 with the stored record.",
    )
)
class IncidentViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """Incidents of the user's missions (partners: those shared). POST files a report;
    POST batch/ files many, each answered on its own."""

    queryset = Incident.objects.select_related("type", "mission", "place").prefetch_related(
        "perpetrators", "targets", "casualties", "sources"
    )
    serializer_class = IncidentSerializer
    scope = incident_scope  # mission rule and TLP label
    permission_classes = [ReportWriters, gate.requires("incidents.report", actions=("create", "batch"))]
    filterset_class = IncidentFilterSet
    ordering_fields = ["occurred_at", "updated_at", "killed"]

    def get_serializer_context(self):
        user = self.request.user
        staff = (
            set(gate.missions_with(user, "incidents.sources").values_list("pk", flat=True))
            if user.is_authenticated
            else None
        )
        return {**super().get_serializer_context(), "staff_missions": staff}

    def create(self, request, *args, **kwargs):
        data = request.data if isinstance(request.data, dict) else {}
        mission = request.mission_access.mission
        outcome = submit_report(
            request.user, mission, data, sources=_list(data.get("sources")), casualties=_list(data.get("casualties"))
        )
        if not outcome.ok:
            return Response(outcome.errors, status=status.HTTP_400_BAD_REQUEST)
        if not outcome.created:  # sent again: the stored report, as the user may see it
            body = self.get_serializer(self.get_queryset().get(pk=outcome.incident.pk)).data
            return Response(body, status=status.HTTP_200_OK)
        # The new report as it was just written (its rows are in its prefetch cache), once the
        # user's scope is known to admit it; its sources' gradings if the role may see them.
        if not self.get_queryset().filter(pk=outcome.incident.pk).exists():
            raise NotFound()
        access = request.mission_access
        context = {
            "request": request,
            "format": self.format_kwarg,
            "view": self,
            "staff_missions": {mission.pk} if access.can("incidents.sources") else set(),
        }
        body = self.get_serializer_class()(as_written(outcome), context=context).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=BatchInput, responses={200: BatchOutput})
    @action(detail=False, methods=["post"])
    def batch(self, request):
        """Many reports at once (queued in the field, sent on reconnect), each stored or
        refused on its own and answered in order."""
        data = request.data if isinstance(request.data, dict) else {}
        mission = request.mission_access.mission
        items = data.get("reports")
        if not isinstance(items, list) or not items:
            return Response({"reports": [_("Send a list of reports.")]}, status=status.HTTP_400_BAD_REQUEST)
        if len(items) > MAX_BATCH:
            return Response(
                {"reports": [_("At most %(n)d reports per batch.") % {"n": MAX_BATCH}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response({"results": submit_batch(request.user, mission, items)})


class AlertFilterSet(django_filters.FilterSet):
    mission = MissionFilter()

    class Meta:
        model = Alert
        fields = ["mission", "status", "severity"]


class AlertViewSet(ScopedViewSet):
    """Alerts of the missions where the user is staff, labelled as their incidents (a RED
    incident's alert only for those who may see RED)."""

    queryset = Alert.objects.select_related("mission", "rule").prefetch_related("incidents")
    serializer_class = AlertSerializer
    scope = alert_scope
    filterset_class = AlertFilterSet
    ordering_fields = ["created_at", "severity"]


class ResponseTaskFilterSet(django_filters.FilterSet):
    mission = MissionFilter()

    class Meta:
        model = ResponseTask
        fields = ["mission", "status", "alert", "incident"]


class ResponseTaskViewSet(ScopedViewSet):
    """Response tasks of the missions where the user is staff, labelled as their alert and
    incident."""

    queryset = ResponseTask.objects.select_related("mission", "assignee", "team")
    serializer_class = ResponseTaskSerializer
    scope = task_scope
    filterset_class = ResponseTaskFilterSet
    ordering_fields = ["due_at", "created_at"]


class AgreementFilterSet(django_filters.FilterSet):
    mission = MissionFilter()

    class Meta:
        model = Agreement
        fields = ["mission"]


class AgreementViewSet(ScopedViewSet):
    """Ceasefire agreements of the user's missions (partners: those shared)."""

    queryset = Agreement.objects.select_related("mission").prefetch_related("parties")
    serializer_class = AgreementSerializer
    scope = mission_scope
    filterset_class = AgreementFilterSet
    ordering_fields = ["effective_from"]


def _list(value) -> list:
    return value if isinstance(value, list) else []


def register(router) -> None:
    router.register("events", ConflictEventViewSet, basename="api-event")
    router.register("conflict-months", ConflictMonthViewSet, basename="api-conflict-month")
    router.register("incidents", IncidentViewSet, basename="api-incident")
    router.register("alerts", AlertViewSet, basename="api-alert")
    router.register("response-tasks", ResponseTaskViewSet, basename="api-response-task")
    router.register("ceasefires", AgreementViewSet, basename="api-ceasefire")
