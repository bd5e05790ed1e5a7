import json

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bluehelmet.core.models import Place
from bluehelmet.incidents.models import Incident

from .models import Award, AwardDecision, Equipment, Patrol, Person
from .patrols import incidents_near, not_in_future, patrol_geometry, places_along
from .planning import PlanParameters

DEFAULTS = PlanParameters()


def place_choices(places) -> list[tuple[int, str]]:
    """(id, name) per place; two places of one name (sites of two missions) are told apart
    by their coordinates."""
    names = [p.name for p in places]
    return [
        (
            p.pk,
            p.name
            if names.count(p.name) == 1 or p.latitude is None
            else f"{p.name} ({p.latitude:.2f}, {p.longitude:.2f})",
        )
        for p in places
    ]


class PlanForm(forms.Form):
    """The rules a plan must keep. Defaults are planning assumptions, shown as such."""

    patrol_radius_km = forms.FloatField(
        label=_("Patrol radius (km)"),
        min_value=1,
        max_value=1000,
        initial=DEFAULTS.patrol_radius_km,
        help_text=_("for units without their own radius"),
    )
    troops_per_place = forms.IntegerField(
        label=_("Troops per place patrolled"),
        min_value=10,
        max_value=5000,
        initial=DEFAULTS.troops_per_place,
        help_text=_("a unit of 650 patrols 4 places at 150"),
    )
    max_move_km = forms.FloatField(
        label=_("Maximum move per unit (km)"),
        min_value=0,
        max_value=5000,
        required=False,
        initial=DEFAULTS.max_move_km,
        help_text=_("empty: anywhere; units may have their own"),
    )
    max_units_per_site = forms.IntegerField(
        label=_("At most units per base (k)"),
        min_value=1,
        max_value=100,
        required=False,
        initial=DEFAULTS.max_units_per_site,
        help_text=_("not applied to the mission headquarters"),
    )
    hq_min_troops = forms.IntegerField(
        label=_("Minimum troops at headquarters"), min_value=0, max_value=200000, initial=DEFAULTS.hq_min_troops
    )
    must_cover = forms.TypedMultipleChoiceField(
        label=_("Places that must be covered"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    time_limit = forms.FloatField(label=_("Time limit (s)"), min_value=1, max_value=60, initial=DEFAULTS.time_limit)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["must_cover"].choices = place_choices(places)

    def parameters(self) -> PlanParameters:
        return PlanParameters(**self.cleaned_data)


class RiskForm(forms.Form):
    """Risk per place entered by hand: one number field per place, empty for none."""

    def __init__(self, *args, places=(), initial_risk=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_risk = initial_risk or {}
        self.places = list(places)
        for place in self.places:
            self.fields[f"place_{place.pk}"] = forms.FloatField(
                label=place.name,
                required=False,
                min_value=0,
                max_value=1,
                initial=initial_risk.get(place.pk),
                widget=forms.NumberInput(attrs={"step": "0.01"}),
            )

    def risks(self) -> dict[int, float | None]:
        return {place.pk: self.cleaned_data[f"place_{place.pk}"] for place in self.places}


class AwardProposalForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ["person", "kind", "citation", "parade"]

    def __init__(self, *args, mission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(mission=mission).order_by("name")
        self.fields["parade"].queryset = mission.parades.all()


class AwardDecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])

    class Meta:
        model = AwardDecision
        fields = ["comment"]


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlaceChoiceField(forms.ModelMultipleChoiceField):
    """Places by name, told apart by their coordinates where two share one."""

    def set_places(self, places):
        self.queryset = Place.objects.filter(pk__in=[p.pk for p in places]).order_by("name")
        self.choices = place_choices(list(self.queryset))


class PatrolPlanForm(forms.ModelForm):
    """A patrol to come: who, what kind, when, where (drawn) and which places to visit.
    Without places picked, those the drawing takes in are used."""

    route = forms.CharField(
        label=_("Area or route"),
        widget=forms.HiddenInput,
        required=False,
        help_text=_("draw an area (polygon) or a route (line) on the map"),
    )
    places = PlaceChoiceField(
        label=_("Places to visit"),
        queryset=Place.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("empty: the places the drawn area or route takes in"),
    )

    class Meta:
        model = Patrol
        fields = ["unit", "kind", "period", "start", "end", "route", "places", "notes", "sharing"]
        widgets = {"start": DATETIME, "end": DATETIME, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("name")
        self.fields["places"].set_places(places)
        self.fields["end"].required = True
        if self.instance.route and not self.is_bound:
            self.initial["route"] = json.dumps(self.instance.route)

    def clean_route(self):
        return patrol_geometry(self.cleaned_data["route"])

    def clean(self):
        cleaned = super().clean()
        route = cleaned.get("route")
        if route and "places" in cleaned and not cleaned["places"]:
            found = places_along(route, self.fields["places"].queryset)
            if not found:
                self.add_error(
                    "places", _("No place lies in the drawn area or along the route: pick the places to visit.")
                )
            cleaned["places"] = found
        return cleaned


class PatrolReportForm(forms.ModelForm):
    """A patrol as conducted: actual times, places visited, incidents met, contacts."""

    places = PlaceChoiceField(
        label=_("Places visited"),
        queryset=Place.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Patrol
        fields = ["actual_start", "actual_end", "places", "incidents", "community_contacts", "notes"]
        widgets = {
            "actual_start": DATETIME,
            "actual_end": DATETIME,
            "incidents": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"incidents": _("the mission's incidents within two weeks of the planned patrol")}

    def __init__(self, *args, user, places, **kwargs):
        super().__init__(*args, **kwargs)
        patrol = self.instance
        self.fields["actual_start"].required = self.fields["actual_end"].required = True
        self.fields["places"].set_places([*places, *patrol.places.all()])
        self.fields["incidents"].queryset = incidents_near(user, patrol.mission, patrol)
        self.fields["incidents"].label_from_instance = lambda i: (
            f"#{i.pk} {i.type.name}, {i.occurred_at:%Y-%m-%d %H:%M}, {i.location_description or ''}".rstrip(", ")
        )
        if not self.is_bound and patrol.status == Patrol.Status.PLANNED:
            self.initial.update(actual_start=patrol.start, actual_end=patrol.end)

    def clean_actual_start(self):
        value = self.cleaned_data["actual_start"]
        not_in_future(value)
        return value

    def clean_actual_end(self):
        value = self.cleaned_data["actual_end"]
        not_in_future(value)
        return value

    def clean_incidents(self):
        """The incidents ticked, plus those the patrol already links that the editor may not
        see (a RED report): the form does not offer them, so it must not drop them."""
        chosen = self.cleaned_data["incidents"]
        if self.instance.pk is None:
            return chosen
        offered = self.fields["incidents"].queryset.values("pk")
        hidden = self.instance.incidents.exclude(pk__in=offered).values("pk")
        return Incident.objects.filter(Q(pk__in=chosen.values("pk")) | Q(pk__in=hidden))


class EquipmentForm(forms.ModelForm):
    class Meta:
        model = Equipment
        fields = ["unit", "category", "name", "required", "present", "serviceable", "limits", "updated"]
        widgets = {"updated": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("name")
        # Vehicles, generators and communications first: what planners ask about most.
        first = [
            Equipment.Category.VEHICLE,
            Equipment.Category.GENERATOR,
            Equipment.Category.COMMUNICATIONS,
            Equipment.Category.OTHER,
        ]
        self.fields["category"].choices = (
            [("", "---------")]
            + [(c.value, c.label) for c in first]
            + [(value, label) for value, label in Equipment.Category.choices if value not in first]
        )


class ForcesImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(importer.kind, importer.label) for importer in kinds]
        self.kinds = {importer.kind: importer for importer in kinds}

    def clean(self):
        cleaned = super().clean()
        upload, importer = cleaned.get("file"), self.kinds.get(cleaned.get("kind"))
        if upload is not None and importer is not None and not upload.name.lower().endswith(importer.extensions):
            self.add_error(
                "file", _("This kind of import needs a %(types)s file.") % {"types": " / ".join(importer.extensions)}
            )
        return cleaned
