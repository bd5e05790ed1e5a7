"""A form field's widget that finds a place of the mission by name (static/js/placesearch.js)
and submits its id: a hidden input for the id, a search box showing the place's name."""

from django import forms
from django.urls import reverse

from .models import Mission, Place
from .params import positive_id


class PlaceSearchInput(forms.Widget):
    """The id of a place of `mission`'s host countries, picked by typing its name."""

    template_name = "core/widgets/place_search.html"

    def __init__(self, mission: Mission, attrs=None):
        super().__init__(attrs)
        self.mission = mission

    def id_for_label(self, id_):
        return f"{id_}_search" if id_ else id_  # the label names the box one types in

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        place = None
        place_id = positive_id(value)  # the submitted value may be anything, "²" and 10**30 included
        if place_id is not None:
            place = (
                Place.objects.filter(
                    pk=place_id, country__in=self.mission.host_countries.all(), kind__in=Place.SEARCHABLE_KINDS
                )
                .only("name")
                .first()
            )
        context["widget"].update(
            search_url=reverse("mission-place-search", args=[self.mission.acronym]),
            place_name=place.name if place else "",
        )
        return context
