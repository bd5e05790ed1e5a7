"""Filters shared by the pages, their exports and the API: incidents. (Conflict events:
`datasets.filters`.)"""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.params import IdFilter

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
    agreement = IdFilter(field_name="agreement", widget=forms.HiddenInput)

    class Meta:
        model = Incident
        fields = ["type", "status", "actor", "window", "date_from", "date_to", "in_zone", "agreement"]

    def __init__(self, *args, mission=None, **kwargs):
        super().__init__(*args, **kwargs)
        if mission is not None:
            # A select of the mission's own types rather than free text.
            choices = list(IncidentType.objects.filter(mission=mission).values_list("code", "name"))
            self.filters["type"] = django_filters.ChoiceFilter(
                field_name="type__code", choices=choices, label=_("Type"), empty_label=_("Any")
            )

    def filter_actor(self, queryset, name, value):
        return queryset.filter(
            Q(perpetrators__name__icontains=value)
            | Q(targets__name__icontains=value)
            | Q(perpetrators__acronym__iexact=value)
            | Q(targets__acronym__iexact=value)
        ).distinct()

    def filter_window(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=timezone.now() - timedelta(hours=int(value)))
