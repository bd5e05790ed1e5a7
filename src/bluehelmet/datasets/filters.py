"""The conflict-event filter shared by the pages, their exports and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import ConflictEvent


class ConflictEventFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date_start", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date_start", lookup_expr="lte", label=_("To"))
    type_of_violence = django_filters.ChoiceFilter(
        choices=ConflictEvent.ViolenceType.choices, label=_("Type of violence")
    )
    place = django_filters.CharFilter(method="filter_place", label=_("Place"))
    actor = django_filters.CharFilter(method="filter_actor", label=_("Actor"))
    country = django_filters.CharFilter(field_name="country_name", lookup_expr="iexact", label=_("Country"))
    min_fatalities = django_filters.NumberFilter(field_name="best", lookup_expr="gte", label=_("At least fatalities"))

    class Meta:
        model = ConflictEvent
        fields = [
            "date_from",
            "date_to",
            "type_of_violence",
            "place",
            "actor",
            "country",
            "min_fatalities",
            "priogrid_gid",
        ]

    def filter_place(self, queryset, name, value):
        return queryset.filter(
            Q(adm_1__icontains=value) | Q(adm_2__icontains=value) | Q(where_description__icontains=value)
        )

    def filter_actor(self, queryset, name, value):
        return queryset.filter(
            Q(side_a_name__icontains=value) | Q(side_b_name__icontains=value) | Q(dyad_name__icontains=value)
        )
