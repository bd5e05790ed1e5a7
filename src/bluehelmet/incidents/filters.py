"""Filters shared by the pages, their exports and the API: incidents. (Conflict events:
`datasets.filters`.)"""

import math
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Place
from bluehelmet.core.params import IdFilter
from bluehelmet.core.place_search import PlaceSearchInput

from .models import Incident, IncidentType


class IncidentFilter(django_filters.FilterSet):
    """Filters of the live incident picture, its exports and the API."""

    WINDOWS = [
        ("24", _("Last 24 hours")),
        ("72", _("Last 3 days")),
        ("168", _("Last 7 days")),
        ("720", _("Last 30 days")),
        ("8760", _("Last year")),
    ]

    type = django_filters.CharFilter(field_name="type__code", label=_("Type"))
    status = django_filters.ChoiceFilter(choices=Incident.Status.choices, label=_("Status"), empty_label=_("Any"))
    actor = django_filters.CharFilter(method="filter_actor", label=_("Actor"))
    window = django_filters.ChoiceFilter(
        choices=WINDOWS, method="filter_window", label=_("Time window"), empty_label=_("Any time")
    )
    date_from = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    in_zone = django_filters.BooleanFilter(
        field_name="in_zone",
        label=_("Inside a monitored zone"),
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )
    place = IdFilter(method="filter_place", label=_("Place"))
    agreement = IdFilter(field_name="agreement", widget=forms.HiddenInput)
    # One perpetrator by id: what a bar of the analysis page's actors chart selects (and the
    # rows export of that view keeps).
    perpetrator = IdFilter(field_name="perpetrators", widget=forms.HiddenInput)

    # A town stands for the incidents around it: within this distance of its point.
    NEARBY_KM = 10

    class Meta:
        model = Incident
        fields = [
            "type", "status", "actor", "window", "date_from", "date_to", "in_zone", "place", "agreement", "perpetrator",
        ]  # fmt: skip

    def __init__(self, *args, mission=None, **kwargs):
        super().__init__(*args, **kwargs)
        if mission is not None:
            # A select of the mission's own types rather than free text.
            choices = list(IncidentType.objects.filter(mission=mission).values_list("code", "name"))
            self.filters["type"] = django_filters.ChoiceFilter(
                field_name="type__code", choices=choices, label=_("Type"), empty_label=_("Any")
            )
            # Found by name (static/js/placesearch.js) among the mission's towns and areas.
            place = IdFilter(
                field_name="place",
                method="filter_place",
                label=_("Place"),
                widget=PlaceSearchInput(mission),
                help_text=_("an admin area, or within %(km)d km of a town") % {"km": self.NEARBY_KM},
            )
            place.parent = self
            self.filters["place"] = place
        self.mission = mission

    def filter_actor(self, queryset, name, value):
        return queryset.filter(
            Q(perpetrators__name__icontains=value)
            | Q(targets__name__icontains=value)
            | Q(perpetrators__acronym__iexact=value)
            | Q(targets__acronym__iexact=value)
        ).distinct()

    def filter_place(self, queryset, name, value):
        """Incidents in an admin area (at any depth below it), or near a town."""
        places = Place.objects.filter(kind__in=Place.SEARCHABLE_KINDS)
        if self.mission is not None:
            places = places.filter(country__in=self.mission.host_countries.all())
        # Looked up once per filter set: the analysis page applies it to several breakdowns.
        cache = self.__dict__.setdefault("_places", {})
        if value not in cache:
            cache[value] = places.filter(pk=value).only("kind", "latitude", "longitude").first()
        place = cache[value]
        if place is None:
            return queryset.none()
        if place.is_area:
            inside = Q(place=place)
            for depth in range(1, 4):
                inside |= Q(**{f"place{'__parent' * depth}": place})
            return queryset.filter(inside)
        lat_span = self.NEARBY_KM / 111.0
        lon_span = self.NEARBY_KM / (111.0 * max(math.cos(math.radians(place.latitude)), 0.01))
        return queryset.filter(
            latitude__range=(place.latitude - lat_span, place.latitude + lat_span),
            longitude__range=(place.longitude - lon_span, place.longitude + lon_span),
        )

    def filter_window(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=timezone.now() - timedelta(hours=int(value)))
