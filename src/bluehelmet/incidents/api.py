"""REST endpoints for conflict events (also as GeoJSON) and conflict months."""

from functools import partial

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from bluehelmet.core import access
from bluehelmet.core.api import MissionFilter, ScopedViewSet, month_filter

from .filters import ConflictEventFilter
from .models import ConflictEvent, ConflictMonth
from .serializers import ConflictEventSerializer, ConflictMonthSerializer, EventFeatureCollectionSerializer, EventFeatureSerializer


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
    list=extend_schema(responses={(200, "application/json"): ConflictEventSerializer(many=True), (200, GeoJSONRenderer.media_type): EventFeatureCollectionSerializer}),
    retrieve=extend_schema(responses={(200, "application/json"): ConflictEventSerializer, (200, GeoJSONRenderer.media_type): EventFeatureSerializer}),
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


def register(router) -> None:
    router.register("events", ConflictEventViewSet, basename="api-event")
    router.register("conflict-months", ConflictMonthViewSet, basename="api-conflict-month")
