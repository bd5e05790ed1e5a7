"""REST endpoints for missions, places and organizations, and the base every endpoint uses."""

from collections.abc import Callable

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination

from . import access
from .models import Mission, Organization, Place
from .serializers import MissionSerializer, OrganizationSerializer, PlaceDetailSerializer, PlaceSerializer


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 1000


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only, paginated, filterable and orderable, and only ever over the rows that
    core.access lets the requesting user see (list and retrieve alike, so another mission's
    record is a 404, not a 403 that would confirm it exists).

    `scope` is a function of the user returning either a Q (country_scope, mission_scope)
    or a queryset of the visible rows (missions_for, places_for).
    """

    scope: Callable[..., Q | QuerySet]
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]

    def get_queryset(self):
        # Looked up on the class so a plain function is not bound as a method.
        visible = type(self).scope(self.request.user)
        queryset = super().get_queryset()
        if isinstance(visible, Q):
            return queryset.filter(visible)
        return queryset.filter(pk__in=visible.values("pk"))


def _visible_missions(request):
    return access.missions_for(request.user) if request is not None else Mission.objects.none()


@extend_schema_field(OpenApiTypes.STR)  # an acronym, also where the model has no `mission`
class MissionFilter(django_filters.ModelChoiceFilter):
    """`?mission=<acronym>` among the user's missions; any other acronym is a 400, the same
    for a mission that exists and one that does not. With `country_field` it keeps the
    records in the mission's host countries instead of those linked to the mission."""

    def __init__(self, *, country_field: str | None = None, **kwargs):
        kwargs.setdefault("field_name", "mission")
        kwargs.setdefault("label", _("Mission acronym"))
        super().__init__(queryset=_visible_missions, to_field_name="acronym", **kwargs)
        self.country_field = country_field

    def filter(self, queryset, value):
        if value and self.country_field:
            return queryset.filter(**{f"{self.country_field}__in": value.host_countries.all()})
        return super().filter(queryset, value)


def month_filter(lookup_expr: str, label) -> django_filters.DateFilter:
    """A bound on a first-of-the-month date field, given as YYYY-MM or YYYY-MM-DD."""
    return django_filters.DateFilter(
        field_name="month", lookup_expr=lookup_expr, label=label, input_formats=["%Y-%m-%d", "%Y-%m"]
    )


class MissionFilterSet(django_filters.FilterSet):
    acronym = django_filters.CharFilter(lookup_expr="iexact")
    active_at = django_filters.DateFilter(method="filter_active_at", label=_("Active on this date"))

    class Meta:
        model = Mission
        fields = ["acronym", "active_at"]

    def filter_active_at(self, queryset, name, value):
        return queryset.filter(Q(start__isnull=True) | Q(start__lte=value), Q(end__isnull=True) | Q(end__gte=value))


class MissionViewSet(ScopedViewSet):
    """The missions the user belongs to, with their host countries and the user's role."""

    queryset = Mission.objects.prefetch_related("host_countries")
    serializer_class = MissionSerializer
    scope = access.missions_for
    filterset_class = MissionFilterSet
    ordering_fields = ["acronym", "start", "end"]


class PlaceFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Place
        fields = ["kind", "name", "pcode", "parent", "country", "priogrid_gid"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("geometry", OpenApiTypes.BOOL, description="Include each place's GeoJSON geometry.")
        ]
    )
)
class PlaceViewSet(ScopedViewSet):
    """Places in the host countries of the user's missions."""

    queryset = Place.objects.all()
    scope = access.places_for
    filterset_class = PlaceFilterSet
    ordering_fields = ["name", "kind", "priogrid_gid"]

    def wants_geometry(self) -> bool:
        return self.action == "retrieve" or self.request.query_params.get("geometry", "").lower() in (
            "1",
            "true",
            "yes",
        )

    def get_queryset(self):
        queryset = super().get_queryset().defer("outline")  # the maps' copy; the API gives the full one
        return queryset if self.wants_geometry() else queryset.defer("geometry")

    def get_serializer_class(self):
        return PlaceDetailSerializer if self.action == "retrieve" else PlaceSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "geometry": self.wants_geometry()}


def organizations_scope(user) -> Q:
    """Organizations are reference data, shared by everyone who belongs to some mission."""
    return Q() if access.missions_for(user).exists() else Q(pk__in=[])


class OrganizationFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Organization
        fields = ["kind", "name"]


class OrganizationViewSet(ScopedViewSet):
    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    scope = organizations_scope
    filterset_class = OrganizationFilterSet
    ordering_fields = ["name", "kind"]


def register(router) -> None:
    router.register("missions", MissionViewSet, basename="api-mission")
    router.register("places", PlaceViewSet, basename="api-place")
    router.register("organizations", OrganizationViewSet, basename="api-organization")
